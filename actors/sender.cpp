#include "actors/sender.hpp"

#include <spdlog/spdlog.h>

#include <deque>
#include <map>
#include <random>
#include <set>

#include "actors/crash_report.hpp"
#include "actors/http_worker.hpp"
#include "actors/message_types.hpp"
#include "actors/store_actor.hpp"
#include "clients/telegram/telegram_client.hpp"
#include "protocol/chat_migration.hpp"
#include "protocol/plain_fallback.hpp"
#include "protocol/rate_limit.hpp"
#include "protocol/send_policy.hpp"

namespace nocturna::actors {
namespace {

constexpr std::size_t chat_queue_limit = 50;
constexpr int max_transient_attempts = 3;
constexpr int max_flood_retries = 3;

struct pending_call {
  std::uint64_t id = 0;
  msg::bot_call call;
  caf::response_promise promise;
  int attempts = 0;
  int floods = 0;
};

bot::api_response local_failure(bot::outcome kind, std::string description) {
  bot::api_response r;
  r.kind = kind;
  r.description = std::move(description);
  return r;
}

}  // namespace

struct sender_state {
  runtime_ptr rt;
  std::vector<caf::actor> idle_workers;
  std::map<std::int64_t, std::deque<pending_call>> chat_queues;  // per-chat FIFO
  std::set<std::int64_t> chat_busy;  // at most one FIFO call in flight per chat
  std::deque<pending_call> direct;   // calls that skip the per-chat FIFO
  std::map<std::uint64_t, pending_call> in_flight;
  std::map<std::uint64_t, pending_call> waiting_retry;
  std::int64_t rr_cursor = 0;  // round robin over chats
  std::uint64_t next_id = 1;
  token_bucket overall{30, 30};
  token_bucket broadcast{20, 20};  // the broadcast lane's share of the overall 30/s
  std::map<std::int64_t, token_bucket> per_chat;
  std::map<std::int64_t, token_bucket> per_group;
  std::int64_t frozen_until = 0;
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
    for (auto& p : direct) fail(p);
    for (auto& [chat, q] : chat_queues)
      for (auto& p : q) fail(p);
    for (auto& [id, p] : in_flight) fail(p);
    for (auto& [id, p] : waiting_retry) fail(p);
    for (auto& rp : drain_waiters) rp.deliver(caf::ok_atom::value);
  }
};

