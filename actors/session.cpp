#include "actors/session.hpp"

#include <spdlog/spdlog.h>

#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/session_commands.hpp"
#include "actors/session_io.hpp"
#include "actors/store_actor.hpp"
#include "protocol/command_table.hpp"
#include "protocol/commands.hpp"
#include "protocol/router.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {
namespace {

constexpr std::int64_t command_deadline_ms = 90'000;
constexpr std::int64_t busy_notice_interval_ms = 30'000;

void process_next(session_ptr self);

void report_done(session_ptr self, const msg::update& u) {
  auto& sys = self->system();
  // Every call of the turn has been answered by now: tests wait for this line.
  spdlog::debug("[session] chat={} update={} handled", self->state.chat_id, u.update_id);
  if (u.received_ms != 0)
    self->state.rt->metrics->observe("nocturna_update_handling_seconds", "",
                                     (steady_ms() - u.received_ms) / 1000.0);
  // Through the process's outbox, so a store restart loses no done mark.
  queue_done(sys, *self->state.rt, u.update_id);
  if (auto dispatcher = find<dispatcher_api>(sys))
    self->send(dispatcher, atoms::done::value, self->state.chat_id, u.update_id);
}

// A command of protocol/command_table.hpp where it may run: every row has its case here, so a new
// row without a handler does not compile (-Werror=switch).
void run_known_command(session_ptr self, const turn_ptr& t, bot::command_id id,
                       const bot::command& cmd) {
  using bot::command_id;
  switch (id) {
    case command_id::transit:
      return run_transit(self, t);
    case command_id::transit_planets:
      return run_transit_planets(self, t);
    case command_id::transit_aspects:
      return run_transit_aspects(self, t);
    case command_id::moon:
      return run_moon(self, t, cmd.args);
    case command_id::natal:
    case command_id::cancel:
      return run_dialogue_command(self, t, id);
    case command_id::my_natal:
      return run_my_natal(self, t);
    case command_id::my_transit:
      return run_my_transit(self, t);
    case command_id::compat:
      return run_compat(self, t);
    case command_id::subscribe:
      return run_subscribe(self, t, cmd.args);
    case command_id::unsubscribe:
      return run_unsubscribe(self, t);
    case command_id::settings:
      return run_settings(self, t);
    case command_id::profile:
      return run_profile(self, t);
    case command_id::clear_profile:
      return run_clear_profile(self, t);
    case command_id::start:
      // `/start c_{code}` in a private chat: an invitation link of /compat (docs/architecture.md).
      if (t->message()->chat.is_private() && cmd.args.rfind("c_", 0) == 0)
        return run_invite_start(self, t, cmd.args);
      return route_simply(self, t);
    case command_id::help:
      return route_simply(self, t);
  }
  route_simply(self, t);
}

// Commands that need more than the router's quick replies. Unknown commands, and
// private-only ones in a group, get the router's reply.
void run_command(session_ptr self, const turn_ptr& t, const bot::command& cmd) {
  const auto* spec = bot::find_command(cmd.name);
  if (!t->message()->chat.is_private()) {
    if (!spec || spec->private_only) return route_simply(self, t);
    return run_known_command(self, t, spec->id, cmd);
  }
  // /natal and /cancel judge an expired dialogue themselves (actors/session_dialogue.cpp).
  if (spec && (spec->id == bot::command_id::natal || spec->id == bot::command_id::cancel))
    return run_known_command(self, t, spec->id, cmd);
  clear_expired_dialogue(self, t, [=] {
    if (!spec) return route_simply(self, t);
    run_known_command(self, t, spec->id, cmd);
  });
}

void run_message(session_ptr self, const turn_ptr& t) {
  const auto& m = *t->message();
  bot::command cmd;
  switch (bot::match_command(m, *self->state.bot_username, &cmd)) {
    case bot::command_match::ours:
      return run_command(self, t, cmd);
    case bot::command_match::other_bot:
      return end_turn(self, t);
    case bot::command_match::none:
      break;
  }
  if (m.chat.is_private() && !m.is_service) return on_private_message(self, t);
  end_turn(self, t);
}

void run_callback(session_ptr self, const turn_ptr& t) {
  const auto& data = t->parsed.callback_query->data;
  auto prefix = data.substr(0, 2);
  if (prefix == "n:") return on_dialogue_button(self, t);
  if (prefix == "x:") return on_clear_button(self, t);
  if (prefix == "s:") return on_settings_button(self, t);
  if (prefix == "p:" || prefix == "i:") return on_compat_button(self, t);
  answer_stale(self, t, [=] { end_turn(self, t); });
}

void run_turn(session_ptr self, const turn_ptr& t) {
  switch (t->parsed.kind) {
    case bot::update_kind::message:
      if (t->parsed.message) return run_message(self, t);
      break;
    case bot::update_kind::callback_query:
      if (t->parsed.callback_query) return run_callback(self, t);
      break;
    case bot::update_kind::my_chat_member:
      if (t->parsed.my_chat_member) return on_membership(self, t);
      break;
    case bot::update_kind::edited_message:  // confirmed and ignored (docs/behaviour.md §1.1)
    case bot::update_kind::inline_query:    // never routed to a session (actors/intake.cpp)
    case bot::update_kind::other:
      break;
  }
  end_turn(self, t);
}

void handle(session_ptr self, msg::update u, std::map<int, std::string> already_sent) {
  auto& st = self->state;
  std::string error;
  auto parsed = bot::parse_update(u.json, &error);
  if (!parsed) {
    // The poller stores unparseable updates dead; one arriving here is a bug: never retry it.
    spdlog::error("[session] chat={} update={} unparseable: {}", st.chat_id, u.update_id, error);
    if (auto store = find<store_api>(self->system()))
      self->send(store, atoms::dead::value, u.update_id, std::string("unparseable: ") + error);
    if (auto dispatcher = find<dispatcher_api>(self->system()))
      self->send(dispatcher, atoms::done::value, st.chat_id, u.update_id);
    st.busy = false;
    process_next(self);
    return;
  }
  // Parsed: the raw JSON is not read again, and the dispatcher keeps its own copy until the turn
  // is done (for a restarted session). Up to INTAKE_BACKLOG_LIMIT turns wait at once in a burst.
  u.json = std::string();
  auto t = std::make_shared<turn>();
  t->started_ms = u.received_ms != 0 && !u.rerun ? u.received_ms : steady_ms();
  t->deadline_ms = t->started_ms + command_deadline_ms;
  t->u = std::move(u);
  t->parsed = std::move(*parsed);
  t->already_sent = std::move(already_sent);
  if (auto* m = t->message(); m && !m->chat.is_private()) t->reply_to = m->message_id;
  run_turn(self, t);
}

void process_next(session_ptr self) {
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
  auto store = find<store_api>(self->system());
  if (!store) {
    handle(self, std::move(u), {});
    return;
  }
  self->request(store, std::chrono::seconds(10), atoms::sent_log::value, u.update_id)
      .then(
          [=](std::vector<std::int64_t>& seqs, std::vector<std::string>& results) {
            std::map<int, std::string> sent;
            for (std::size_t i = 0; i < seqs.size() && i < results.size(); ++i)
              sent[static_cast<int>(seqs[i])] = results[i];
            handle(self, u, std::move(sent));
          },
          [=](caf::error& e) {
            spdlog::warn("[session] chat={} sent-log lookup failed: {}", self->state.chat_id,
                         self->system().render(e));
            handle(self, u, {});
          });
}

// A live update beyond the chat's backlog limit is confirmed without running (docs/behaviour.md
// §1.1).
bool over_backlog(session_ptr self, const msg::update& u) {
  auto& st = self->state;
  auto limit = st.rt->cfg.chat_backlog_limit;
  return !u.rerun && limit > 0 && st.busy && static_cast<int>(st.queue.size()) >= limit;
}

void drop_busy(session_ptr self, const msg::update& u) {
  auto& st = self->state;
  spdlog::warn("[session] chat={} update={} dropped: backlog limit {} reached", st.chat_id,
               u.update_id, st.rt->cfg.chat_backlog_limit);
  report_done(self, u);
  auto now = steady_ms();
  if (st.last_busy_notice_ms >= 0 && now - st.last_busy_notice_ms < busy_notice_interval_ms) return;
  st.last_busy_notice_ms = now;
  msg::bot_call call;
  call.chat_id = st.chat_id;
  call.method = "sendMessage";
  call.json_body = bot::send_message_body(st.chat_id, texts::busy, false);
  if (auto sender = find<sender_api>(self->system()))
    caf::anon_send(sender, std::move(call));  // nobody waits for this answer
}

}  // namespace

