// The /moon report (issue 21): the lunar calendar of one day at one place, already formatted in
// the place's zone by clients/astro/lunar_display.hpp. Pure: HTML with every value escaped.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/reports.hpp"

namespace nocturna::reports {

struct moon_view {
  moment_label at;
  std::string place;
  bool default_place = false;  // no birth place stored: the bot's sky place (SKY_PLACE_NAME)
  std::string phase_emoji, phase_name;  // «убывающая Луна»
  int illumination_percent = 0;
  std::optional<int> lunar_day;  // nothing: the Moon does not rise daily here
  std::string day_start, day_end;
  int sign = 0;
  std::string sign_start, sign_end;
  std::vector<std::pair<std::string, std::string>> void_of_course;
  std::string next_new_moon, next_full_moon;
  std::vector<std::string> eclipses;  // «полное лунное затмение — 14.03.2025 09:58»
};

// The report lines; the caller appends the interpretation block after a blank line.
std::string moon_report(const moon_view& v);

// T_HDR_MOON_SHORT + the built-in text: the /moon interpretation block.
std::string moon_block(const std::string& text_html);

}  // namespace nocturna::reports
