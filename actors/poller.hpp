// The poller (detached): asks the sender for getMe and deleteWebhook, re-runs pending inbox rows,
// then long-polls getUpdates; each batch and the new offset are committed to the inbox in one
// transaction before any update is dispatched (docs/telegram.md §2). (stop) ends it after the final
// confirming getUpdates.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct poller_state;
poller_api::behavior_type poller(poller_api::stateful_pointer<poller_state> self, runtime_ptr rt);

// The JSON body of a getUpdates call.
std::string get_updates_body(std::optional<std::int64_t> offset, int limit, int timeout_s);

// Spawns it from `parent` (detached + monitored).
caf::actor spawn_poller(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
