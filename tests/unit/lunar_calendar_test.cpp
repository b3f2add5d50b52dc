// The lunar calendar (clients/astro/lunar_calendar.hpp) against swetest: the vectors of
// tests/unit/vectors/lunar_vectors.tsv were written by tests/unit/vectors/make_lunar_vectors.py
// from swetest alone (phases, new and full moons, sign ingresses, Moon–planet aspects to the
// minute, moonrises at Moscow and Longyearbyen, the eclipses of March 2025).
#include "clients/astro/lunar_calendar.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace nocturna::astro;

namespace {

constexpr double minute = 1.0 / 1440;

struct vectors {
  struct phase_row {
    double jd, moon, sun, illumination;
  };
  struct aspect_row {
    double jd;
    int planet, angle;
  };
  std::vector<phase_row> phases;
  std::vector<double> new_moons, full_moons, first_quarters, last_quarters;
  std::vector<std::pair<double, int>> ingresses;
  std::vector<aspect_row> aspects;
  std::vector<double> moscow_rises, polar_rises;
  double solar_eclipse = 0, lunar_eclipse = 0;
};

const vectors& swetest_vectors() {
  static const vectors v = [] {
    vectors out;
    std::ifstream in(std::string(NOCTURNA_SOURCE_SHARE_DIR) +
                     "/../tests/unit/vectors/lunar_vectors.tsv");
    REQUIRE_MESSAGE(in.good(), "missing tests/unit/vectors/lunar_vectors.tsv");
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream s(line);
      std::string kind;
      s >> kind;
      if (kind == "phase") {
        vectors::phase_row r{};
        s >> r.jd >> r.moon >> r.sun >> r.illumination;
        out.phases.push_back(r);
      } else if (kind == "newmoon" || kind == "fullmoon") {
        double jd = 0;
        s >> jd;
        (kind == "newmoon" ? out.new_moons : out.full_moons).push_back(jd);
      } else if (kind == "firstquarter" || kind == "lastquarter") {
        double jd = 0;
        s >> jd;
        (kind == "firstquarter" ? out.first_quarters : out.last_quarters).push_back(jd);
      } else if (kind == "ingress") {
        double jd = 0;
        int sign = 0;
        s >> jd >> sign;
        out.ingresses.emplace_back(jd, sign);
      } else if (kind == "aspect") {
        vectors::aspect_row r{};
        s >> r.jd >> r.planet >> r.angle;
        out.aspects.push_back(r);
      } else if (kind == "rise") {
        std::string place, lat, lon, jd;
        s >> place >> lat >> lon >> jd;
        if (jd == "-") continue;
        (place == "moscow" ? out.moscow_rises : out.polar_rises).push_back(std::stod(jd));
      } else if (kind == "eclipse") {
        std::string which;
        double jd = 0;
        s >> which >> jd;
        (which == "solar" ? out.solar_eclipse : out.lunar_eclipse) = jd;
      }
    }
    return out;
  }();
  return v;
}

// swetest's minute vectors name the first whole minute past the event: the event lies within the
// minute before it (a second of slack for the printed JD's rounding).
void check_minute(double computed, double first_minute_after) {
  CHECK(computed <= first_minute_after + 2.0 / 86400);
  CHECK(computed > first_minute_after - minute - 2.0 / 86400);
}

std::int64_t unix_of(double jd) {
  return jd_to_unix(jd);
}

const double moscow_lat = 55.7558, moscow_lon = 37.6173;
const double polar_lat = 78.2232, polar_lon = 15.6267;

lunar_query utc_day_query(double jd, double lat, double lon) {
  const std::int64_t moment = unix_of(jd);
  const std::int64_t day_start = moment - ((moment % 86400) + 86400) % 86400;
  return {moment, day_start, day_start + 86400, lat, lon};
}

}  // namespace

TEST_CASE("lunar: the phase of a day") {
  CHECK(phase_of_day(10, std::nullopt) == moon_phase::waxing_crescent);
  CHECK(phase_of_day(100, std::nullopt) == moon_phase::waxing_gibbous);
  CHECK(phase_of_day(200, std::nullopt) == moon_phase::waning_gibbous);
  CHECK(phase_of_day(300, std::nullopt) == moon_phase::waning_crescent);
  CHECK(phase_of_day(359.9, moon_phase::new_moon) == moon_phase::new_moon);
  CHECK(phase_of_day(95, moon_phase::first_quarter) == moon_phase::first_quarter);
  CHECK(std::string(phase_name_ru(moon_phase::waxing_gibbous)) == "растущая Луна");
  CHECK(std::string(phase_name_ru(moon_phase::last_quarter)) == "последняя четверть");
  CHECK(std::string(phase_key(moon_phase::waning_crescent)) == "WANING_CRESCENT");
}

