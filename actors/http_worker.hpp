// A detached worker owning one keep-alive Bot API connection: (call, bot_call, timeout_ms) ->
// api_response. The sender drives a pool of them.
#pragma once

#include <caf/all.hpp>

#include "actors/runtime.hpp"

namespace nocturna::actors {

struct http_worker_state;
caf::behavior http_worker(caf::stateful_actor<http_worker_state>* self, runtime_ptr rt);

// Spawns it from `parent` (detached + linked; actors/blocking_spawn.hpp).
caf::actor spawn_http_worker(caf::local_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
