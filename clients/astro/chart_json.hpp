// The chart as JSON (docs/calculations.md §1.3): the output of `calc chart` and the natal cache
// format. Field names are the Nocturna API's; numbers keep full double precision.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/chart.hpp"

namespace nocturna::astro {

std::string chart_to_json(const chart& c);

// The inverse of chart_to_json, for the natal cache: chart_from_json(chart_to_json(c)) equals `c`
// field for field, doubles bit for bit (negative zero included). The derived keys (sign, degree,
// minute, second, is_retrograde) are ignored; unknown keys too. nullopt — never an exception — for
// anything chart_to_json could not have written: invalid JSON, a document over 1 MiB, a missing or
// mistyped field, an unknown body, aspect point (a body, "ASC" or "MC") or aspect type, a house
// system letter outside P K E W O R C, a place outside ±90/±180, a house outside 1..12, a cusp list
// that is not houses 1..12 in order, houses without angles (or the reverse), houses in an
// unknown-time chart, a repeated body, or a number beyond the range of a double or of the integer
// field.
std::optional<chart> chart_from_json(std::string_view json);

// Pieces, for other JSON shapes (e.g. `calc serve`).
std::string position_json(const body_position& p);
std::string aspect_json(const aspect& a);

}  // namespace nocturna::astro