TEST_CASE("lunar: elongation, illumination and phase name against swetest") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  REQUIRE(v.phases.size() >= 10);
  for (const auto& p : v.phases) {
    CAPTURE(p.jd);
    CHECK(e.ecliptic(body::moon, p.jd).longitude == doctest::Approx(p.moon).epsilon(1e-9));
    CHECK(e.illuminated_fraction(p.jd) == doctest::Approx(p.illumination).epsilon(1e-6));
    auto c = compute_lunar_calendar(e, utc_day_query(p.jd, moscow_lat, moscow_lon));
    REQUIRE(c);
    const double elongation = std::fmod(p.moon - p.sun + 720.0, 360.0);
    CHECK(c.value().elongation == doctest::Approx(elongation).epsilon(1e-7));
    // The principal phases of the vectors within the UTC day name it; otherwise the quarter.
    const double day_start = std::floor(p.jd - 0.5) + 0.5;
    std::optional<moon_phase> principal;
    auto in_day = [&](const std::vector<double>& moments, moon_phase phase) {
      for (double jd : moments)
        if (jd - minute >= day_start && jd - minute < day_start + 1) principal = phase;
    };
    in_day(v.new_moons, moon_phase::new_moon);
    in_day(v.first_quarters, moon_phase::first_quarter);
    in_day(v.full_moons, moon_phase::full_moon);
    in_day(v.last_quarters, moon_phase::last_quarter);
    if (principal)
      CHECK(c.value().phase == *principal);
    else if (elongation > 5 && elongation < 85)
      CHECK(c.value().phase == moon_phase::waxing_crescent);
    else if (elongation > 95 && elongation < 175)
      CHECK(c.value().phase == moon_phase::waxing_gibbous);
    else if (elongation > 185 && elongation < 265)
      CHECK(c.value().phase == moon_phase::waning_gibbous);
    else if (elongation > 275 && elongation < 355)
      CHECK(c.value().phase == moon_phase::waning_crescent);
  }
}

TEST_CASE("lunar: new and full moons to the minute of swetest") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  REQUIRE(v.new_moons.size() == 2);
  REQUIRE(v.full_moons.size() == 1);
  for (double jd : v.new_moons) {
    check_minute(next_elongation(e, 0, jd - 3), jd);
    check_minute(previous_elongation(e, 0, jd + 3), jd);
  }
  check_minute(next_elongation(e, 180, v.full_moons[0] - 20), v.full_moons[0]);
  // Just after an occurrence the next one is a month later, never the one just passed.
  for (double jd : {v.full_moons[0], v.full_moons[0] + 0.01, v.full_moons[0] + 0.3}) {
    const double next = next_elongation(e, 180, jd);
    CHECK(next > jd);
    CHECK(next - jd > 29);
    CHECK(previous_elongation(e, 180, jd + 29) < jd + 0.5);
  }
  for (double jd : {v.new_moons[0] - 0.01, v.new_moons[0] - 0.3}) {
    CHECK(previous_elongation(e, 0, jd) < jd);
    CHECK(jd - previous_elongation(e, 0, jd) > 29);
  }
}

TEST_CASE("lunar: the Moon's sign, ingress and egress to the minute of swetest") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  REQUIRE(v.ingresses.size() >= 15);
  for (std::size_t i = 0; i + 1 < v.ingresses.size(); ++i) {
    auto [jd, sign] = v.ingresses[i];
    CAPTURE(jd);
    auto span = moon_sign_span(e, jd + 0.5);
    CHECK(span.sign == sign);
    check_minute(span.ingress_jd, jd);
    check_minute(span.egress_jd, v.ingresses[i + 1].first);
  }
}

TEST_CASE("lunar: void of course from the last aspect swetest finds in the sign") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  int checked = 0;
  for (std::size_t i = 0; i + 1 < v.ingresses.size(); ++i) {
    const double ingress = v.ingresses[i].first, egress = v.ingresses[i + 1].first;
    const vectors::aspect_row* last = nullptr;
    for (const auto& a : v.aspects)
      if (a.jd > ingress && a.jd <= egress && (!last || a.jd > last->jd)) last = &a;
    auto span = moon_sign_span(e, ingress + 0.5);
    auto aspect = last_aspect_in(e, span);
    CAPTURE(ingress);
    REQUIRE(last);  // March 2025 has no sign without an aspect
    REQUIRE(aspect);
    check_minute(aspect->jd, last->jd);
    CHECK(static_cast<int>(aspect->planet) == last->planet);
    CHECK(aspect->angle == (last->angle > 180 ? 360 - last->angle : last->angle));
    ++checked;
  }
  CHECK(checked >= 15);
}

