#include "clients/astro/lunar_display.hpp"

#include <cmath>

#include "clients/astro/display_time.hpp"

namespace nocturna::astro {
namespace {

std::string local(std::int64_t utc, const std::string& zone) {
  auto label = label_at(utc, zone);
  return label.date + " " + label.time;
}

}  // namespace

const char* eclipse_name_ru(eclipse_kind k) {
  switch (k) {
    case eclipse_kind::solar_total:
      return "полное солнечное затмение";
    case eclipse_kind::solar_annular:
      return "кольцеобразное солнечное затмение";
    case eclipse_kind::solar_hybrid:
      return "гибридное солнечное затмение";
    case eclipse_kind::solar_partial:
      return "частное солнечное затмение";
    case eclipse_kind::lunar_total:
      return "полное лунное затмение";
    case eclipse_kind::lunar_partial:
      return "частное лунное затмение";
    case eclipse_kind::lunar_penumbral:
      return "полутеневое лунное затмение";
  }
  return "";
}

reports::moon_view moon_view_of(const lunar_calendar& c, const std::string& zone,
                                const std::string& place, bool default_place) {
  reports::moon_view v;
  v.at = label_at(c.moment, zone);
  v.place = place;
  v.default_place = default_place;
  v.phase_emoji = phase_emoji(c.phase);
  v.phase_name = phase_name_ru(c.phase);
  v.illumination_percent = static_cast<int>(std::lround(c.illumination * 100));
  if (c.day) {
    v.lunar_day = c.day->number;
    v.day_start = local(c.day->start, zone);
    v.day_end = local(c.day->end, zone);
  }
  v.sign = c.sign;
  v.sign_start = local(c.sign_start, zone);
  v.sign_end = local(c.sign_end, zone);
  for (const auto& voc : c.void_of_course)
    v.void_of_course.emplace_back(local(voc.start, zone), local(voc.end, zone));
  v.next_new_moon = local(c.next_new_moon, zone);
  v.next_full_moon = local(c.next_full_moon, zone);
  for (const auto& e : c.eclipses)
    v.eclipses.push_back(std::string(eclipse_name_ru(e.kind)) + " — " + local(e.utc, zone));
  return v;
}

datetime_fields local_date_after(std::int64_t utc, const std::string& zone, int days_later) {
  auto local = utc_to_local(utc, zone);
  auto f = local ? local.value() : unix_to_fields(utc);
  f.hour = f.minute = f.second = 0;
  return unix_to_fields(fields_to_unix(f) + days_later * 86400LL);
}

lunar_query local_day_query(int year, int month, int day, std::optional<std::int64_t> now,
                            const std::string& zone, double latitude, double longitude) {
  datetime_fields f;
  f.year = year;
  f.month = month;
  f.day = day;
  auto midnight = [&](const datetime_fields& d) {
    auto u = local_to_utc(d, zone);
    return u ? u.value().utc : fields_to_unix(d);
  };
  lunar_query q;
  q.day_start = midnight(f);
  q.day_end = midnight(unix_to_fields(fields_to_unix(f) + 86400));
  if (now) {
    q.moment = *now;
  } else {
    f.hour = 12;
    q.moment = midnight(f);
  }
  q.latitude = latitude;
  q.longitude = longitude;
  return q;
}

}  // namespace nocturna::astro