void end_turn(session_ptr self, const turn_ptr& t) {
  stop_chat_action(self);
  report_done(self, t->u);
  self->state.busy = false;
  process_next(self);
}

void quick_reply(session_ptr self, const turn_ptr& t, std::string text, bool html,
                 std::string reply_markup) {
  auto body = bot::send_message_body(t->chat_id(), text, html, t->reply_to, reply_markup);
  bot_call(self, t, "sendMessage", std::move(body),
           [=](const bot::api_response&) { end_turn(self, t); });
}

void route_simply(session_ptr self, const turn_ptr& t) {
  const auto* m = t->message();
  if (!m) return end_turn(self, t);
  auto calls = bot::route_message(*m, *self->state.bot_username, self->state.memory, steady_ms());
  bot_calls(self, t, std::move(calls), [=] { end_turn(self, t); });
}

session_api::behavior_type session(session_ptr self, runtime_ptr rt, std::int64_t chat_id,
                                   shared_username bot_username) {
  replace_printing_handlers(self, "session");
  auto& st = self->state;
  // Only `self` is captured, so the handler fits in std::function's own storage: no allocation
  // for each of the many idle sessions (docs/benchmarks.md, per-session memory). The dispatcher
  // declares the metric once.
  self->set_exception_handler([self](caf::scheduled_actor*, std::exception_ptr& eptr) {
    return crash_error(*self->state.rt, "session", self->state.chat_id, eptr);
  });
  st.rt = std::move(rt);
  st.chat_id = chat_id;
  st.bot_username = std::move(bot_username);
  ++st.rt->tree->live_sessions;
  return {
      [=](msg::update& u) {
        if (over_backlog(self, u)) {
          drop_busy(self, u);
          return;
        }
        self->state.queue.push_back(std::move(u));
        process_next(self);
      },
      [=](atoms::typing, std::uint64_t generation) { renew_chat_action(self, generation); },
      [=](atoms::next) { resume_waiting(self); },
      // Its group became a supergroup: the dispatcher routes the new id here from now on.
      [=](atoms::chat_moved, std::int64_t, std::int64_t to) { self->state.chat_id = to; },
      crash_handler("session"),
  };
}

session_api spawn_session(caf::local_actor* parent, runtime_ptr rt, std::int64_t chat_id,
                          shared_username bot_username) {
  auto handle = parent->spawn(session, rt, chat_id, std::move(bot_username));
  // Not a monitor: a monitor would need a map from the session's address to its chat in the
  // dispatcher, and costs more per session than this notice, which carries the chat itself.
  caf::actor_cast<caf::abstract_actor*>(handle)->attach_functor(
      [dispatcher = parent->address(), chat_id, id = handle.id()](const caf::error& reason) {
        if (auto d = caf::actor_cast<dispatcher_api>(dispatcher))
          caf::anon_send(d, atoms::ended::value, chat_id, id, reason);
      });
  return handle;
}

}  // namespace nocturna::actors
