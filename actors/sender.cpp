#include "actors/sender.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "actors/ask_store.hpp"
#include "actors/blocking_spawn.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/store_actor.hpp"
#include "clients/store/store.hpp"
#include "clients/telegram/bot_api_loop.hpp"
#include "clients/telegram/telegram_client.hpp"
#include "protocol/chat_migration.hpp"
#include "protocol/plain_fallback.hpp"
#include "protocol/rate_limit.hpp"
#include "protocol/send_policy.hpp"
#include "protocol/send_queue.hpp"
#include "protocol/sent_result.hpp"
#include "protocol/sparse_map.hpp"

namespace nocturna::actors {
namespace {

constexpr int max_transient_attempts = 3;
constexpr int max_flood_retries = 3;
constexpr std::size_t gone_chats_kept = 10'000;  // chats reported gone, so each is handled once
constexpr auto store_wait = std::chrono::seconds(30);
// How soon a call of an inbox row asks the call ledger again while an earlier sender's call of the
// same row is still in flight.
constexpr auto ledger_busy_wait = std::chrono::milliseconds(50);
// Idle chats' limits are forgotten a second's worth at a time (one tick each), not one tick per
// chat.
constexpr std::int64_t forget_batch_ms = 1000;

struct pending_call {
  msg::bot_call call;
  caf::response_promise promise;
  bot::send_item item;
  int attempts = 0;
  int floods = 0;
};

bot::api_response local_failure(bot::outcome kind, std::string description) {
  bot::api_response r;
  r.kind = kind;
  r.description = std::move(description);
  return r;
}

// Recently gone chats, oldest forgotten first: bounded.
class recent_set {
 public:
  bool insert(std::int64_t chat) {
    if (!members_.insert(chat).second) return false;
    order_.push_back(chat);
    if (order_.size() > gone_chats_kept) {
      members_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }
  void erase(std::int64_t chat) {
    if (members_.erase(chat)) order_.erase(std::find(order_.begin(), order_.end(), chat));
  }
  bool contains(std::int64_t chat) const { return members_.count(chat) != 0; }

 private:
  std::unordered_set<std::int64_t> members_;
  std::deque<std::int64_t> order_;
};

}  // namespace

struct sender_state {
  runtime_ptr rt;
  bot::send_queue queue;
  std::unordered_map<std::uint64_t, pending_call> calls;  // queued, in flight or awaiting a retry
  std::unordered_map<std::int64_t, std::uint64_t> waiting_action;  // chat → its queued chat action
  // Makes the calls (shared by the process: a call a dead sender left in flight still ends
  // in the call ledger).
  std::shared_ptr<bot::bot_api_loop> api;
  bool calls_inline = false;  // on CAF's test coordinator: each call runs on the test's thread
  std::unordered_map<std::uint64_t, bot::send_item> in_flight;  // handed to `api`, unanswered
  recent_set gone;
  std::uint64_t next_id = 1;
  std::int64_t tick_at = 0;  // 0 = no tick scheduled
  std::vector<caf::response_promise> drain_waiters;
  std::mt19937 rng{std::random_device{}()};
  static inline const char* name = "sender";

