// The lunar calendar of one day at one place (issue 21): the Moon's phase, the lunar day in the
// Russian tradition, the Moon's sign with its ingress and egress, the void-of-course intervals,
// the next new and full moon and the eclipses of the next 30 days. Pure functions of the answers
// of a lunar_ephemeris (clients/astro/lunar_ephemeris.hpp); the unit tests check them against
// swetest (tests/unit/vectors/lunar_vectors.tsv).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "clients/astro/calc_error.hpp"
#include "clients/astro/lunar_ephemeris.hpp"

namespace nocturna::astro {

enum class moon_phase {
  new_moon,
  waxing_crescent,
  first_quarter,
  waxing_gibbous,
  full_moon,
  waning_gibbous,
  last_quarter,
  waning_crescent
};
// «новолуние», «растущий серп», «первая четверть», «растущая Луна», «полнолуние», «убывающая
// Луна», «последняя четверть», «убывающий серп».
const char* phase_name_ru(moon_phase p);
// 🌑 🌒 🌓 🌔 🌕 🌖 🌗 🌘.
const char* phase_emoji(moon_phase p);
// NEW_MOON … WANING_CRESCENT: the keys of share/meanings_ru/moon_phase.tsv.
const char* phase_key(moon_phase p);

// The phase of a calendar day: the principal phase (new moon, quarters, full moon) when its exact
// moment falls within the day, else the sector of the elongation (Moon − Sun, 0..360) between
// them: 0–90 waxing crescent, 90–180 waxing gibbous, 180–270 waning gibbous, 270–360 waning
// crescent.
moon_phase phase_of_day(double elongation, std::optional<moon_phase> principal_in_day);

// Unix seconds ↔ Julian day (UT).
double unix_to_jd(std::int64_t utc);
std::int64_t jd_to_unix(double jd);

// The first moment after `after_jd` when the elongation Moon − Sun equals `angle` (0..360), and
// the last one before `before_jd`.
double next_elongation(lunar_ephemeris& e, double angle, double after_jd);
double previous_elongation(lunar_ephemeris& e, double angle, double before_jd);

// The Moon's sign at `jd` and when it entered and leaves it.
struct sign_span {
  int sign = 0;  // 0 = Aries
  double ingress_jd = 0, egress_jd = 0;
};
sign_span moon_sign_span(lunar_ephemeris& e, double jd);

// The last exact major aspect (0, 60, 90, 120, 180°) of the Moon to a planet SUN..PLUTO within
// the span; the Moon is void of course from then until the egress (from the ingress when it
// makes none).
struct lunar_aspect {
  double jd = 0;
  body planet = body::sun;
  int angle = 0;  // 0, 60, 90, 120, 180
};
std::optional<lunar_aspect> last_aspect_in(lunar_ephemeris& e, const sign_span& span);

struct lunar_day {
  int number = 1;  // 1..30
  std::int64_t start = 0, end = 0;
};

struct void_interval {
  std::int64_t start = 0, end = 0;
  std::optional<lunar_aspect> last_aspect;  // nothing: no aspect in the whole sign
};

struct eclipse_at {
  eclipse_kind kind = eclipse_kind::solar_partial;
  std::int64_t utc = 0;  // greatest eclipse
};

struct lunar_calendar {
  std::int64_t moment = 0;
  double elongation = 0;    // Moon − Sun, 0..360
  double illumination = 0;  // 0..1
  moon_phase phase = moon_phase::new_moon;
  // Day 1 runs from the new moon to the next moonrise, each next day from moonrise to moonrise;
  // the last day ends at the next new moon. Nothing where the Moon does not rise every day (a
  // day or more without a moonrise since the new moon, as beyond the polar circles).
  std::optional<lunar_day> day;
  int sign = 0;
  std::int64_t sign_start = 0, sign_end = 0;
  std::vector<void_interval> void_of_course;  // those overlapping the local day, in order
  std::int64_t next_new_moon = 0, next_full_moon = 0;
  std::vector<eclipse_at> eclipses;  // within 30 days after the moment, in order
};

struct lunar_query {
  std::int64_t moment = 0;                  // the phase, sign and lunar day are of this instant
  std::int64_t day_start = 0, day_end = 0;  // the local calendar day [start, end)
  double latitude = 0, longitude = 0;
};

constexpr int eclipse_horizon_days = 30;

// date_out_of_range outside the ephemeris span (with two months' margin), internal when libswe
// fails.
calc_result<lunar_calendar> compute_lunar_calendar(lunar_ephemeris& e, const lunar_query& q);

}  // namespace nocturna::astro
