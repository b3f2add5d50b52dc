// Houses (polar fallback, house of a body), aspects (windows, sort) and the typed errors of the
// chart builder (docs/calculations.md §4, §5, §6 "Also required").
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "astro_fixtures.hpp"
#include "clients/astro/aspects.hpp"
#include "clients/astro/houses.hpp"

using namespace nocturna::astro;
using namespace nocturna::astro::testing;

namespace {

calc_error_kind error_of(const chart_request& r) {
  auto c = build_chart(engine(), r);
  REQUIRE_FALSE(c);
  return c.error().kind;
}

aspect_body pt(body b, double lon, double v = 0) {
  aspect_body a;
  a.point.id = b;
  a.longitude = lon;
  a.speed = v;
  return a;
}

}  // namespace

TEST_CASE("houses: system names") {
  CHECK(house_system_from_name("placidus") == 'P');
  CHECK(house_system_from_name("KOCH") == 'K');
  CHECK(house_system_from_name("whole_sign") == 'W');
  CHECK(house_system_from_name("porphyry") == 'O');
  CHECK(house_system_from_name("regiomontanus") == 'R');
  CHECK(house_system_from_name("campanus") == 'C');
  CHECK(house_system_from_name("equal") == 'E');
  CHECK_FALSE(house_system_from_name("topocentric"));
  CHECK_FALSE(house_system_from_name(""));
  CHECK(std::string(house_system_name('W')) == "whole_sign");
  CHECK_FALSE(valid_house_system('T'));
}

TEST_CASE("houses: 70 N Placidus falls back to Porphyry, the chart says so") {
  const auto r = chart_request::at_utc(fields_to_unix(dt(2000, 1, 1, 12)), 70.0, 20.0);
  const chart c = build_ok(r);
  CHECK(c.houses_fallback);
  CHECK(c.system_requested == 'P');
  CHECK(c.system_used == 'O');
  const auto ref = porphyry_from_angles(c.chart_angles->asc, c.chart_angles->mc);
  for (int i = 0; i < 12; ++i) CHECK(angle_diff(c.houses[i].longitude, ref[i]) < 1e-9);
  // Murmansk latitude: Placidus always falls back there (docs/integrations.md §3.6).
  const chart m =
      build_ok(chart_request::at_utc(fields_to_unix(dt(2024, 6, 1, 3)), 68.9792, 33.0925));
  CHECK(m.houses_fallback);
  // Southern polar circle too.
  CHECK(build_ok(chart_request::at_utc(0, -70.0, 0.0, "UTC", 'K')).houses_fallback);
  // Other systems never fall back.
  for (char s : {'E', 'W', 'O', 'R', 'C'})
    CHECK_FALSE(build_ok(chart_request::at_utc(0, 80.0, 0.0, "UTC", s)).houses_fallback);
}

TEST_CASE("houses: poles and date line are valid places") {
  for (double lat : {-90.0, 90.0})
    for (double lon : {-180.0, 180.0}) {
      auto h = compute_houses(2451545.0, lat, lon, 'P');
      REQUIRE(h);
      CHECK(h.value().fallback);
    }
}

TEST_CASE("houses: house of a body") {
  const std::array<double, 12> cusps = {85.7,  106.0, 126.7, 151.5, 184.3, 225.8,
                                        265.7, 286.0, 306.7, 331.5, 4.3,   45.8};
  CHECK(house_of(295.4, cusps) == 8);
  CHECK(house_of(85.7, cusps) == 1);  // on a cusp: the house it opens
  CHECK(house_of(85.69, cusps) == 12);
  CHECK(house_of(0.0, cusps) == 10);  // house 10 wraps through 0°
  CHECK(house_of(359.99, cusps) == 10);
  CHECK(house_of(4.3, cusps) == 11);
  std::array<double, 12> same{};
  CHECK_FALSE(house_of(10.0, same));  // degenerate equal cusps never hit
  // Whole-sign houses starting at 0°.
  std::array<double, 12> whole{};
  for (int i = 0; i < 12; ++i) whole[i] = 30.0 * i;
  CHECK(house_of(0.0, whole) == 1);
  CHECK(house_of(359.999, whole) == 12);
  CHECK(house_of(30.0, whole) == 2);
}

