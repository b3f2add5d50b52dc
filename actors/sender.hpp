// The sender: the only actor that calls the Bot API, except the poller's getUpdates
// (docs/telegram.md §6). Request: (bot_call) -> api_response; (drain) -> ok once nothing is queued.
#pragma once

#include <caf/all.hpp>
#include <chrono>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

// How long a caller waits for the sender's answer to a chat-less call (getMe, setMyCommands,
// deleteWebhook, setWebhook, getWebhookInfo): longer than the sender's own 30 s deadline for such
// a call (bot::default_deadline), so the caller hears the sender's verdict, not its own timeout.
constexpr auto sender_answer_timeout = std::chrono::seconds(40);

struct sender_state;
sender_api::behavior_type sender(sender_api::stateful_pointer<sender_state> self, runtime_ptr rt);

// Spawns it from `parent` (monitored).
caf::actor spawn_sender(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
