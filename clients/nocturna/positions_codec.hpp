// The positions request and answer of the Nocturna API (docs/calculations.md §7.3, §7.5). Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clients/astro/civil_time.hpp"
#include "protocol/chart.hpp"

namespace nocturna::remote {

// SUN … PLUTO, NORTH_NODE, TRUE_NODE, LILITH: what the main request asks for, in §1.1 order.
const std::vector<astro::body>& standard_bodies();

// The UT fields of a Julian day (UT), rounded to the nearest second: the API takes whole seconds,
// and the bot's moments are whole seconds anyway.
astro::datetime_fields ut_fields_of_jd(double jd_ut);

// The request body: UT date and time, `timezone:"UTC"` so the server does no conversion of its own.
std::string positions_request(const astro::datetime_fields& ut, double latitude, double longitude,
                              const std::vector<astro::body>& bodies);

// Validates a payload `{"positions":[…]}`: every requested body exactly once with finite numbers.
// Returns the positions in `requested` order (longitude normalised, `house` empty) or an error
// text (error class `protocol`). D/M/S mismatches with our own breakdown go to `notes`.
std::variant<std::vector<astro::body_position>, std::string> parse_positions(
    std::string_view payload, const std::vector<astro::body>& requested,
    std::vector<std::string>* notes = nullptr);

}  // namespace nocturna::remote
