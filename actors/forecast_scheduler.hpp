// The daily forecast scheduler (docs/behaviour.md §5). At start-up and every 30 s it asks the store
// for due subscriptions; a subscription without next_due_utc gets one
// (clients/astro/forecast_time.hpp); a due one is sent or skipped by the due-check. A forecast:
// birth data and the natal chart (cache or calculated), the transit sky at the due moment for the
// birth place, T_FORECAST with the built-in personal-transit interpretation, the claim of the local
// date and the next due written in one store job, then sendMessage on the sender's broadcast lane.
// A gone chat switches the subscription off ("blocked"); a failed calculation is tried again every
// 10 min inside the 60-min window. Blocking work happens only in the store actor and the
// calculations gateway.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "protocol/chart.hpp"

namespace nocturna::actors {

struct forecast_scheduler_state;
scheduler_api::behavior_type forecast_scheduler(
    scheduler_api::stateful_pointer<forecast_scheduler_state> self, runtime_ptr rt);

// T_FORECAST of `local_date` (YYYY-MM-DD) with the model's personal-transit text when given, else
// the built-in block: the daily forecast's text, also the «Мой прогноз на сегодня» inline card.
std::string forecast_message(const runtime& rt, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             const std::string& local_date,
                             const std::optional<std::string>& llm_text);

// Spawns it from `parent` (monitored).
caf::actor spawn_forecast_scheduler(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
