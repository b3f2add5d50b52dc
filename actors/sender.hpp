// The sender: the only actor that calls the Bot API, except the poller's getUpdates
// (telegram.md §6). Request: (bot_call) -> api_response; (drain) -> ok once nothing is queued.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct sender_state;
sender_api::behavior_type sender(sender_api::stateful_pointer<sender_state> self, runtime_ptr rt);

// Spawns it from `parent` (monitored).
caf::actor spawn_sender(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
