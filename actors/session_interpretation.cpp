#include "actors/session_interpretation.hpp"

#include <spdlog/spdlog.h>

#include "actors/session_io.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "protocol/reports.hpp"

namespace nocturna::actors {
namespace {

std::string builtin_block(session_ptr self, reports::purpose p, const std::string& text) {
  // An LLM that is configured but not used here leaves the note of bot.md §7.1.
  return reports::interpretation_block(p, text, true, self->state.rt->cfg.llm_enabled());
}

}  // namespace

void day_interpretation(session_ptr self, const turn_ptr& t, std::int64_t hour_utc,
                        block_continuation k) {
  const auto& cfg = self->state.rt->cfg;
  auto noon = astro::local_noon(hour_utc, cfg.timezone);
  auto request =
      astro::chart_request::at_utc(noon, cfg.sky_latitude, cfg.sky_longitude, cfg.timezone, 'P');
  calculate(self, t, request, [=](msg::chart_answer& a) {
    if (!a.chart) {
      // Without the noon sky there is no text to give: the report stands alone.
      spdlog::warn("[session] chat={} day interpretation: noon sky failed: {}", t->chat_id(),
                   a.error.detail);
      return k(std::string());
    }
    k(builtin_block(self, reports::purpose::day,
                    interpret::day_text(*self->state.rt->meanings, *a.chart)));
  });
}

void natal_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                          const std::optional<store::natal_cache_record>& cache,
                          block_continuation k) {
  k(builtin_block(self, reports::purpose::natal,
                  interpret::natal_text(*self->state.rt->meanings, natal)));
}

void transits_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             block_continuation k) {
  k(builtin_block(self, reports::purpose::transits,
                  interpret::transits_text(*self->state.rt->meanings, transit, transit_to_natal)));
}

}  // namespace nocturna::actors
