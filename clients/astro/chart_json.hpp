// The chart as JSON (calculations.md §1.3): the output of `calc chart` and the natal cache format.
// Field names are the Nocturna API's; numbers keep full double precision.
#pragma once

#include <string>

#include "protocol/chart.hpp"

namespace nocturna::astro {

std::string chart_to_json(const chart& c);

// Pieces, for other JSON shapes (e.g. `calc serve`).
std::string position_json(const body_position& p);
std::string aspect_json(const aspect& a);

}  // namespace nocturna::astro
