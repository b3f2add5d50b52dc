// Inline queries (issue 21): `@bot …` in any chat is answered with cards the user can send —
// «Небо сейчас» (the /transit_planets text), «Луна сегодня» (the /moon text at the user's birth
// place or the default place) and, with birth data, «Мой прогноз на сегодня» (the daily forecast's
// text, kept per user and local day in memory). An inline query belongs to no chat, so it never
// waits behind a chat's session nor holds one up: the intake hands it here (actors/intake.cpp)
// once it is in the inbox, marked done, and this actor answers it exactly once. Telegram forgets
// an unanswered query after about 10 s, so one that cannot be answered in time is dropped, never
// re-run after a restart. At most `max_in_flight` queries are worked on at once; more are dropped
// with a log line and nocturna_inline_dropped_total.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct inline_answerer_state;
inline_api::behavior_type inline_answerer(inline_api::stateful_pointer<inline_answerer_state> self,
                                          runtime_ptr rt);

// Spawns it from `parent` (monitored).
caf::actor spawn_inline_answerer(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