  // Whoever waits for a call this sender took tells it apart from a failed call and hands the
  // call to the next sender (actors/session_io.cpp); a call in flight is then made once, by the
  // call ledger.
  ~sender_state() {
    auto gone = caf::make_error(caf::sec::request_receiver_down);
    auto fail = [&](pending_call& p) {
      if (p.promise.pending()) p.promise.deliver(gone);
    };
    for (auto& [id, p] : calls) fail(p);
    for (auto& rp : drain_waiters) rp.deliver(caf::ok_atom::value);
  }
};

namespace {

using self_ptr = sender_api::stateful_pointer<sender_state>;

// The send queue's time (flood waits, rate limits, its ticks) is the actor system's clock: the
// steady clock in the bot, a virtual clock under CAF's test coordinator (tests/actors/), so a
// test lets a flood wait pass without waiting. Call deadlines stay on steady_ms(), the clock
// their callers set them by.
std::int64_t queue_now(self_ptr self) {
  using namespace std::chrono;
  return duration_cast<milliseconds>(self->clock().now().time_since_epoch()).count();
}

void schedule_tick(self_ptr self, std::int64_t at) {
  auto& st = self->state;
  if (st.tick_at != 0 && st.tick_at <= at) return;
  st.tick_at = at;
  self->delayed_send(self,
                     std::chrono::milliseconds(std::max<std::int64_t>(1, at - queue_now(self))),
                     atoms::tick::value, at);
}

// The answer of an inbox row's call (`key` set), where it arrives: an accepted one is cut once to
// what a re-run reads (protocol/sent_result.hpp), then the call ledger gets it. The sent-log and
// the asking session get the same digest, and the session reads no more of it than a re-run does
// (actors/session_io.cpp).
void remember_answer(call_ledger& ledger, const std::optional<call_ledger::key>& key,
                     bot::api_response& r) {
  if (!key) return;
  if (r.succeeded()) r.result_json = bot::sent_result_digest(r.result_json);
  ledger.finish(*key, r);
}

// Answers the call and forgets it.
void finish(self_ptr self, std::uint64_t id, bot::api_response r) {
  auto node = self->state.calls.extract(id);
  if (!node.empty()) node.mapped().promise.deliver(std::move(r));
}

void notify_drained(self_ptr self) {
  auto& st = self->state;
  if (!st.calls.empty()) return;
  for (auto& rp : st.drain_waiters) rp.deliver(caf::ok_atom::value);
  st.drain_waiters.clear();
}

void pump(self_ptr self);

// A store request for `chat`; nobody waits for its answer but `k`, and a failure is logged.
template <class Answer, class... Request>
void store_ask(self_ptr self, std::int64_t chat, std::string what,
               std::function<void(store_outcome<Answer>)> k, Request... request) {
  auto log = [chat, what = std::move(what)](const std::string& why) {
    spdlog::error("[sender] chat={} {} failed: {}", chat, what, why);
  };
  ask_store<Answer>(self, store_wait, log, std::move(k), std::move(request)...);
}

// A blocked or deleted chat: its waiting calls are answered with the same outcome, and a private
// chat's user is marked inactive with the subscription off. Once per chat.
void chat_gone(self_ptr self, const pending_call& p, const bot::api_response& r) {
  auto& st = self->state;
  auto chat = p.call.chat_id;
  auto dropped = st.queue.drop_chat(chat);
  for (auto id : dropped) finish(self, id, r);
  if (!st.gone.insert(chat)) return;
  spdlog::warn("[sender] chat={} {} chat is gone ({}): {} queued call(s) dropped{}", chat,
               bot::telegram_client::log_name(p.call.method), r.description, dropped.size(),
               chat > 0 ? ", user marked inactive, subscription off" : "");
  st.rt->metrics->add("nocturna_chats_gone_total");
  if (chat > 0)
    store_ask<bool>(
        self, chat, "mark gone chat inactive",
        [chat](std::optional<bool> had_row) {
          if (had_row)
            spdlog::debug("[sender] chat={} marked inactive in the store{}", chat,
                          *had_row ? "" : " (no user row)");
        },
        atoms::set_active::value, chat, false);
}

// Points a call at the chat's new id; false when the call cannot be rewritten.
bool retarget(msg::bot_call& call, std::int64_t to) {
  bool ok = false;
  if (call.file_field.empty()) {
    if (auto rewritten = bot::with_chat_id(call.json_body, to)) {
      call.json_body = std::move(*rewritten);
      ok = true;
    }
  } else {
    ok = bot::set_chat_id_field(call.fields, to);
  }
  if (ok) call.chat_id = to;
  return ok;
}

// A group that became a supergroup: its waiting calls and its stored rows move to the new id.
void chat_migrated(self_ptr self, std::int64_t from, std::int64_t to) {
  auto& st = self->state;
  for (auto id : st.queue.move_chat(from, to)) {
    auto it = st.calls.find(id);
    if (it == st.calls.end()) continue;
    if (!retarget(it->second.call, to))
      spdlog::error("[sender] chat={} {} could not be pointed at {}", from,
                    bot::telegram_client::log_name(it->second.call.method), to);
    it->second.item.chat_id = to;
  }
  st.rt->metrics->add("nocturna_chats_migrated_total");
  // The chat's session goes with it, so the supergroup's updates keep their order behind the
  // group's last ones.
  if (auto dispatcher = find<dispatcher_api>(self->system()))
    caf::anon_send(dispatcher, atoms::chat_moved::value, from, to);
  store_ask<std::uint64_t>(
      self, from, "move migrated chat", [](std::optional<std::uint64_t>) {},
      atoms::move_chat::value, from, to);
}

void on_result(self_ptr self, const bot::send_item& item, bot::api_response r) {
  auto& st = self->state;
  auto now = queue_now(self);
  st.queue.answered(item, clock_ms(now));
  auto it = st.calls.find(item.id);
  if (it == st.calls.end()) return st.queue.release(item);
  auto& p = it->second;
  const auto& c = p.call;
  const auto log_name = bot::telegram_client::log_name(c.method);
  st.rt->metrics->add("nocturna_bot_api_calls_total", "method=\"" + metrics::label_value(c.method) +
                                                          "\",outcome=\"" +
                                                          bot::outcome_name(r.kind) + "\"");
  switch (r.kind) {
    case bot::outcome::ok:
    case bot::outcome::not_modified:
    case bot::outcome::already_done:
      spdlog::debug("[sender] chat={} {} {}", c.chat_id, log_name, bot::outcome_name(r.kind));
      if (c.seq >= 0 && c.update_id != 0)
        queue_sent(self->system(), *st.rt, c.update_id, c.seq, r.result_json);
      if (c.chat_id != 0 && st.gone.contains(c.chat_id)) st.gone.erase(c.chat_id);
      st.queue.release(item);
      return finish(self, item.id, std::move(r));
    case bot::outcome::flood: {
      st.rt->metrics->add("nocturna_flood_waits_total");
      auto retry_ms = r.retry_after.value_or(1) * 1000 + 500;
      if (++p.floods > max_flood_retries) {
        spdlog::error("[sender] chat={} {} flood control {} times: given up", c.chat_id, log_name,
                      p.floods);
        st.queue.release(item);
        return finish(self, item.id, std::move(r));
      }
      spdlog::warn(
          "[sender] chat={} {} flood control: all sending frozen for {} ms, this call first",
          c.chat_id, log_name, retry_ms);
      st.queue.requeue_first(item, clock_ms(now + retry_ms));
      return;
    }
    case bot::outcome::transient: {
      bool retry = ++p.attempts < max_transient_attempts &&
                   (!r.maybe_delivered || bot::is_idempotent(c.method));
      if (!retry) {
        spdlog::error("[sender] chat={} {} failed after {} attempts: {}", c.chat_id, log_name,
                      p.attempts, r.description);
        st.queue.release(item);
        return finish(self, item.id, std::move(r));
      }
      std::uniform_real_distribution<double> jitter(0, 1);
      auto delay =
          backoff_delay(p.attempts, clock_ms(500), 2.0, clock_ms(2000), 0.0, 0.5, jitter(st.rng));
      spdlog::warn("[sender] chat={} {} transient failure ({}), retry {} in {} ms", c.chat_id,
                   log_name, r.description, p.attempts, delay.count());
      st.rt->metrics->add("nocturna_bot_api_retries_total");
      // The chat stays busy meanwhile: none of its later calls overtakes this one.
      self->delayed_send(self, delay, atoms::retry::value, item.id);
      return;
    }
    case bot::outcome::unauthorized:
      spdlog::critical("[sender] {} bot token rejected (401): stopping", log_name);
      st.rt->control->request_exit(2);
      st.queue.release(item);
      return finish(self, item.id, std::move(r));
    case bot::outcome::bad_entities: {
      // Our bug: the text still reaches the user, once, as plain text.
      // The body is the user's text: only at debug level (still redacted by the log sink).
      spdlog::error("[sender] chat={} {} {} (body {} bytes)", c.chat_id, log_name, r.description,
                    c.json_body.size());
      spdlog::debug("[sender] chat={} {} body: {:.300}", c.chat_id, log_name, c.json_body);
      auto plain = p.attempts == 0 ? bot::as_plain_text_call(c.json_body) : std::nullopt;
      if (!plain) {
        st.queue.release(item);
        return finish(self, item.id, std::move(r));
      }
      p.call.json_body = std::move(*plain);
      ++p.attempts;
      return st.queue.requeue_front(item);
    }
    case bot::outcome::migrated: {
      // The group became a supergroup: its later updates arrive under the new id; what waits for
      // it follows there, and this call goes once more, to the new chat.
      auto from = c.chat_id;
      auto to = *r.migrate_to_chat_id;
      chat_migrated(self, from, to);
      p.item.chat_id = to;  // the chat's state in the queue is under the new id now
      bool resend = p.attempts == 0 && retarget(p.call, to);
      spdlog::warn("[sender] chat={} {} chat migrated to {}{}", from, log_name, to,
                   resend ? ", resending there" : "");
      if (!resend) {
        st.queue.release(p.item);
        return finish(self, item.id, std::move(r));
      }
      ++p.attempts;
      return st.queue.requeue_front(p.item);
    }
    case bot::outcome::chat_gone:
      chat_gone(self, p, r);
      st.queue.release(item);
      return finish(self, item.id, std::move(r));
    default:
      spdlog::error("[sender] chat={} {} rejected ({} {}): {}", c.chat_id, log_name, r.error_code,
                    bot::outcome_name(r.kind), r.description);
      st.queue.release(item);
      return finish(self, item.id, std::move(r));
  }
}

void dispatch(self_ptr self, const bot::send_item& item) {
  auto& st = self->state;
  auto it = st.calls.find(item.id);
  if (it == st.calls.end()) {
    st.queue.answered(item, clock_ms(queue_now(self)));
    return st.queue.release(item);
  }
  auto& p = it->second;
  auto w = st.waiting_action.find(item.chat_id);
  if (w != st.waiting_action.end() && w->second == item.id) st.waiting_action.erase(w);
  auto now = steady_ms();
  auto limit = bot::default_deadline(p.call.method).count();
  if (p.call.deadline_ms != 0) limit = std::min<std::int64_t>(limit, p.call.deadline_ms - now);
  if (limit <= 0) {
    spdlog::warn("[sender] chat={} {} deadline passed before sending", p.call.chat_id,
                 bot::telegram_client::log_name(p.call.method));
    st.queue.answered(item, clock_ms(queue_now(self)));
    st.queue.release(item);
    return finish(self, item.id, local_failure(bot::outcome::transient, "deadline passed"));
  }
  // A call of an inbox row goes out once per process, whichever sender asks for it.
  std::optional<call_ledger::key> key;
  if (p.call.update_id != 0 && p.call.seq >= 0)
    key = call_ledger::key{p.call.update_id, p.call.seq};
  bot::api_response earlier;
  if (key) {
    auto take_over =
        p.call.deadline_ms != 0 && now + ledger_busy_wait.count() >= p.call.deadline_ms;
    switch (st.rt->ledger->begin(*key, &earlier, take_over)) {
      case call_ledger::claim::answered:
        st.in_flight.emplace(item.id, item);
        self->send(self, atoms::answer::value, item.id, std::move(earlier));
        return;
      case call_ledger::claim::busy:
        st.queue.answered(item, clock_ms(queue_now(self)));
        self->delayed_send(self, ledger_busy_wait, atoms::retry::value, item.id);
        return;
      case call_ledger::claim::proceed:
        break;
    }
  }
  bot::bot_api_request request;
  request.method = p.call.method;
  request.timeout = std::chrono::milliseconds(limit);
  if (p.call.file_bytes.empty()) {
    request.json_body = p.call.json_body;
  } else {
    request.fields = p.call.fields;
    request.file =
        bot::upload_file{p.call.file_field, p.call.file_name, p.call.file_type, p.call.file_bytes};
  }
  st.in_flight.emplace(item.id, item);
  if (st.calls_inline) {
    auto r = st.api->call(std::move(request));
    remember_answer(*st.rt->ledger, key, r);
    self->send(self, atoms::answer::value, item.id, std::move(r));
    return;
  }
  // Runs on the loop's thread: the answer goes to the ledger and, as a message, to this sender
  // (dropped when the sender is gone by then).
  auto handle = caf::actor_cast<sender_api>(self);
  auto ledger = st.rt->ledger;
  auto id = item.id;
  st.api->submit(std::move(request), [handle, ledger, key, id](bot::api_response r) {
    remember_answer(*ledger, key, r);
    caf::anon_send(handle, atoms::answer::value, id, std::move(r));
  });
}

void report_queue(self_ptr self) {
  auto& st = self->state;
  auto& m = *st.rt->metrics;
  m.set("nocturna_sender_queued_calls", "", static_cast<double>(st.queue.queued()));
  m.set("nocturna_sender_broadcast_queued_calls", "",
        static_cast<double>(st.queue.broadcast_queued()));
  m.set("nocturna_sender_tracked_chats", "", static_cast<double>(st.queue.chats_tracked()));
}

void pump(self_ptr self) {
  auto& st = self->state;
  // Re-read at each pump: the heartbeat (app/instance_heartbeat.cpp) updates the count.
  st.queue.share_limits(st.rt->tree->live_instances.load());
  while (st.in_flight.size() < st.api->capacity()) {
    auto now = queue_now(self);
    auto next = st.queue.pick(clock_ms(now));
    if (!next.item) {
      if (next.wake_at)
        schedule_tick(self, next.wake_at->count());
      else if (auto due = st.queue.next_forget())
        // Nothing to send: a pick when idle chats' limits are due forgets them. A second late,
        // so one tick takes a second's worth of chats.
        schedule_tick(self, due->count() + forget_batch_ms);
      break;
    }
    dispatch(self, *next.item);
  }
  // After a burst: the maps by call id give back their bucket arrays (no iterator into them
  // outlives a pump).
  bot::shrink_if_sparse(st.calls);
  bot::shrink_if_sparse(st.in_flight);
  bot::shrink_if_sparse(st.waiting_action);
  report_queue(self);
  notify_drained(self);
}

void enqueue(self_ptr self, pending_call p) {
  auto& st = self->state;
  const auto& c = p.call;
  if (c.method == "sendChatAction") {
    // At most one waiting chat action per chat: the newer replaces the older.
    auto w = st.waiting_action.find(c.chat_id);
    if (w != st.waiting_action.end()) {
      auto it = st.calls.find(w->second);
      if (it != st.calls.end()) {
        it->second.promise.deliver(local_failure(bot::outcome::ok, "superseded"));
        it->second.call = std::move(p.call);
        it->second.promise = std::move(p.promise);
        return;
      }
    }
  }
  auto id = st.next_id++;
  p.item = bot::make_send_item(id, c);
  auto admitted = st.queue.push(p.item);
  if (admitted != bot::admission::queued) {
    auto reason = bot::admission_name(admitted);
    st.rt->metrics->add("nocturna_sender_refused_total", std::string("reason=\"") + reason + "\"");
    if (admitted == bot::admission::broadcast_full)
      spdlog::error("[sender] chat={} {} skipped: the broadcast lane is full ({} calls)", c.chat_id,
                    bot::telegram_client::log_name(c.method), st.queue.broadcast_queued());
    else
      spdlog::error("[sender] chat={} {} refused: {} ({} calls queued)", c.chat_id,
                    bot::telegram_client::log_name(c.method), reason, st.queue.queued());
    p.promise.deliver(local_failure(bot::outcome::rejected, std::string("sender ") + reason));
    return;
  }
  if (c.method == "sendChatAction") st.waiting_action[c.chat_id] = id;
  st.calls.emplace(id, std::move(p));
}

}  // namespace

sender_api::behavior_type sender(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "sender");
  auto& st = self->state;
  report_crashes(self, rt, "sender");
  st.rt = rt;
  // Forecasts beyond BROADCAST_QUEUE_LIMIT are skipped for the day (logged,
  // nocturna_sender_refused_total{reason="broadcast_full"}); any call beyond SEND_QUEUE_LIMIT or
  // SEND_CHAT_QUEUE_LIMIT fails at once.
  st.queue = bot::send_queue(rt->options.sender.limits);
  st.api = rt->bot_api;
  st.calls_inline = runs_on_test_coordinator(self->system());
  return {
      [=](msg::bot_call& call) -> caf::result<bot::api_response> {
        pending_call p;
        p.call = std::move(call);
        p.promise = self->make_response_promise();
        auto promise = p.promise;
        enqueue(self, std::move(p));
        pump(self);
        return promise;
      },
      [=](atoms::tick, std::int64_t at) {
        if (self->state.tick_at == at) self->state.tick_at = 0;
        pump(self);
      },
      [=](atoms::answer, std::uint64_t id, bot::api_response& r) {
        auto& st = self->state;
        auto node = st.in_flight.extract(id);
        if (node.empty()) return;
        on_result(self, node.mapped(), std::move(r));
        pump(self);
      },
      [=](atoms::retry, std::uint64_t id) {
        auto& st = self->state;
        auto it = st.calls.find(id);
        if (it == st.calls.end()) return;
        st.queue.requeue_front(it->second.item);
        pump(self);
      },
      [=](atoms::drain) -> caf::result<caf::ok_atom> {
        auto rp = self->make_response_promise();
        self->state.drain_waiters.push_back(rp);
        notify_drained(self);
        return rp;
      },
      crash_handler("sender"),
  };
}

caf::actor spawn_sender(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(sender, rt));
}

}  // namespace nocturna::actors
