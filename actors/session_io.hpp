// The outside calls a session makes while handling one turn, each with the turn's deadline, as
// continuation-passing helpers: the continuation runs in the session when the answer comes.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "actors/ask_store.hpp"
#include "actors/message_types.hpp"
#include "actors/session_state.hpp"
#include "clients/store/records.hpp"
#include "protocol/reports.hpp"

namespace nocturna::actors {

using api_continuation = std::function<void(const bot::api_response&)>;

// One Bot API call through the sender, numbered for the sent-log; to the turn's chat unless
// `call.chat_id` names another. A call a previous run already
// made is not repeated: its recorded result is handed to `k` instead.
void bot_call(session_ptr self, const turn_ptr& t, msg::bot_call call, api_continuation k);
void bot_call(session_ptr self, const turn_ptr& t, std::string method, std::string json_body,
              api_continuation k);
// Steps parked on something outside (calls while the sender restarts, place lookups while the
// gazetteer is built) try again (on the session's (next) timer).
void resume_waiting(session_ptr self);
// Makes `calls` in order (failures are logged and skipped), then runs `k`.
void bot_calls(session_ptr self, const turn_ptr& t, std::vector<bot::outgoing_call> calls,
               std::function<void()> k);
// The message_id of a sendMessage result; 0 when absent.
std::int64_t sent_message_id(const bot::api_response& r);

// What is left of the turn's deadline, at least `floor_ms`.
std::chrono::milliseconds time_left(const turn_ptr& t, std::int64_t floor_ms = 1000);

// Logs a failed store request of the turn: one line with the chat id, `what` and why.
store_failure_log store_failure_logger(const turn_ptr& t, std::string what);

// A request to the store (actors/store_requests.hpp) within the turn's deadline: `k` gets the
// answer, or nothing when there was none (logged).
template <class Answer, class... Request>
void store_ask(session_ptr self, const turn_ptr& t, std::string what,
               std::function<void(store_outcome<Answer>)> k, Request... request) {
  ask_store<Answer>(self, time_left(t), store_failure_logger(t, std::move(what)), std::move(k),
                    std::move(request)...);
}

void calculate(session_ptr self, const turn_ptr& t, astro::chart_request request,
               std::function<void(msg::chart_answer&)> k);
// The lunar calendar from the calculations gateway; an `unavailable` error when it does not answer.
void lunar(session_ptr self, const turn_ptr& t, astro::lunar_query query,
           std::function<void(msg::moon_answer&)> k);
void draw(session_ptr self, const turn_ptr& t, msg::picture_query query,
          std::function<void(msg::picture_answer&)> k);

// sendChatAction now and every 4.5 s until another action or stop_chat_action.
void start_chat_action(session_ptr self, const std::string& action);
void stop_chat_action(session_ptr self);
void renew_chat_action(session_ptr self, std::uint64_t generation);

// Saved birth data as reports show them.
reports::birth_view birth_view_of(const store::birth_record& b);

// 8 random lower-case hex digits: the nonce of a question with buttons (docs/behaviour.md §1.4).
std::string random_nonce();

// The turn is over: the inbox row is marked done and the next queued update starts.
void end_turn(session_ptr self, const turn_ptr& t);

}  // namespace nocturna::actors
