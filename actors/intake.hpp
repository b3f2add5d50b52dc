// What the poller and the webhook receiver share: turning received update elements into inbox
// rows, the command menu, and chat-less calls. Rows left pending by an earlier run (or by a dead
// dispatcher) are the dispatcher's to re-run (actors/dispatcher.cpp), never the intake's.
#pragma once

#include <caf/all.hpp>
#include <functional>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "clients/store/store.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/messages.hpp"

namespace nocturna::actors {

// The inbox row for one received element: pending when a session has work, done when the update
// concerns no chat, dead (with an error line) when it cannot be parsed. Nothing without an id.
std::optional<store::inbox_row> to_inbox_row(bot::raw_update element, const char* actor);

// Hands the pending rows to the dispatcher, stamped with their arrival time.
void dispatch_rows(poller_api::pointer self, std::vector<store::inbox_row>& rows);
void dispatch_rows(webhook_api::pointer self, std::vector<store::inbox_row>& rows);
// The update types the bot asks Telegram for (getUpdates and setWebhook alike).
extern const std::vector<std::string> allowed_updates;

// An inline query (stored done: it belongs to no chat) goes to the inline answerer
// (actors/inline_answerer.hpp) instead of a session; any other row is left alone. Thread-safe.
void hand_on_inline(caf::actor_system& sys, const store::inbox_row& row);

// setMyCommands for both scopes, in the background; failures are logged, never fatal.
void set_command_menu(poller_api::pointer self, const char* actor);
void set_command_menu(webhook_api::pointer self, const char* actor);

msg::bot_call chatless_call(std::string method, std::string body);

// Intake backpressure with hysteresis (docs/architecture.md "Backpressure"): whether the intake
// is paused after seeing `in_flight` updates in flight. It pauses above `limit` and stays paused
// until they fell to half of it, so it does not flap at the limit.
bool intake_paused(std::int64_t in_flight, std::int64_t limit, bool paused_before);

// getMe through the sender. On success the dispatcher learns the bot's username and `next` runs;
// a rejected token stops the process with exit code 2; any other failure calls `retry(reason)`.
void announce_identity(poller_api::pointer self, const runtime& rt, const char* actor,
                       std::function<void()> next, std::function<void(const std::string&)> retry);
void announce_identity(webhook_api::pointer self, const runtime& rt, const char* actor,
                       std::function<void()> next, std::function<void(const std::string&)> retry);

}  // namespace nocturna::actors