TEST_CASE("houses: every body gets a house only when the time is known") {
  const chart& c = v6_chart();
  for (const auto& p : c.positions) CHECK(p.house.has_value());
  const chart u = build_ok(chart_request::at_local(dt(1990, 1, 15, 14, 30), "America/New_York",
                                                   40.7128, -74.006, false));
  CHECK_FALSE(u.time_known);
  CHECK(u.houses.empty());
  CHECK_FALSE(u.chart_angles);
  for (const auto& p : u.positions) CHECK_FALSE(p.house.has_value());
  // Unknown time = local noon.
  CHECK(format_iso_utc(u.moment_utc) == "1990-01-15T17:00:00Z");
}

TEST_CASE("houses: range ends and typed errors") {
  const auto utc = [](datetime_fields f) { return fields_to_unix(f); };
  // UT 1800-01-01 and 2399-12-31 work; a second outside does not.
  CHECK(build_chart(engine(), chart_request::at_utc(utc(dt(1800, 1, 1)), 0, 0)));
  CHECK(build_chart(engine(), chart_request::at_utc(utc(dt(2399, 12, 31, 23, 59, 59)), 0, 0)));
  CHECK(error_of(chart_request::at_utc(utc(dt(1799, 12, 31)), 0, 0)) ==
        calc_error_kind::date_out_of_range);
  CHECK(error_of(chart_request::at_utc(utc(dt(2400, 1, 1)), 0, 0)) ==
        calc_error_kind::date_out_of_range);
  // Local 1900-01-01 00:30 in Moscow is UT 1899-12-31 and valid; local 1800-01-01 01:00 in
  // Moscow (+02:30:17) is UT 1799 and is not.
  CHECK(build_chart(engine(),
                    chart_request::at_local(dt(1900, 1, 1, 0, 30), "Europe/Moscow", 55.75, 37.62)));
  CHECK(error_of(chart_request::at_local(dt(1800, 1, 1, 1), "Europe/Moscow", 55.75, 37.62)) ==
        calc_error_kind::date_out_of_range);
  // Invalid calendar date.
  CHECK(error_of(chart_request::at_local(dt(1990, 2, 30, 12), "Europe/Moscow", 55.75, 37.62)) ==
        calc_error_kind::date_out_of_range);
  CHECK(error_of(chart_request::at_local(dt(1990, 1, 1, 25), "Europe/Moscow", 55.75, 37.62)) ==
        calc_error_kind::date_out_of_range);
  CHECK(error_of(chart_request::at_local(dt(1990, 1, 1), "Mars/Olympus", 0, 0)) ==
        calc_error_kind::bad_zone);
  CHECK(error_of(chart_request::at_utc(0, 0, 0, "Mars/Olympus")) == calc_error_kind::bad_zone);
  for (auto [lat, lon] : {std::pair{90.0001, 0.0},
                          {-91.0, 0.0},
                          {0.0, 180.5},
                          {0.0, -181.0},
                          {NAN, 0.0},
                          {0.0, INFINITY}})
    CHECK(error_of(chart_request::at_utc(0, lat, lon)) == calc_error_kind::bad_place);
  CHECK(error_of(chart_request::at_utc(0, 0, 0, "UTC", 'X')) == calc_error_kind::internal);
  // The backend checks its range too (calc serve calls it directly).
  auto p = engine().positions(2300000.0);
  REQUIRE_FALSE(p);
  CHECK(p.error().kind == calc_error_kind::date_out_of_range);
}

TEST_CASE("houses aspects: windows are inclusive and do not overlap") {
  const auto orb_at = [](double sep, const aspect_orbs& orbs) {
    return match_aspect(pt(body::sun, 0), pt(body::moon, sep), orbs);
  };
  CHECK(orb_at(8.0, natal_orbs)->type == aspect_type::conjunction);
  CHECK_FALSE(orb_at(8.0001, natal_orbs));
  CHECK(orb_at(56.0, natal_orbs)->type == aspect_type::sextile);
  CHECK_FALSE(orb_at(55.9, natal_orbs));
  CHECK(orb_at(84.0, natal_orbs)->type == aspect_type::square);
  CHECK(orb_at(114.0, natal_orbs)->type == aspect_type::trine);
  CHECK_FALSE(orb_at(105.0, natal_orbs));
  CHECK(orb_at(172.0, natal_orbs)->type == aspect_type::opposition);
  CHECK(orb_at(188.0, natal_orbs)->type == aspect_type::opposition);  // −172 folded
  CHECK_FALSE(orb_at(3.0001, transit_orbs));
  CHECK(orb_at(357.0, transit_orbs)->type == aspect_type::conjunction);
  // Speeds equal → separating; exact → separating.
  auto still = match_aspect(pt(body::sun, 0, 1), pt(body::moon, 5, 1), natal_orbs);
  CHECK_FALSE(still->applying);
  auto exact = match_aspect(pt(body::sun, 0, 1), pt(body::moon, 90, 13), natal_orbs);
  CHECK(exact->orb == 0.0);
  CHECK_FALSE(exact->applying);
}

