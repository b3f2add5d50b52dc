// Chart assembly (docs/calculations.md §1.3).
#include "clients/astro/chart_builder.hpp"

#include <cmath>

#include "clients/astro/aspects.hpp"
#include "clients/astro/houses.hpp"

namespace nocturna::astro {

namespace {

bool valid_place(double lat, double lon) {
  return std::isfinite(lat) && std::isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 &&
         lon <= 180.0;
}

}  // namespace

chart_request chart_request::at_utc(std::int64_t utc, double latitude, double longitude,
                                    std::string zone, house_system system) {
  chart_request r;
  r.utc = utc;
  r.zone = std::move(zone);
  r.latitude = latitude;
  r.longitude = longitude;
  r.system = system;
  return r;
}

chart_request chart_request::at_local(const datetime_fields& local, std::string zone,
                                      double latitude, double longitude, bool time_known,
                                      house_system system) {
  chart_request r;
  r.local = local;
  r.time_known = time_known;
  r.zone = std::move(zone);
  r.latitude = latitude;
  r.longitude = longitude;
  r.system = system;
  return r;
}

calc_result<utc_conversion> resolve_moment(const chart_request& request) {
  if (!zone_exists(request.zone))
    return calc_error{calc_error_kind::bad_zone,
                      "unknown time zone: " + request.zone.substr(0, 80)};
  utc_conversion conv;
  if (request.utc) {
    auto offset = utc_offset_at(*request.utc, request.zone);
    if (!offset) return offset.error();
    conv.utc = *request.utc;
    conv.applied_offset = conv.offset = offset.value();
  } else {
    datetime_fields local = request.local;
    if (!request.time_known) {
      local.hour = 12;  // unknown birth time: local noon of the date (§2)
      local.minute = local.second = 0;
    }
    auto converted = local_to_utc(local, request.zone);
    if (!converted) return converted.error();
    conv = converted.value();
  }
  if (auto in_range = check_supported_ut(conv.utc); !in_range) return in_range.error();
  return conv;
}

calc_result<chart> build_chart(positions_backend& backend, const chart_request& request) {
  if (!valid_place(request.latitude, request.longitude))
    return calc_error{calc_error_kind::bad_place, "latitude/longitude out of range"};
  if (!valid_house_system(request.system))
    return calc_error{calc_error_kind::internal,
                      std::string("unknown house system ") + request.system};
  auto moment = resolve_moment(request);
  if (!moment) return moment.error();

  chart c;
  c.moment_utc = moment.value().utc;
  c.jd_ut = julian_day_ut(c.moment_utc);
  c.latitude = request.latitude;
  c.longitude = request.longitude;
  c.zone = request.zone;
  c.time_known = request.time_known;
  c.ephemeris = backend.ephemeris_name();
  c.system_requested = request.system;
  c.system_used = request.system;

  auto positions = backend.positions(c.jd_ut);
  if (!positions) return positions.error();
  c.positions = std::move(positions.value());

  if (c.time_known) {
    auto houses = compute_houses(c.jd_ut, c.latitude, c.longitude, request.system);
    if (!houses) return houses.error();
    const house_result& h = houses.value();
    c.system_used = h.used;
    c.houses_fallback = h.fallback;
    for (int i = 0; i < 12; ++i) c.houses.push_back(house_cusp{i + 1, h.cusps[i]});
    c.chart_angles = h.chart_angles;
    for (auto& p : c.positions) p.house = house_of(p.longitude, h.cusps);
  }
  c.aspects = chart_aspects(c.positions);
  return c;
}

std::vector<aspect> transit_aspects(const chart& natal, const chart& transit) {
  const std::optional<angles> natal_angles =
      natal.time_known ? natal.chart_angles : std::optional<angles>{};
  return transit_natal_aspects(natal.positions, natal_angles, transit.positions);
}

}  // namespace nocturna::astro
