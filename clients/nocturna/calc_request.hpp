// Reading the request bodies of our own `calc serve` (docs/calculations.md §7.9): the fields of
// /calculations/planetary-positions, /houses and /aspects, with the reference server's answers to
// bad input (422 with a FastAPI-style `detail` list for malformed fields, 500 "Error calculating
// …" for a date, time or zone it cannot use). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "clients/astro/civil_time.hpp"

namespace nocturna::remote {

struct calc_input {
  astro::datetime_fields local;  // `date` + `time` as wall time in `zone`
  std::string zone = "UTC";      // `timezone`: an IANA name or "UTC"
  double latitude = 0;
  double longitude = 0;
  std::optional<std::vector<std::string>> planets;  // absent → the caller's default
  std::string house_system = "placidus";            // lower-cased `house_system`
};

struct http_answer {
  int status = 200;
  std::string body;
};

// `what` names the computation in 500 messages ("planetary positions", "houses", "aspects").
std::variant<calc_input, http_answer> parse_calc_input(std::string_view body,
                                                       std::string_view what);

// 500 {"detail":"Error calculating <what>: <why>"}.
http_answer calculation_error(std::string_view what, std::string_view why);

// 422 {"detail":[{"type","loc":["body",field],"msg","input":null}]}.
http_answer validation_error(std::string_view type, std::string_view field, std::string_view msg);

}  // namespace nocturna::remote
