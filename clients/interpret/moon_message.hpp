// The whole /moon message (issue 21), also the «Луна сегодня» inline card: the report of
// protocol/moon_report.hpp and the built-in block of the phase and the lunar day.
#pragma once

#include <string>

#include "clients/astro/lunar_calendar.hpp"
#include "clients/interpret/meanings.hpp"

namespace nocturna::interpret {

struct moon_place {
  double latitude = 0, longitude = 0;
  std::string zone, label;
  bool default_place = false;  // no birth place stored
};

std::string moon_message(const meanings& m, const astro::lunar_calendar& c, const moon_place& p);

}  // namespace nocturna::interpret
