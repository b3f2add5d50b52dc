// The calculations gateway (issue 3): one message interface for every chart the commands need,
// whichever backend computes it. A pool of detached workers does the blocking work (libswe file
// reads, or HTTP to the remote Nocturna API), so scheduler threads never wait on it.
//   (calc, chart_query) -> chart_answer      a whole chart bundle for one moment and place
//   (moon, moon_query) -> moon_answer        the lunar calendar of a day at a place (issue 21)
// A query whose deadline passed while it was queued is answered `unavailable` without running.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct calc_gateway_state;
calc_api::behavior_type calc_gateway(calc_api::stateful_pointer<calc_gateway_state> self,
                                     runtime_ptr rt);

// Spawns it from `parent` (monitored); its workers are linked to it.
caf::actor spawn_calc_gateway(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
