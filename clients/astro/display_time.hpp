// Moments as users see them (docs/behaviour.md §1.8): "now" in UTC converted to a display zone, and
// the stored birth data turned into chart requests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clients/astro/chart_builder.hpp"
#include "protocol/reports.hpp"

namespace nocturna::astro {

// DD.MM.YYYY, HH:MM, the zone and its UTC offset at `utc`; a bad zone shows as UTC.
reports::moment_label label_at(std::int64_t utc, const std::string& zone);
// `utc` truncated to the whole hour of the zone's wall clock (zones with :30 offsets included).
std::int64_t truncate_to_local_hour(std::int64_t utc, const std::string& zone);
// The UT instant of 12:00 local on the local date of `utc` in `zone`.
std::int64_t local_noon(std::int64_t utc, const std::string& zone);
// "1990-03-15" → "15.03.1990" (unchanged when not ISO).
std::string iso_to_dmy(const std::string& iso_date);

// Stored birth data: YYYY-MM-DD and HH:MM (empty = unknown time: 12:00, no houses).
struct birth_moment {
  std::string date;
  std::optional<std::string> time;
  std::string zone;
  double latitude = 0, longitude = 0;
};
// The natal chart request; nullopt when the stored date or time is malformed.
std::optional<chart_request> natal_request(const birth_moment& birth, house_system system);

}  // namespace nocturna::astro
