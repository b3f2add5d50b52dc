#include "clients/interpret/moon_message.hpp"

#include "clients/astro/lunar_display.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "protocol/moon_report.hpp"

namespace nocturna::interpret {

std::string moon_message(const meanings& m, const astro::lunar_calendar& c, const moon_place& p) {
  auto view = astro::moon_view_of(c, p.zone, p.label, p.default_place);
  std::optional<int> day;
  if (c.day) day = c.day->number;
  return reports::moon_report(view) + "\n\n" + reports::moon_block(moon_text(m, c.phase, day));
}

}  // namespace nocturna::interpret
