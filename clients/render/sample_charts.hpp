// Fixed charts typed in by hand, for the sample picture command and the benchmark:
// docs/calculations.md vector V6 (1990-01-15 19:30 UT, New York, Placidus) with its natal aspects
// (A1), and the sky of 2026-01-11 17:00 UT (swetest -eswe) with the transit-to-natal aspects of A2
// between SUN..PLUTO.
#pragma once

#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::render {

astro::chart sample_natal_chart();
// The same birth with an unknown time: no houses, no angles.
astro::chart sample_natal_chart_without_time();
astro::chart sample_transit_chart();
// The transit moment as the /transit sky over Moscow: Placidus houses and the sky's own aspects.
astro::chart sample_sky_chart();
std::vector<astro::aspect> sample_transit_aspects();

}  // namespace nocturna::render
