// The renderer (issue 6): chart pictures off the scheduler threads. A pool of detached workers
// asks the external chart service when it is configured (and the chart has houses), then falls
// back to the built-in cairo renderer; an answer with an empty `png` means "send no picture".
//   (render, picture_query) -> picture_answer
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct renderer_state;
renderer_api::behavior_type renderer(renderer_api::stateful_pointer<renderer_state> self,
                                     runtime_ptr rt);

// Spawns it from `parent` (monitored); its workers are linked to it.
caf::actor spawn_renderer(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
