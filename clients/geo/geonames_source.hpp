// Reading Debian's libgeonames (docs/integrations.md §3.2, §3.3). Only used while building the
// index.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "clients/geo/gazetteer.hpp"

namespace nocturna::geo {

// libgeonames translates names through gettext (domain "geonames"). Makes that work in this
// process: LC_MESSAGES from the environment (C.UTF-8 when that is plain C), LANGUAGE=ru when it
// is unset, UTF-8 output for the domain whatever LC_CTYPE is. Touches only the message locale and
// the environment: call it at start-up before other threads exist (main, geo/calc commands, tests).
void prepare_geonames_locale();

// Hands every city with a zone known to the system tz database to `each`, one at a time; returns
// how many it handed over. The others go to `skipped` (English name, zone), or are logged as a
// warning when it is empty.
using skipped_city_fn = std::function<void(const std::string& name_en, const std::string& zone)>;
// That warning (also for the cities a child process skipped, clients/geo/geonames_child.hpp).
void warn_skipped_city(const std::string& name_en, const std::string& zone);
std::size_t read_geonames_cities(const std::function<void(const place&)>& each,
                                 const skipped_city_fn& skipped = {});

// The same cities as one vector (tests compare indexes built from it).
std::vector<place> read_geonames_cities();

}  // namespace nocturna::geo
