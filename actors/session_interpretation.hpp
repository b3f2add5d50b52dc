// The interpretation block of /transit, /my_natal and /my_transit (bot.md §7): the LLM's text
// when it is configured and answers in time, else the built-in text; never two, never none.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "actors/session_state.hpp"
#include "clients/store/records.hpp"
#include "protocol/chart.hpp"

namespace nocturna::actors {

using block_continuation = std::function<void(std::string block_html)>;

// The day's text for the sky at 12:00 local of the date of `hour_utc` in TIMEZONE.
void day_interpretation(session_ptr self, const turn_ptr& t, std::int64_t hour_utc,
                        block_continuation k);
void natal_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                          const std::optional<store::natal_cache_record>& cache,
                          block_continuation k);
void transits_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             block_continuation k);

}  // namespace nocturna::actors
