// Whether two gazetteer places are the same in every field (tests of the index and of the
// libgeonames child's stream).
#pragma once

#include "clients/geo/gazetteer.hpp"

namespace nocturna::testing {

inline bool same_place(const geo::place& a, const geo::place& b) {
  return a.name == b.name && a.region == b.region && a.country == b.country &&
         a.name_en == b.name_en && a.region_en == b.region_en && a.country_en == b.country_en &&
         a.country_code == b.country_code && a.zone == b.zone && a.latitude == b.latitude &&
         a.longitude == b.longitude && a.population == b.population;
}

}  // namespace nocturna::testing
