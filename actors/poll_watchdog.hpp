// Aborts a stalled long poll from outside the poller's thread (docs/telegram.md §2.6); the poller
// then replaces its connection and polls again.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

watchdog_api::behavior_type poll_watchdog(watchdog_api::pointer self, runtime_ptr rt);

// Spawns it from `parent` (monitored).
caf::actor spawn_poll_watchdog(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