namespace {

using self_ptr = caf::stateful_actor<sender_state>*;

bool limits_on(self_ptr self) {
  return self->state.rt->cfg.telegram_rate_limits;
}

token_bucket& chat_bucket(self_ptr self, std::int64_t chat) {
  return self->state.per_chat.try_emplace(chat, 3, 1).first->second;
}

token_bucket& group_bucket(self_ptr self, std::int64_t chat) {
  return self->state.per_group.try_emplace(chat, 20, 20.0 / 60.0).first->second;
}

// Milliseconds until `p` may go (0 = now), without taking tokens.
std::int64_t tokens_wait(self_ptr self, const pending_call& p, clock_ms now) {
  if (!limits_on(self)) return 0;
  auto wait = self->state.overall.wait_time(now).count();
  if (p.call.lane == msg::send_lane::broadcast)
    wait = std::max<std::int64_t>(wait, self->state.broadcast.wait_time(now).count());
  if (p.call.chat_id != 0 && bot::counts_per_chat(p.call.method)) {
    wait = std::max<std::int64_t>(wait, chat_bucket(self, p.call.chat_id).wait_time(now).count());
    if (p.call.chat_id < 0)
      wait =
          std::max<std::int64_t>(wait, group_bucket(self, p.call.chat_id).wait_time(now).count());
  }
  return wait;
}

void take_tokens(self_ptr self, const pending_call& p, clock_ms now) {
  if (!limits_on(self)) return;
  self->state.overall.try_take(now);
  if (p.call.lane == msg::send_lane::broadcast) self->state.broadcast.try_take(now);
  if (p.call.chat_id != 0 && bot::counts_per_chat(p.call.method)) {
    chat_bucket(self, p.call.chat_id).try_take(now);
    if (p.call.chat_id < 0) group_bucket(self, p.call.chat_id).try_take(now);
  }
}

bool uses_fifo(const msg::bot_call& c) {
  return c.chat_id != 0 && !bot::skips_chat_fifo(c.method);
}

void schedule_tick(self_ptr self, std::int64_t at) {
  auto& st = self->state;
  if (st.tick_at != 0 && st.tick_at <= at) return;
  st.tick_at = at;
  self->delayed_send(self, std::chrono::milliseconds(std::max<std::int64_t>(1, at - steady_ms())),
                     atoms::tick::value, at);
}

void deliver(pending_call& p, bot::api_response r) {
  p.promise.deliver(std::move(r));
}

bool idle(self_ptr self) {
  auto& st = self->state;
  if (!st.direct.empty() || !st.in_flight.empty() || !st.waiting_retry.empty()) return false;
  for (auto& [chat, q] : st.chat_queues)
    if (!q.empty()) return false;
  return true;
}

void notify_drained(self_ptr self) {
  if (!idle(self)) return;
  for (auto& rp : self->state.drain_waiters) rp.deliver(caf::ok_atom::value);
  self->state.drain_waiters.clear();
}

void pump(self_ptr self);

void requeue_front(self_ptr self, pending_call p) {
  if (uses_fifo(p.call))
    self->state.chat_queues[p.call.chat_id].push_front(std::move(p));
  else
    self->state.direct.push_front(std::move(p));
}

void drop_chat(self_ptr self, std::int64_t chat, const bot::api_response& why) {
  auto it = self->state.chat_queues.find(chat);
  if (it == self->state.chat_queues.end()) return;
  for (auto& p : it->second) deliver(p, why);
  self->state.chat_queues.erase(it);
}

bool rewrite_chat(std::string& json_body, std::int64_t chat_id) {
  auto rewritten = bot::with_chat_id(json_body, chat_id);
  if (rewritten) json_body = std::move(*rewritten);
  return rewritten.has_value();
}

void on_result(self_ptr self, std::uint64_t id, bot::api_response r) {
  auto& st = self->state;
  auto node = st.in_flight.extract(id);
  if (node.empty()) return;
  auto p = std::move(node.mapped());
  const auto c = p.call;  // a copy: `p` may be moved back into a queue below
  const auto log_name = bot::telegram_client::log_name(c.method);
  auto now = steady_ms();
  bool keep_chat_busy = false;
  st.rt->metrics->add("nocturna_bot_api_calls_total", "method=\"" + metrics::label_value(c.method) +
                                                          "\",outcome=\"" +
                                                          bot::outcome_name(r.kind) + "\"");
  if (r.kind == bot::outcome::flood) st.rt->metrics->add("nocturna_flood_waits_total");
  switch (r.kind) {
    case bot::outcome::ok:
    case bot::outcome::not_modified:
    case bot::outcome::already_done:
      spdlog::debug("[sender] chat={} {} {}", c.chat_id, log_name, bot::outcome_name(r.kind));
      if (c.seq >= 0 && c.update_id != 0)
        queue_sent(self->system(), *st.rt, c.update_id, c.seq, r.result_json);
      deliver(p, std::move(r));
      break;
    case bot::outcome::flood: {
      auto retry_ms = r.retry_after.value_or(1) * 1000 + 500;
      st.frozen_until = std::max(st.frozen_until, now + retry_ms);
      spdlog::warn("[sender] chat={} {} flood control: all sending frozen for {} ms", c.chat_id,
                   log_name, retry_ms);
      if (++p.floods <= max_flood_retries) {
        requeue_front(self, std::move(p));
      } else {
        deliver(p, std::move(r));
      }
      break;
    }
    case bot::outcome::transient: {
      bool retry = ++p.attempts < max_transient_attempts &&
                   (!r.maybe_delivered || bot::is_idempotent(c.method));
      if (!retry) {
        spdlog::error("[sender] chat={} {} failed after {} attempts: {}", c.chat_id, log_name,
                      p.attempts, r.description);
        deliver(p, std::move(r));
        break;
      }
      std::uniform_real_distribution<double> jitter(0, 1);
      auto delay =
          backoff_delay(p.attempts, clock_ms(500), 2.0, clock_ms(2000), 0.0, 0.5, jitter(st.rng));
      spdlog::warn("[sender] chat={} {} transient failure ({}), retry {} in {} ms", c.chat_id,
                   log_name, r.description, p.attempts, delay.count());
      keep_chat_busy = uses_fifo(c);
      st.rt->metrics->add("nocturna_bot_api_retries_total");
      st.waiting_retry.emplace(id, std::move(p));
      self->delayed_send(self, delay, atoms::retry::value, id);
      break;
    }
    case bot::outcome::unauthorized:
      spdlog::critical("[sender] {} bot token rejected (401): stopping", log_name);
      st.rt->control->request_exit(2);
      deliver(p, std::move(r));
      break;
    case bot::outcome::bad_entities: {
      // Our bug: the text still reaches the user, once, as plain text.
      spdlog::error("[sender] chat={} {} {}: {:.300}", c.chat_id, log_name, r.description,
                    c.json_body);
      auto plain = p.attempts == 0 ? bot::as_plain_text_call(c.json_body) : std::nullopt;
      if (!plain) {
        deliver(p, std::move(r));
        break;
      }
      p.call.json_body = std::move(*plain);
      ++p.attempts;
      requeue_front(self, std::move(p));
      break;
    }
    case bot::outcome::migrated: {
      // The group became a supergroup: the call goes once more, to the new chat. Its later
      // updates arrive under the new id, so the dispatcher gives it a session of its own.
      auto to = *r.migrate_to_chat_id;
      bool moved = p.attempts == 0 &&
                   (p.call.file_field.empty() ? rewrite_chat(p.call.json_body, to)
                                              : bot::set_chat_id_field(p.call.fields, to));
      spdlog::warn("[sender] chat={} {} chat migrated to {}{}", c.chat_id, log_name, to,
                   moved ? ", resending there" : "");
      if (!moved) {
        deliver(p, std::move(r));
        break;
      }
      p.call.chat_id = to;
      ++p.attempts;
      requeue_front(self, std::move(p));
      break;
    }
    case bot::outcome::chat_gone:
      spdlog::warn("[sender] chat={} {} chat is gone ({}): dropping its queued calls", c.chat_id,
                   log_name, r.description);
      drop_chat(self, c.chat_id, r);
      deliver(p, std::move(r));
      break;
    default:
      spdlog::error("[sender] chat={} {} rejected ({} {}): {}", c.chat_id, log_name, r.error_code,
                    bot::outcome_name(r.kind), r.description);
      deliver(p, std::move(r));
      break;
  }
  if (!keep_chat_busy && uses_fifo(c)) st.chat_busy.erase(c.chat_id);
}

void dispatch(self_ptr self, pending_call p) {
  auto& st = self->state;
  auto now = steady_ms();
  auto limit = bot::default_deadline(p.call.method).count();
  if (p.call.deadline_ms != 0) limit = std::min<std::int64_t>(limit, p.call.deadline_ms - now);
  if (limit <= 0) {
    spdlog::warn("[sender] chat={} {} deadline passed before sending", p.call.chat_id,
                 bot::telegram_client::log_name(p.call.method));
    deliver(p, local_failure(bot::outcome::transient, "deadline passed"));
    return;
  }
  auto worker = st.idle_workers.back();
  st.idle_workers.pop_back();
  if (uses_fifo(p.call)) st.chat_busy.insert(p.call.chat_id);
  auto id = p.id;
  auto call = p.call;
  st.in_flight.emplace(id, std::move(p));
  self->request(worker, std::chrono::milliseconds(limit + 5000), atoms::call::value,
                std::move(call), limit)
      .then(
          [=](bot::api_response& r) {
            self->state.idle_workers.push_back(worker);
            on_result(self, id, std::move(r));
            pump(self);
          },
          [=](caf::error& e) {
            // The worker died or overran its deadline: replace it, report a transient failure.
            auto& st = self->state;
            st.idle_workers.push_back(spawn_http_worker(self, st.rt));
            on_result(self, id, local_failure(bot::outcome::transient, self->system().render(e)));
            pump(self);
          });
}

// Picks the next call that may go now; sets `wait_ms` to the shortest wait when none may.
std::optional<pending_call> pick(self_ptr self, clock_ms now, std::int64_t& wait_ms) {
  auto& st = self->state;
  wait_ms = -1;
  auto consider = [&](std::int64_t w) {
    if (wait_ms < 0 || w < wait_ms) wait_ms = w;
  };
  if (!st.direct.empty()) {
    auto w = tokens_wait(self, st.direct.front(), now);
    if (w == 0) {
      auto p = std::move(st.direct.front());
      st.direct.pop_front();
      take_tokens(self, p, now);
      return p;
    }
    consider(w);
  }
  if (st.chat_queues.empty()) return std::nullopt;
  // Interactive calls first; a forecast goes only when no reply is ready (telegram.md §6.1).
  for (auto lane : {msg::send_lane::interactive, msg::send_lane::broadcast}) {
    // Round robin: start after the chat served last, wrap around once.
    auto start = st.chat_queues.upper_bound(st.rr_cursor);
    for (std::size_t n = 0; n < st.chat_queues.size(); ++n) {
      if (start == st.chat_queues.end()) start = st.chat_queues.begin();
      auto it = start++;
      auto& [chat, queue] = *it;
      if (queue.empty() || st.chat_busy.count(chat) || queue.front().call.lane != lane) continue;
      auto w = tokens_wait(self, queue.front(), now);
      if (w > 0) {
        consider(w);
        continue;
      }
      auto p = std::move(queue.front());
      queue.pop_front();
      take_tokens(self, p, now);
      st.rr_cursor = chat;
      if (queue.empty()) st.chat_queues.erase(it);
      return p;
    }
  }
  return std::nullopt;
}

void report_queue_depth(self_ptr self) {
  auto& st = self->state;
  std::size_t queued = st.direct.size();
  for (auto& [chat, q] : st.chat_queues) queued += q.size();
  st.rt->metrics->set("nocturna_sender_queued_calls", "", static_cast<double>(queued));
}

void pump(self_ptr self) {
  auto& st = self->state;
  while (!st.idle_workers.empty()) {
    auto now = steady_ms();
    if (now < st.frozen_until) {
      schedule_tick(self, st.frozen_until);
      return;
    }
    std::int64_t wait = -1;
    auto p = pick(self, clock_ms(now), wait);
    if (!p) {
      if (wait > 0) schedule_tick(self, now + wait);
      break;
    }
    dispatch(self, std::move(*p));
  }
  report_queue_depth(self);
  notify_drained(self);
}

void enqueue(self_ptr self, pending_call p) {
  auto& st = self->state;
  const auto& c = p.call;
  if (c.method == "sendChatAction") {
    // At most one pending chat action per chat: the newer replaces the older.
    for (auto& q : st.direct) {
      if (q.call.chat_id == c.chat_id && q.call.method == c.method) {
        deliver(q, local_failure(bot::outcome::ok, "superseded"));
        q = std::move(p);
        return;
      }
    }
  }
  if (!uses_fifo(c)) {
    st.direct.push_back(std::move(p));
    return;
  }
  auto& queue = st.chat_queues[c.chat_id];
  if (queue.size() >= chat_queue_limit) {
    spdlog::error("[sender] chat={} {} queue full ({} calls): call refused", c.chat_id,
                  bot::telegram_client::log_name(c.method), queue.size());
    deliver(p, local_failure(bot::outcome::rejected, "sender queue full"));
    return;
  }
  queue.push_back(std::move(p));
}

}  // namespace

caf::behavior sender(caf::stateful_actor<sender_state>* self, runtime_ptr rt) {
  auto& st = self->state;
  report_crashes(self, rt, "sender");
  st.rt = rt;
  for (int i = 0; i < rt->cfg.telegram_connections; ++i)
    st.idle_workers.push_back(spawn_http_worker(self, rt));
  return {
      [=](msg::bot_call& call) {
        auto& st = self->state;
        pending_call p;
        p.id = st.next_id++;
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
      [=](atoms::retry, std::uint64_t id) {
        auto& st = self->state;
        auto node = st.waiting_retry.extract(id);
        if (node.empty()) return;
        auto p = std::move(node.mapped());
        if (uses_fifo(p.call)) st.chat_busy.erase(p.call.chat_id);
        requeue_front(self, std::move(p));
        pump(self);
      },
      [=](atoms::drain) {
        auto rp = self->make_response_promise();
        self->state.drain_waiters.push_back(rp);
        notify_drained(self);
        return rp;
      },
      crash_handler("sender"),
  };
}

caf::actor spawn_sender(caf::event_based_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::monitored>(sender, rt);
}

}  // namespace nocturna::actors
