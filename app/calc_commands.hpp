// The `calc` and `geo` sub-commands (issue 3 "Command-line access").
//   nocturna-bot calc chart --date YYYY-MM-DD --time (HH:MM[:SS]|unknown)
//                (--place NAME | --lat X --lon Y --tz ZONE) [--house-system NAME]
//   nocturna-bot calc serve [--port N]          (calc_serve.hpp)
//   nocturna-bot geo search [--json] NAME...
//   nocturna-bot geo nearest [--json] LAT LON
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/config.hpp"
#include "clients/astro/civil_time.hpp"

namespace nocturna {

// `args` excludes the program name and "calc". Prints the chart as one JSON object
// (docs/calculations.md §1.3) on stdout. Exit 0 = printed, 1 = place not found or calculation
// failure, 2 = bad arguments or input the engine rejects (bad date, zone, place). args[0] ==
// "serve" → calc_serve_main.
int calc_main(const std::vector<std::string>& args, const config& cfg);

// `args` excludes the program name and "geo". Exit 0 = found, 1 = no match, 2 = bad arguments.
int geo_main(const std::vector<std::string>& args, const config& cfg);

// Strict argument parsers (pure): "1990-01-15" → date fields (time zeroed); "14:30" / "14:30:05"
// → time fields (date zeroed); a decimal number with nothing after it.
std::optional<astro::datetime_fields> parse_cli_date(const std::string& s);
std::optional<astro::datetime_fields> parse_cli_time(const std::string& s);
std::optional<double> parse_cli_number(const std::string& s);

}  // namespace nocturna