TEST_CASE("lunar: moonrises to the minute of swetest, also after days without one") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  REQUIRE(v.moscow_rises.size() >= 35);
  for (std::size_t i = 0; i + 1 < v.moscow_rises.size(); ++i) {
    auto rise =
        e.next_moonrise(v.moscow_rises[i] + minute, moscow_lat, moscow_lon, v.moscow_rises[i] + 3);
    REQUIRE(rise);
    CHECK(std::abs(*rise - v.moscow_rises[i + 1]) < minute);
  }
  // Longyearbyen: swetest finds no moonrise between 3 and 13 March 2025.
  const auto gap = std::adjacent_find(v.polar_rises.begin(), v.polar_rises.end(),
                                      [](double a, double b) { return b - a > 5; });
  REQUIRE(gap != v.polar_rises.end());
  CHECK_FALSE(e.next_moonrise(*gap + minute, polar_lat, polar_lon, *gap + 5));
  auto after = e.next_moonrise(*gap + minute, polar_lat, polar_lon, *gap + 15);
  REQUIRE(after);
  CHECK(std::abs(*after - *(gap + 1)) < minute);
}

TEST_CASE("lunar: the lunar day counts swetest's moonrises since the new moon") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  const double first_new = v.new_moons[0], second_new = v.new_moons[1];
  int checked = 0;
  for (double jd = first_new + 0.01; jd < second_new; jd += 0.29) {  // every 7 hours or so
    int number = 1;
    double start = first_new - minute, end = second_new - minute;
    for (double rise : v.moscow_rises) {
      if (rise <= first_new) continue;
      if (rise <= jd) {
        ++number;
        start = rise;
      } else {
        end = std::min(end, rise);
        break;
      }
    }
    CAPTURE(jd);
    auto c = compute_lunar_calendar(e, utc_day_query(jd, moscow_lat, moscow_lon));
    REQUIRE(c);
    REQUIRE(c.value().day);
    CHECK(c.value().day->number == number);
    CHECK(std::abs(c.value().day->start - unix_of(start)) <= 61);
    CHECK(std::abs(c.value().day->end - unix_of(end)) <= 61);
    ++checked;
  }
  CHECK(checked > 90);
}

TEST_CASE("lunar: no lunar day where the Moon skipped a day of rising") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  // 8 March 2025 at Longyearbyen: no moonrise from 3 to 13 March.
  auto polar = compute_lunar_calendar(e, utc_day_query(2460742.5, polar_lat, polar_lon));
  REQUIRE(polar);
  CHECK_FALSE(polar.value().day);
  // After the new moon of 29 March the Moon rises there daily again: day 1 until the next rise.
  const double evening = v.new_moons[1] + 0.3;
  auto after = compute_lunar_calendar(e, utc_day_query(evening, polar_lat, polar_lon));
  REQUIRE(after);
  REQUIRE(after.value().day);
  CHECK(after.value().day->number == 1);
  const double next_rise = *std::find_if(v.polar_rises.begin(), v.polar_rises.end(),
                                         [&](double r) { return r > evening; });
  CHECK(std::abs(after.value().day->end - unix_of(next_rise)) <= 61);
}

TEST_CASE("lunar: a day's void-of-course intervals, next phases and eclipses") {
  swiss_lunar_ephemeris e;
  const auto& v = swetest_vectors();
  // 1 March 2025 00:00 UT: both eclipses of the vectors lie within 30 days.
  auto c = compute_lunar_calendar(e, utc_day_query(2460735.5, moscow_lat, moscow_lon));
  REQUIRE(c);
  const auto& cal = c.value();
  REQUIRE(cal.eclipses.size() == 2);
  CHECK(cal.eclipses[0].kind == eclipse_kind::lunar_total);
  CHECK(std::abs(cal.eclipses[0].utc - unix_of(v.lunar_eclipse)) <= 1);
  CHECK(cal.eclipses[1].kind == eclipse_kind::solar_partial);
  CHECK(std::abs(cal.eclipses[1].utc - unix_of(v.solar_eclipse)) <= 1);
  CHECK(std::abs(cal.next_full_moon - unix_of(v.full_moons[0])) <= 61);
  CHECK(std::abs(cal.next_new_moon - unix_of(v.new_moons[1])) <= 61);
  // 15 days later the lunar eclipse has passed and the solar one is 14 days ahead.
  auto later = compute_lunar_calendar(e, utc_day_query(2460750.5, moscow_lat, moscow_lon));
  REQUIRE(later);
  REQUIRE(later.value().eclipses.size() == 1);
  CHECK(later.value().eclipses[0].kind == eclipse_kind::solar_partial);
  // Every void interval of a day overlaps it and ends at an ingress of the vectors.
  int intervals = 0;
  for (double day = 2460735.5; day < 2460765.5; day += 1) {
    auto d = compute_lunar_calendar(e, utc_day_query(day + 0.5, moscow_lat, moscow_lon));
    REQUIRE(d);
    for (const auto& voc : d.value().void_of_course) {
      CHECK(voc.start < unix_of(day + 1));
      CHECK(voc.end > unix_of(day));
      CHECK(voc.start < voc.end);
      bool at_ingress = false;
      for (auto [jd, sign] : v.ingresses) at_ingress |= std::abs(voc.end - unix_of(jd)) <= 61;
      CHECK(at_ingress);
      ++intervals;
    }
  }
  CHECK(intervals >= 13);  // one sign change every 2.5 days, each preceded by a void interval
}
