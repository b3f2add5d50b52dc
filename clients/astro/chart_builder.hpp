// One chart from a moment and a place: time conversion, positions (any backend), houses, angles,
// aspects (docs/calculations.md §1.3, §2, §4, §5). Same code for the embedded and the remote
// backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clients/astro/calc_error.hpp"
#include "clients/astro/civil_time.hpp"
#include "clients/astro/positions_backend.hpp"
#include "protocol/chart.hpp"

namespace nocturna::astro {

struct chart_request {
  // The moment: a UT instant (Unix seconds) when set, else `local` wall time in `zone`.
  std::optional<std::int64_t> utc;
  datetime_fields local;
  // false: no houses, angles or house numbers; a local moment then uses 12:00:00 of its date.
  bool time_known = true;
  std::string zone = "UTC";  // IANA name; also recorded in the chart for display
  double latitude = 0;       // degrees north, −90..90
  double longitude = 0;      // degrees east, −180..180
  house_system system = 'P';

  static chart_request at_utc(std::int64_t utc, double latitude, double longitude,
                              std::string zone = "UTC", house_system system = 'P');
  static chart_request at_local(const datetime_fields& local, std::string zone, double latitude,
                                double longitude, bool time_known = true,
                                house_system system = 'P');
};

// The UT instant of a request (with gap/overlap information for a local moment) after the zone,
// calendar and supported-range checks.
calc_result<utc_conversion> resolve_moment(const chart_request& request);

// Errors: bad_place, bad_zone, date_out_of_range (invalid date/time or UT outside 1800–2399),
// internal (unknown house system letter, libswe failure), and whatever the backend returns.
calc_result<chart> build_chart(positions_backend& backend, const chart_request& request);

// Transit-to-natal aspects (§5.2): natal ASC/MC included only when the natal time is known.
std::vector<aspect> transit_aspects(const chart& natal, const chart& transit);

}  // namespace nocturna::astro
