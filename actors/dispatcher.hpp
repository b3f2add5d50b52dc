// The dispatcher: chat id → session actor, spawned on demand, monitored, evicted when idle.
// Holds updates until the bot's identity (getMe) is known, tracks each chat's updates in flight,
// and re-runs them in a fresh session when one crashes (an update that crashed it twice is dead).
//   (identity, username)            the bot's @username for command matching
//   (msg::update)                   route to the chat's session
//   (done, chat_id, update_id)      a session finished an update
//   (drain) -> ok                   answered once no update is in flight
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct dispatcher_state;
dispatcher_api::behavior_type dispatcher(dispatcher_api::stateful_pointer<dispatcher_state> self,
                                         runtime_ptr rt);

// Spawns it from `parent` (monitored).
caf::actor spawn_dispatcher(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