TEST_CASE("houses aspects: pairs, order and sort") {
  std::vector<body_position> ps;
  auto add = [&](body b, double lon, double v) {
    body_position p;
    p.id = b;
    p.longitude = lon;
    p.speed = v;
    ps.push_back(p);
  };
  add(body::mars, 100, 0.5);
  add(body::sun, 100, 1);
  add(body::venus, 100, 1.2);
  add(body::mean_node, 100, -0.05);  // never aspected
  add(body::chiron, 100, 0.01);      // never aspected
  const auto a = chart_aspects(ps);
  REQUIRE(a.size() == 3);  // SUN–VENUS, SUN–MARS, VENUS–MARS, all orb 0
  CHECK(a[0].p1.api_name() == "SUN");
  CHECK(a[0].p2.api_name() == "VENUS");
  CHECK(a[1].p1.api_name() == "SUN");
  CHECK(a[1].p2.api_name() == "MARS");
  CHECK(a[2].p1.api_name() == "VENUS");
  CHECK(a[2].p2.api_name() == "MARS");
  // Transit-to-natal: natal first, ASC/MC only with angles.
  angles ang;
  ang.asc = 100;
  ang.mc = 10;
  const auto t = transit_natal_aspects(ps, ang, ps);
  // 3 natal bodies × 3 transiting conjunctions, ASC × 3 conjunctions, MC × 3 squares.
  CHECK(t.size() == 15);
  CHECK(t[9].p1.api_name() == "ASC");
  CHECK(t.back().p1.api_name() == "MC");
  CHECK(t.back().type == aspect_type::square);
  CHECK(transit_natal_aspects(ps, std::nullopt, ps).size() == 9);
}

TEST_CASE("houses: libswe per-thread state gives identical charts on every thread") {
  // libswe keeps its state per thread; fresh threads (houses first, then positions) must agree
  // bit for bit with the main thread.
  const std::vector<chart_request> requests = {
      chart_request::at_local(dt(1990, 1, 15, 14, 30), "America/New_York", 40.7128, -74.006),
      chart_request::at_utc(fields_to_unix(dt(2000, 1, 1, 12)), 70.0, 20.0),
      chart_request::at_local(dt(2024, 3, 20, 12), "Europe/Moscow", 55.7558, 37.6173, true, 'K'),
  };
  std::vector<chart> expected;
  for (const auto& r : requests) expected.push_back(build_ok(r));
  std::vector<std::vector<chart>> results(4);
  std::vector<std::array<double, 12>> houses_first(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      // Houses before any position on this thread.
      auto h = compute_houses(expected[0].jd_ut, 40.7128, -74.006, 'P');
      if (h) houses_first[t] = h.value().cusps;
      for (int round = 0; round < 20; ++round)
        for (const auto& r : requests) {
          auto c = build_chart(engine(), r);
          if (c && round == 19) results[t].push_back(c.value());
        }
    });
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) {
    REQUIRE(results[t].size() == expected.size());
    for (int i = 0; i < 12; ++i) CHECK(houses_first[t][i] == expected[0].houses[i].longitude);
    for (std::size_t i = 0; i < expected.size(); ++i) {
      REQUIRE(results[t][i].positions.size() == expected[i].positions.size());
      for (std::size_t b = 0; b < expected[i].positions.size(); ++b) {
        CHECK(results[t][i].positions[b].longitude == expected[i].positions[b].longitude);
        CHECK(results[t][i].positions[b].speed == expected[i].positions[b].speed);
      }
      for (int k = 0; k < 12; ++k)
        CHECK(results[t][i].houses[k].longitude == expected[i].houses[k].longitude);
      CHECK(results[t][i].aspects.size() == expected[i].aspects.size());
    }
  }
}
