// The whole /moon message (issue 21), also the «Луна сегодня» inline card: the report of
// protocol/moon_report.hpp and the block of the phase and the lunar day (the built-in text, or the
// LLM's that actors/session_interpretation.cpp asks for).
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

// The report lines, formatted in the place's zone [HTML].
std::string moon_report_text(const astro::lunar_calendar& c, const moon_place& p);
// The built-in text of the phase and the lunar day (none where the day has no number) [HTML].
std::string moon_builtin_text(const meanings& m, const astro::lunar_calendar& c);
// The report and the built-in block.
std::string moon_message(const meanings& m, const astro::lunar_calendar& c, const moon_place& p);

}  // namespace nocturna::interpret
