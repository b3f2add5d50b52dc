#include "clients/astro/display_time.hpp"

#include <fmt/format.h>

#include <cstdio>

namespace nocturna::astro {

reports::moment_label label_at(std::int64_t utc, const std::string& zone) {
  auto offset = utc_offset_at(utc, zone);
  auto shown_zone = offset ? zone : std::string("UTC");
  int seconds = offset ? offset.value() : 0;
  auto f = unix_to_fields(utc + seconds);
  return {fmt::format("{:02}.{:02}.{:04}", f.day, f.month, f.year),
          fmt::format("{:02}:{:02}", f.hour, f.minute), shown_zone, format_utc_offset(seconds)};
}

std::int64_t truncate_to_local_hour(std::int64_t utc, const std::string& zone) {
  auto offset = utc_offset_at(utc, zone);
  auto local = utc + (offset ? offset.value() : 0);
  auto into_hour = ((local % 3600) + 3600) % 3600;
  return utc - into_hour;
}

std::int64_t local_noon(std::int64_t utc, const std::string& zone) {
  auto local = utc_to_local(utc, zone);
  auto fields = local ? local.value() : unix_to_fields(utc);
  fields.hour = 12;
  fields.minute = fields.second = 0;
  auto noon = local_to_utc(fields, zone);
  return noon ? noon.value().utc : fields_to_unix(fields);
}

std::string iso_to_dmy(const std::string& iso_date) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(iso_date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return iso_date;
  return fmt::format("{:02}.{:02}.{:04}", d, m, y);
}

std::optional<chart_request> natal_request(const birth_moment& birth, house_system system) {
  datetime_fields f;
  char tail = 0;
  if (std::sscanf(birth.date.c_str(), "%4d-%2d-%2d%c", &f.year, &f.month, &f.day, &tail) != 3)
    return std::nullopt;
  bool known = birth.time.has_value();
  if (known) {
    if (std::sscanf(birth.time->c_str(), "%2d:%2d%c", &f.hour, &f.minute, &tail) != 2)
      return std::nullopt;
  } else {
    f.hour = 12;  // unknown time: the chart of local noon (docs/behaviour.md §3 N_UNKNOWN)
  }
  if (!valid_fields(f)) return std::nullopt;
  return chart_request::at_local(f, birth.zone, birth.latitude, birth.longitude, known, system);
}

}  // namespace nocturna::astro
