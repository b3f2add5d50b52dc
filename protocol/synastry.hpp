// Compatibility (synastry) of two charts as pure functions: the summary by areas of life read
// from the inter-aspects, the element balance of each chart, and the report text of /compat.
// The inter-aspects themselves come from astro::synastry_aspects (clients/astro/aspects.hpp).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::synastry {

// The areas in report order.
enum class area { emotions, attraction, communication, values, stability };
constexpr std::array<area, 5> all_areas{area::emotions, area::attraction, area::communication,
                                        area::values, area::stability};

enum class verdict { harmonious, tense, neutral };

// Which inter-aspects speak for an area, whichever chart each body is in: emotions Moon–Moon and
// Moon–Venus, attraction Venus–Mars, communication Mercury–Mercury and Mercury–Moon, values
// Venus–Venus and Sun–Venus, stability Saturn to the Sun, Moon, Mercury, Venus or Mars.
bool speaks_for(area a, const astro::aspect& aspect);

struct area_reading {
  area what = area::emotions;
  int harmonious = 0;  // trines, sextiles and conjunctions (a conjunction merges, it binds)
  int tense = 0;       // squares and oppositions
  verdict result = verdict::neutral;  // the larger count wins; a tie or nothing is neutral
};
// One reading per area, in all_areas order.
std::vector<area_reading> area_summary(const std::vector<astro::aspect>& inter);

// SUN..PLUTO counted by the element of their sign.
struct elements {
  int fire = 0, earth = 0, air = 0, water = 0;
};
elements element_balance(const astro::chart& c);

const char* area_name(area a);  // «Эмоции»
const char* verdict_word(verdict v);  // «гармонично» / «напряжённо» / «нейтрально»

// One inter-aspect line: «Ваше Солнце ☌ Луна партнёра — соединение, орб 1°23′» [HTML].
std::string inter_line(const astro::aspect& a);

// The /compat report [HTML]: title with the partner's name (escaped; empty = «партнёр»), notes on
// an unknown birth time, the inter-aspects (tightest first), the areas and the element balance.
std::string report(const std::vector<astro::aspect>& inter, const astro::chart& user,
                   const astro::chart& partner, std::string_view partner_name);
// The picture's caption [HTML].
std::string caption(std::string_view partner_name);

}  // namespace nocturna::synastry
