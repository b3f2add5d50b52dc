// The interpretation block of /transit, /my_natal, /my_transit, /compat and /moon
// (docs/behaviour.md §7): the LLM's text when it is configured and answers in time, else the
// built-in text; never two, never none.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/session_state.hpp"
#include "clients/astro/lunar_calendar.hpp"
#include "protocol/chart.hpp"

namespace nocturna::actors {

using block_continuation = std::function<void(std::string block_html)>;

// The day's text for the sky at 12:00 local of the date of `hour_utc` in TIMEZONE; when that sky
// cannot be computed, the built-in text of `hour_sky` (the report's own chart).
void day_interpretation(session_ptr self, const turn_ptr& t, std::int64_t hour_utc,
                        std::shared_ptr<const astro::chart> hour_sky, block_continuation k);
// Which natal chart the text belongs to, and the model's text cached with it.
struct natal_key {
  std::int64_t birth_version = 0;
  char house_system = 'P';
  std::optional<std::string> cached_llm_text;
};
void natal_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                          const natal_key& key, block_continuation k);
void transits_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             block_continuation k);

// /compat: the pair's text for the reader of `inner`; a per-user generation (LLM_DAILY_LIMIT).
void compat_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& inner,
                           const astro::chart& outer, const std::vector<astro::aspect>& inter,
                           block_continuation k);
// /moon: the short text of the phase and the lunar day of `date_text` (DD.MM.YYYY, local).
void moon_interpretation(session_ptr self, const turn_ptr& t, const astro::lunar_calendar& c,
                         const std::string& date_text, block_continuation k);

}  // namespace nocturna::actors
