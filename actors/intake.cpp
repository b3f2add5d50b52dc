#include "actors/intake.hpp"

#include <spdlog/spdlog.h>

#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/sender.hpp"
#include "protocol/command_menu.hpp"

namespace nocturna::actors {

const std::vector<std::string> allowed_updates = {"message", "callback_query", "my_chat_member",
                                                  "inline_query"};

std::optional<store::inbox_row> to_inbox_row(bot::raw_update e, const char* actor) {
  if (!e.update_id) {
    // The JSON is the user's message: only at debug level (still redacted by the log sink).
    spdlog::error("[{}] update without a readable update_id skipped ({} bytes)", actor,
                  e.json.size());
    spdlog::debug("[{}] the skipped update: {:.200}", actor, e.json);
    return std::nullopt;
  }
  store::inbox_row row;
  row.update_id = *e.update_id;
  row.chat_id = e.chat_id;
  row.json = std::move(e.json);
  std::string error;
  auto parsed = bot::parse_update(row.json, &error);
  if (!parsed) {
    row.state = store::inbox_state::dead;
    spdlog::error("[{}] update {} cannot be parsed, stored dead: {}", actor, row.update_id, error);
  } else if (!parsed->chat_id()) {
    row.state = store::inbox_state::done;  // nothing for a session to do
  } else {
    row.chat_id = parsed->chat_id();
  }
  return row;
}

void hand_on_inline(caf::actor_system& sys, const store::inbox_row& row) {
  if (row.state != store::inbox_state::done) return;
  auto parsed = bot::parse_update(row.json);
  if (!parsed || parsed->kind != bot::update_kind::inline_query) return;
  if (auto answerer = find<inline_api>(sys))
    caf::anon_send(answerer, msg::update{row.update_id, 0, row.json, false, steady_ms()});
}

namespace {

// The shared bodies, for either intake's typed self (the overloads at the end of this file).
template <class Self>
void dispatch_rows_of(Self* self, std::vector<store::inbox_row>& rows) {
  for (const auto& row : rows) hand_on_inline(self->system(), row);
  auto dispatcher = find<dispatcher_api>(self->system());
  // No dispatcher (it restarts): the rows are in the inbox, its successor claims them.
  if (!dispatcher) return;
  auto now = steady_ms();
  for (auto& row : rows) {
    if (row.state != store::inbox_state::pending) continue;
    self->send(dispatcher,
               msg::update{row.update_id, *row.chat_id, std::move(row.json), false, now});
  }
}

template <class Self>
void set_command_menu_of(Self* self, const char* actor) {
  auto sender = find<sender_api>(self->system());
  if (!sender) return;
  std::string name = actor;
  for (auto& body : bot::command_menu_bodies())
    self->request(sender, sender_answer_timeout, chatless_call("setMyCommands", body))
        .then(
            [name](bot::api_response& r) {
              if (!r.succeeded())
                spdlog::warn("[{}] setMyCommands failed: {}", name, r.description);
            },
            [self, name](caf::error& e) {
              spdlog::warn("[{}] setMyCommands failed: {}", name, self->system().render(e));
            });
}

}  // namespace

bool intake_paused(std::int64_t in_flight, std::int64_t limit, bool paused_before) {
  return in_flight > (paused_before ? limit / 2 : limit);
}

msg::bot_call chatless_call(std::string method, std::string body) {
  msg::bot_call c;
  c.method = std::move(method);
  c.json_body = std::move(body);
  return c;
}

namespace {

template <class Self>
void announce_identity_of(Self* self, const runtime& rt, const char* actor,
                          std::function<void()> next,
                          std::function<void(const std::string&)> retry) {
  auto sender = find<sender_api>(self->system());
  if (!sender) {
    retry("sender not running");
    return;
  }
  auto control = rt.control;
  std::string name = actor;
  self->request(sender, sender_answer_timeout, chatless_call("getMe", "{}"))
      .then(
          [=](bot::api_response& r) {
            if (r.kind == bot::outcome::unauthorized) {
              spdlog::critical("[{}] bot token rejected", name);
              control->request_exit(2);
              return;
            }
            auto me = r.succeeded() ? bot::parse_user(r.result_json) : std::nullopt;
            if (!me) {
              retry(r.description.empty() ? "unreadable getMe result" : r.description);
              return;
            }
            spdlog::info("[{}] bot @{} (id {})", name, me->username, me->id);
            if (auto d = find<dispatcher_api>(self->system()))
              self->send(d, atoms::identity::value, me->username);
            next();
          },
          [=](caf::error& e) { retry(self->system().render(e)); });
}

}  // namespace

void dispatch_rows(poller_api::pointer self, std::vector<store::inbox_row>& rows) {
  dispatch_rows_of(self, rows);
}
void dispatch_rows(webhook_api::pointer self, std::vector<store::inbox_row>& rows) {
  dispatch_rows_of(self, rows);
}
void set_command_menu(poller_api::pointer self, const char* actor) {
  set_command_menu_of(self, actor);
}
void set_command_menu(webhook_api::pointer self, const char* actor) {
  set_command_menu_of(self, actor);
}
void announce_identity(poller_api::pointer self, const runtime& rt, const char* actor,
                       std::function<void()> next, std::function<void(const std::string&)> retry) {
  announce_identity_of(self, rt, actor, std::move(next), std::move(retry));
}
void announce_identity(webhook_api::pointer self, const runtime& rt, const char* actor,
                       std::function<void()> next, std::function<void(const std::string&)> retry) {
  announce_identity_of(self, rt, actor, std::move(next), std::move(retry));
}

}  // namespace nocturna::actors
