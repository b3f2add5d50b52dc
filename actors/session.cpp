#include "actors/session.hpp"

#include <spdlog/spdlog.h>

#include <deque>
#include <map>

#include "actors/message_types.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/router.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {

struct session_state {
  runtime_ptr rt;
  std::int64_t chat_id = 0;
  std::string bot_username;
  std::deque<msg::update> queue;
  bool busy = false;
  bot::chat_memory memory;
  std::int64_t last_busy_notice_ms = -1;
  static inline const char* name = "session";
};

namespace {

using self_ptr = caf::stateful_actor<session_state>*;

constexpr std::int64_t command_deadline_ms = 90'000;
constexpr std::int64_t busy_notice_interval_ms = 30'000;

void process_next(self_ptr self);

void finish(self_ptr self, const msg::update& u) {
  auto& sys = self->system();
  if (u.received_ms != 0)
    self->state.rt->metrics->observe("nocturna_update_handling_seconds", "",
                                     (steady_ms() - u.received_ms) / 1000.0);
  if (auto store = services::find(sys, services::store::value))
    self->send(store, atoms::done::value, u.update_id);
  if (auto dispatcher = services::find(sys, services::dispatcher::value))
    self->send(dispatcher, atoms::done::value, self->state.chat_id, u.update_id);
}

// Makes calls[i..] one after another; `already_sent` holds the seqs a previous run delivered.
void send_from(self_ptr self, msg::update u, std::vector<bot::outgoing_call> calls, std::size_t i,
               std::vector<std::int64_t> already_sent, std::int64_t deadline) {
  while (i < calls.size() && std::find(already_sent.begin(), already_sent.end(),
                                       static_cast<std::int64_t>(i)) != already_sent.end())
    ++i;  // delivered before the restart: not repeated (telegram.md §3.2)
  if (i >= calls.size()) {
    finish(self, u);
    self->state.busy = false;
    process_next(self);
    return;
  }
  msg::bot_call call;
  call.chat_id = self->state.chat_id;
  call.method = calls[i].method;
  call.json_body = calls[i].json_body;
  call.update_id = u.update_id;
  call.seq = static_cast<int>(i);
  call.deadline_ms = deadline;
  auto sender = services::find(self->system(), services::sender::value);
  auto wait =
      std::chrono::milliseconds(std::max<std::int64_t>(1000, deadline - steady_ms() + 5000));
  auto next = [=](bool ok, const std::string& why) {
    if (!ok)
      spdlog::warn("[session] chat={} update={} {} not delivered: {}", self->state.chat_id,
                   u.update_id, calls[i].method, why);
    send_from(self, u, calls, i + 1, already_sent, deadline);
  };
  if (!sender) {
    next(false, "sender not running");
    return;
  }
  self->request(sender, wait, std::move(call))
      .then([=](bot::api_response& r) { next(r.succeeded(), r.description); },
            [=](caf::error& e) { next(false, self->system().render(e)); });
}

void handle(self_ptr self, msg::update u, std::vector<std::int64_t> already_sent) {
  auto& st = self->state;
  std::string error;
  auto parsed = bot::parse_update(u.json, &error);
  if (!parsed) {
    // The poller stores unparseable updates dead; one arriving here is a bug: never retry it.
    spdlog::error("[session] chat={} update={} unparseable: {}", st.chat_id, u.update_id, error);
    if (auto store = services::find(self->system(), services::store::value))
      self->send(store, atoms::dead::value, u.update_id, std::string("unparseable: ") + error);
    if (auto dispatcher = services::find(self->system(), services::dispatcher::value))
      self->send(dispatcher, atoms::done::value, st.chat_id, u.update_id);
    st.busy = false;
    process_next(self);
    return;
  }
  auto calls = bot::route_update(*parsed, st.bot_username, st.memory, steady_ms());
  send_from(self, std::move(u), std::move(calls), 0, std::move(already_sent),
            steady_ms() + command_deadline_ms);
}

void process_next(self_ptr self) {
  auto& st = self->state;
  if (st.busy || st.queue.empty()) return;
  st.busy = true;
  auto u = std::move(st.queue.front());
  st.queue.pop_front();
  if (!u.rerun) {
    handle(self, std::move(u), {});
    return;
  }
  // A re-run after a restart: calls already accepted by Telegram are not made again.
  auto store = services::find(self->system(), services::store::value);
  if (!store) {
    handle(self, std::move(u), {});
    return;
  }
  self->request(store, std::chrono::seconds(10), atoms::sent_log::value, u.update_id)
      .then([=](std::vector<std::int64_t>& seqs,
                std::vector<std::string>&) { handle(self, u, std::move(seqs)); },
            [=](caf::error& e) {
              spdlog::warn("[session] chat={} sent-log lookup failed: {}", self->state.chat_id,
                           self->system().render(e));
              handle(self, u, {});
            });
}

// A live update beyond the chat's backlog limit is confirmed without running (bot.md §1.1).
bool over_backlog(self_ptr self, const msg::update& u) {
  auto& st = self->state;
  auto limit = st.rt->cfg.chat_backlog_limit;
  return !u.rerun && limit > 0 && st.busy && static_cast<int>(st.queue.size()) >= limit;
}

void drop_busy(self_ptr self, const msg::update& u) {
  auto& st = self->state;
  spdlog::warn("[session] chat={} update={} dropped: backlog limit {} reached", st.chat_id,
               u.update_id, st.rt->cfg.chat_backlog_limit);
  finish(self, u);
  auto now = steady_ms();
  if (st.last_busy_notice_ms >= 0 && now - st.last_busy_notice_ms < busy_notice_interval_ms) return;
  st.last_busy_notice_ms = now;
  msg::bot_call call;
  call.chat_id = st.chat_id;
  call.method = "sendMessage";
  call.json_body = bot::send_message_body(st.chat_id, texts::busy, false);
  if (auto sender = services::find(self->system(), services::sender::value))
    caf::anon_send(sender, std::move(call));  // nobody waits for this answer
}

}  // namespace

caf::behavior session(caf::stateful_actor<session_state>* self, runtime_ptr rt,
                      std::int64_t chat_id, std::string bot_username) {
  auto& st = self->state;
  st.rt = std::move(rt);
  st.chat_id = chat_id;
  st.bot_username = std::move(bot_username);
  return {
      [=](msg::update& u) {
        if (over_backlog(self, u)) {
          drop_busy(self, u);
          return;
        }
        self->state.queue.push_back(std::move(u));
        process_next(self);
      },
      [=](atoms::stop) {
        if (!self->state.busy && self->state.queue.empty()) self->quit();
      },
  };
}

caf::actor spawn_session(caf::event_based_actor* parent, runtime_ptr rt, std::int64_t chat_id,
                         std::string bot_username) {
  return parent->spawn<caf::monitored>(session, rt, chat_id, std::move(bot_username));
}

}  // namespace nocturna::actors
