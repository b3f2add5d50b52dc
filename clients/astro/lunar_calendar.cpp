// The lunar calendar (clients/astro/lunar_calendar.hpp). Every moment is found by Newton's method
// on an angle that grows steadily (the Moon is always faster than the Sun and the planets), from
// a guess at the mean rate, so each takes a handful of ephemeris calls.
#include "clients/astro/lunar_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "clients/astro/civil_time.hpp"

namespace nocturna::astro {
namespace {

constexpr double unix_epoch_jd = 2440587.5;
constexpr double mean_moon_speed = 13.176;       // degrees per day
constexpr double mean_elongation_speed = 12.19;  // Moon − Sun, degrees per day
constexpr double synodic_month = 29.530589;
constexpr double solve_tolerance_days = 1e-7;  // ~0.01 s
// Moonrises come 24–26 hours apart where the Moon rises daily; a longer gap means it stayed
// above or below the horizon for a day or more (beyond the polar circles).
constexpr double longest_rise_gap_days = 1.5;
constexpr double after_event_days = 1.0 / 1440;  // search on a minute after the last event
constexpr double margin_days = 62;               // the calendar looks ±2 months around the moment

constexpr body aspect_planets[] = {body::sun,    body::mercury, body::venus,
                                   body::mars,   body::jupiter, body::saturn,
                                   body::uranus, body::neptune, body::pluto};
constexpr int aspect_angles[] = {0, 60, 90, 120, 180, 240, 270, 300};

double norm360(double x) {
  double r = std::fmod(x, 360.0);
  return r < 0 ? r + 360.0 : r;
}

// −180..180.
double wrap180(double x) {
  double r = norm360(x + 180.0) - 180.0;
  return r;
}

// A root of angle(t) − target near `guess`; `angle` returns the angle and its rate (deg/day).
double solve(const std::function<std::pair<double, double>(double)>& angle, double target,
             double guess) {
  double t = guess;
  for (int i = 0; i < 40; ++i) {
    auto [value, rate] = angle(t);
    double step = wrap180(value - target) / rate;
    t -= step;
    if (std::abs(step) < solve_tolerance_days) break;
  }
  return t;
}

std::pair<double, double> elongation_at(lunar_ephemeris& e, double jd) {
  auto moon = e.ecliptic(body::moon, jd);
  auto sun = e.ecliptic(body::sun, jd);
  return {norm360(moon.longitude - sun.longitude), moon.speed - sun.speed};
}

std::pair<double, double> moon_at(lunar_ephemeris& e, double jd) {
  auto moon = e.ecliptic(body::moon, jd);
  return {moon.longitude, moon.speed};
}

// The Moon's elongation from a planet and its rate.
std::pair<double, double> moon_from(lunar_ephemeris& e, body planet, double jd) {
  auto moon = e.ecliptic(body::moon, jd);
  auto p = e.ecliptic(planet, jd);
  return {norm360(moon.longitude - p.longitude), moon.speed - p.speed};
}

std::optional<moon_phase> principal_phase_in(lunar_ephemeris& e, double start_jd, double end_jd) {
  constexpr std::pair<int, moon_phase> principal[] = {{0, moon_phase::new_moon},
                                                      {90, moon_phase::first_quarter},
                                                      {180, moon_phase::full_moon},
                                                      {270, moon_phase::last_quarter}};
  for (auto [angle, phase] : principal) {
    double at = next_elongation(e, angle, start_jd);
    if (at < end_jd) return phase;
  }
  return std::nullopt;
}

// Day 1 from the new moon before `jd` to the next moonrise, then moonrise to moonrise, the last
// day cut at the next new moon.
std::optional<lunar_day> lunar_day_at(lunar_ephemeris& e, double jd, double new_before,
                                      double new_after, double lat, double lon) {
  lunar_day day;
  double start = new_before;
  const double limit = new_after + longest_rise_gap_days;
  for (;;) {
    auto rise = e.next_moonrise(start + after_event_days, lat, lon, limit);
    if (!rise || *rise - start > longest_rise_gap_days) return std::nullopt;
    if (*rise > jd) {
      day.start = jd_to_unix(start);
      day.end = jd_to_unix(std::min(*rise, new_after));
      return day;
    }
    ++day.number;
    start = *rise;
    if (day.number > 31) return std::nullopt;  // cannot happen where the Moon rises daily
  }
}

void_interval void_of(lunar_ephemeris& e, const sign_span& span) {
  void_interval v;
  v.last_aspect = last_aspect_in(e, span);
  v.start = jd_to_unix(v.last_aspect ? v.last_aspect->jd : span.ingress_jd);
  v.end = jd_to_unix(span.egress_jd);
  return v;
}

std::vector<void_interval> voids_in_day(lunar_ephemeris& e, double start_jd, double end_jd) {
  std::vector<void_interval> out;
  double at = start_jd;
  // A sign lasts two days or more, so a day meets at most two.
  for (int i = 0; i < 3 && at < end_jd; ++i) {
    auto span = moon_sign_span(e, at);
    auto v = void_of(e, span);
    if (v.end > jd_to_unix(start_jd) && v.start < jd_to_unix(end_jd)) out.push_back(v);
    at = span.egress_jd + after_event_days;
  }
  return out;
}

}  // namespace

const char* phase_name_ru(moon_phase p) {
  switch (p) {
    case moon_phase::new_moon:
      return "новолуние";
    case moon_phase::waxing_crescent:
      return "растущий серп";
    case moon_phase::first_quarter:
      return "первая четверть";
    case moon_phase::waxing_gibbous:
      return "растущая Луна";
    case moon_phase::full_moon:
      return "полнолуние";
    case moon_phase::waning_gibbous:
      return "убывающая Луна";
    case moon_phase::last_quarter:
      return "последняя четверть";
    case moon_phase::waning_crescent:
      return "убывающий серп";
  }
  return "";
}

const char* phase_emoji(moon_phase p) {
  static const char* const emoji[] = {"🌑", "🌒", "🌓", "🌔", "🌕", "🌖", "🌗", "🌘"};
  return emoji[static_cast<int>(p)];
}

const char* phase_key(moon_phase p) {
  switch (p) {
    case moon_phase::new_moon:
      return "NEW_MOON";
    case moon_phase::waxing_crescent:
      return "WAXING_CRESCENT";
    case moon_phase::first_quarter:
      return "FIRST_QUARTER";
    case moon_phase::waxing_gibbous:
      return "WAXING_GIBBOUS";
    case moon_phase::full_moon:
      return "FULL_MOON";
    case moon_phase::waning_gibbous:
      return "WANING_GIBBOUS";
    case moon_phase::last_quarter:
      return "LAST_QUARTER";
    case moon_phase::waning_crescent:
      return "WANING_CRESCENT";
  }
  return "";
}

moon_phase phase_of_day(double elongation, std::optional<moon_phase> principal_in_day) {
  if (principal_in_day) return *principal_in_day;
  double e = norm360(elongation);
  if (e < 90) return moon_phase::waxing_crescent;
  if (e < 180) return moon_phase::waxing_gibbous;
  if (e < 270) return moon_phase::waning_gibbous;
  return moon_phase::waning_crescent;
}

double unix_to_jd(std::int64_t utc) {
  return unix_epoch_jd + static_cast<double>(utc) / 86400.0;
}

std::int64_t jd_to_unix(double jd) {
  return static_cast<std::int64_t>(std::llround((jd - unix_epoch_jd) * 86400.0));
}

double next_elongation(lunar_ephemeris& e, double angle, double after_jd) {
  auto f = [&](double t) { return elongation_at(e, t); };
  double ahead = norm360(angle - f(after_jd).first);
  if (ahead < 1e-9) ahead = 360;
  double t = solve(f, angle, after_jd + ahead / mean_elongation_speed);
  // The guess can land nearer the previous or next occurrence when the Moon runs fast or slow.
  if (t <= after_jd) t = solve(f, angle, t + synodic_month);
  // Months differ in length by hours: only the occurrence itself says whether an earlier one
  // still lies after `after_jd`.
  if (double earlier = solve(f, angle, t - synodic_month); earlier > after_jd) t = earlier;
  return t;
}

double previous_elongation(lunar_ephemeris& e, double angle, double before_jd) {
  auto f = [&](double t) { return elongation_at(e, t); };
  double behind = norm360(f(before_jd).first - angle);
  double t = solve(f, angle, before_jd - behind / mean_elongation_speed);
  if (t > before_jd) t = solve(f, angle, t - synodic_month);
  if (double later = solve(f, angle, t + synodic_month); later <= before_jd) t = later;
  return t;
}

sign_span moon_sign_span(lunar_ephemeris& e, double jd) {
  auto f = [&](double t) { return moon_at(e, t); };
  const double lon = f(jd).first;
  sign_span s;
  s.sign = std::min(11, static_cast<int>(lon / 30.0));
  const double entry = s.sign * 30.0, exit = norm360((s.sign + 1) * 30.0);
  s.ingress_jd = solve(f, entry, jd - (lon - entry) / mean_moon_speed);
  s.egress_jd = solve(f, exit, jd + ((s.sign + 1) * 30.0 - lon) / mean_moon_speed);
  return s;
}

std::optional<lunar_aspect> last_aspect_in(lunar_ephemeris& e, const sign_span& span) {
  std::optional<lunar_aspect> last;
  const double length = span.egress_jd - span.ingress_jd;
  for (body planet : aspect_planets) {
    auto f = [&](double t) { return moon_from(e, planet, t); };
    const double from = f(span.ingress_jd).first;
    // The Moon gains at most ~45° on any planet while crossing a sign.
    const double gained = norm360(f(span.egress_jd).first - from);
    for (int angle : aspect_angles) {
      const double ahead = norm360(angle - from);
      if (ahead <= 0 || ahead > gained) continue;
      const double t = solve(f, angle, span.ingress_jd + length * ahead / gained);
      if (t <= span.ingress_jd || t >= span.egress_jd) continue;
      if (!last || t > last->jd) last = lunar_aspect{t, planet, angle > 180 ? 360 - angle : angle};
    }
  }
  return last;
}

calc_result<lunar_calendar> compute_lunar_calendar(lunar_ephemeris& e, const lunar_query& q) {
  const std::int64_t margin = static_cast<std::int64_t>(margin_days * 86400);
  if (!supported_ut(q.moment - margin) || !supported_ut(q.moment + margin) ||
      !supported_ut(q.day_start) || !supported_ut(q.day_end))
    return calc_error{calc_error_kind::date_out_of_range, "lunar calendar outside 1800–2399"};
  if (!(std::abs(q.latitude) <= 90) || !(std::abs(q.longitude) <= 180))
    return calc_error{calc_error_kind::bad_place, "latitude or longitude out of range"};
  try {
    lunar_calendar c;
    c.moment = q.moment;
    const double jd = unix_to_jd(q.moment);
    const double day_start = unix_to_jd(q.day_start), day_end = unix_to_jd(q.day_end);
    c.elongation = elongation_at(e, jd).first;
    c.illumination = e.illuminated_fraction(jd);
    c.phase = phase_of_day(c.elongation, principal_phase_in(e, day_start, day_end));
    const double new_before = previous_elongation(e, 0, jd);
    const double new_after = next_elongation(e, 0, jd);
    c.next_new_moon = jd_to_unix(new_after);
    c.next_full_moon = jd_to_unix(next_elongation(e, 180, jd));
    c.day = lunar_day_at(e, jd, new_before, new_after, q.latitude, q.longitude);
    auto span = moon_sign_span(e, jd);
    c.sign = span.sign;
    c.sign_start = jd_to_unix(span.ingress_jd);
    c.sign_end = jd_to_unix(span.egress_jd);
    c.void_of_course = voids_in_day(e, day_start, day_end);
    const double horizon = jd + eclipse_horizon_days;
    for (auto ecl : {e.next_solar_eclipse(jd), e.next_lunar_eclipse(jd)})
      if (ecl.max_jd <= horizon) c.eclipses.push_back({ecl.kind, jd_to_unix(ecl.max_jd)});
    std::sort(c.eclipses.begin(), c.eclipses.end(),
              [](const eclipse_at& a, const eclipse_at& b) { return a.utc < b.utc; });
    return c;
  } catch (const ephemeris_failure& ex) {
    return calc_error{calc_error_kind::internal, ex.what()};
  }
}

}  // namespace nocturna::astro
