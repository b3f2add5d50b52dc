// The LLM actor (issue 5): interpretations from OpenRouter through a pool of detached workers
// (LLM_MAX_CONCURRENCY in flight, the rest queue), behind one shared circuit breaker. The day's
// text is generated once per key and shared: concurrent askers wait for the same generation.
//   (interpret, llm_query) -> llm_answer
// Only spawned when OPENROUTER_API_KEY is set; callers without it use the built-in interpreter.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct llm_state;
llm_api::behavior_type llm_actor(llm_api::stateful_pointer<llm_state> self, runtime_ptr rt);

// Spawns it from `parent` (monitored); its workers are linked to it.
caf::actor spawn_llm_actor(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
