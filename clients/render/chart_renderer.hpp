// The built-in chart pictures (issue 6): pure functions from chart data to PNG bytes. Each call
// owns its cairo surface, so any thread may call them concurrently. They throw render_error
// (canvas.hpp) when cairo fails; callers fall back to sending no picture.
#pragma once

#include <string>
#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::render {

struct wheel_options {
  int size = 800;           // side of the square picture, pixels
  std::string legend;       // lines separated by '\n', top-left corner; empty = none
  bool with_points = true;  // also draw the mean node, Lilith and Chiron (not aspected)
  bool aspect_key = true;   // colour key of the aspect lines, bottom-left
};

// Defaults of the transit biwheel: 1000×1000.
inline wheel_options biwheel_options() {
  wheel_options o;
  o.size = 1000;
  return o;
}

// Natal wheel: zodiac, houses with ASC/MC (none when the chart has no houses), planets, aspect
// lines of `natal.aspects` (orbs up to docs/calculations.md §5: the thickest line = exact).
std::string render_natal_wheel(const astro::chart& natal, const wheel_options& opts = {});

// The day's sky for /transit: the same wheel with `legend` (date, time and zone, in Russian).
std::string render_sky(const astro::chart& sky, const std::string& legend, wheel_options opts = {});

// Transit biwheel, 1000×1000 by default: natal planets and houses inside, transit planets on the
// outer ring, lines for `transit_aspects` (p1 natal, p2 transit; those to ASC/MC are skipped).
std::string render_transit_biwheel(const astro::chart& natal, const astro::chart& transit,
                                   const std::vector<astro::aspect>& transit_aspects,
                                   const wheel_options& opts = biwheel_options());

// Synastry biwheel (/compat), 1000×1000 by default: the user's chart and houses inside, the
// partner's planets outside, lines for `inter_aspects` (p1 the user's, p2 the partner's, natal
// orbs), the key saying «вы» and «партнёр».
std::string render_synastry_biwheel(const astro::chart& user, const astro::chart& partner,
                                    const std::vector<astro::aspect>& inter_aspects,
                                    const wheel_options& opts = biwheel_options());

// Widest natal/sky orb (docs/calculations.md §5.1) and the transit-to-natal one: the line weights.
inline constexpr double natal_max_orb = 8.0;
inline constexpr double transit_orb = 3.0;

}  // namespace nocturna::render
