#include "clients/interpret/moon_message.hpp"

#include "clients/astro/lunar_display.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "protocol/moon_report.hpp"

namespace nocturna::interpret {

std::string moon_report_text(const astro::lunar_calendar& c, const moon_place& p) {
  return reports::moon_report(astro::moon_view_of(c, p.zone, p.label, p.default_place));
}

std::string moon_builtin_text(const meanings& m, const astro::lunar_calendar& c) {
  std::optional<int> day;
  if (c.day) day = c.day->number;
  return moon_text(m, c.phase, day);
}

std::string moon_message(const meanings& m, const astro::lunar_calendar& c, const moon_place& p) {
  return moon_report_text(c, p) + "\n\n" + reports::moon_block(moon_builtin_text(m, c));
}

}  // namespace nocturna::interpret
