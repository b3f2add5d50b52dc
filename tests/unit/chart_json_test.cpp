// chart_from_json: the exact inverse of chart_to_json (the natal cache format), total on hostile
// input.
#include "clients/astro/chart_json.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "astro_fixtures.hpp"

using namespace nocturna::astro;
using namespace nocturna::astro::testing;

namespace {

// Bit for bit: tells −0.0 from 0.0, and any last-digit difference.
bool same_bits(double a, double b) {
  std::uint64_t x = 0, y = 0;
  std::memcpy(&x, &a, sizeof a);
  std::memcpy(&y, &b, sizeof b);
  return x == y;
}

void check_same_point(const aspect_point& a, const aspect_point& b) {
  CHECK(a.id == b.id);
  CHECK(a.angle == b.angle);
}

void check_same(const chart& a, const chart& b) {
  CHECK(a.moment_utc == b.moment_utc);
  CHECK(same_bits(a.jd_ut, b.jd_ut));
  CHECK(same_bits(a.latitude, b.latitude));
  CHECK(same_bits(a.longitude, b.longitude));
  CHECK(a.zone == b.zone);
  CHECK(a.time_known == b.time_known);
  CHECK(a.ephemeris == b.ephemeris);
  CHECK(a.system_requested == b.system_requested);
  CHECK(a.system_used == b.system_used);
  CHECK(a.houses_fallback == b.houses_fallback);
  REQUIRE(a.positions.size() == b.positions.size());
  for (std::size_t i = 0; i < a.positions.size(); ++i) {
    const body_position &p = a.positions[i], &q = b.positions[i];
    CAPTURE(body_api_name(p.id));
    CHECK(p.id == q.id);
    CHECK(same_bits(p.longitude, q.longitude));
    CHECK(same_bits(p.latitude, q.latitude));
    CHECK(same_bits(p.distance, q.distance));
    CHECK(same_bits(p.speed, q.speed));
    CHECK(p.house == q.house);
  }
  REQUIRE(a.houses.size() == b.houses.size());
  for (std::size_t i = 0; i < a.houses.size(); ++i) {
    CHECK(a.houses[i].number == b.houses[i].number);
    CHECK(same_bits(a.houses[i].longitude, b.houses[i].longitude));
  }
  REQUIRE(a.chart_angles.has_value() == b.chart_angles.has_value());
  if (a.chart_angles) {
    CHECK(same_bits(a.chart_angles->asc, b.chart_angles->asc));
    CHECK(same_bits(a.chart_angles->mc, b.chart_angles->mc));
    CHECK(same_bits(a.chart_angles->dsc, b.chart_angles->dsc));
    CHECK(same_bits(a.chart_angles->ic, b.chart_angles->ic));
  }
  REQUIRE(a.aspects.size() == b.aspects.size());
  for (std::size_t i = 0; i < a.aspects.size(); ++i) {
    const aspect &x = a.aspects[i], &y = b.aspects[i];
    check_same_point(x.p1, y.p1);
    check_same_point(x.p2, y.p2);
    CHECK(x.type == y.type);
    CHECK(same_bits(x.orb, y.orb));
    CHECK(x.applying == y.applying);
  }
}

// chart → JSON → chart is the identity, and so is JSON → chart → JSON.
void check_round_trip(const chart& c) {
  const std::string text = chart_to_json(c);
  const auto back = chart_from_json(text);
  REQUIRE(back);
  check_same(c, *back);
  CHECK(chart_to_json(*back) == text);
}

// `text` with the first `from` replaced by `to` (which must occur).
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

chart transit_chart() {
  return build_ok(chart_request::at_utc(fields_to_unix(dt(2026, 1, 11, 17)), 55.7558, 37.6173,
                                        "Europe/Moscow"));
}

}  // namespace

TEST_CASE("chart json: time-known chart round trip") {
  const chart& c = v6_chart();
  REQUIRE(c.time_known);
  REQUIRE(c.houses.size() == 12);
  REQUIRE(c.chart_angles);
  REQUIRE_FALSE(c.aspects.empty());
  check_round_trip(c);

  // Other house systems.
  for (char s : {'K', 'E', 'W', 'O', 'R', 'C'}) {
    CAPTURE(s);
    check_round_trip(build_ok(chart_request::at_local(dt(1990, 1, 15, 14, 30), "America/New_York",
                                                      40.7128, -74.006, true, s)));
  }
}

TEST_CASE("chart json: unknown-time chart round trip") {
  const chart c =
      build_ok(chart_request::at_local(dt(1985, 3, 10), "Europe/Moscow", 55.7558, 37.6173, false));
  REQUIRE_FALSE(c.time_known);
  REQUIRE(c.houses.empty());
  REQUIRE_FALSE(c.chart_angles);
  check_round_trip(c);
  const auto back = chart_from_json(chart_to_json(c));
  REQUIRE(back);
  CHECK(back->houses.empty());
  CHECK_FALSE(back->chart_angles);
  for (const auto& p : back->positions) CHECK_FALSE(p.house);
}

TEST_CASE("chart json: polar fallback chart round trip") {
  const chart c = build_ok(chart_request::at_utc(fields_to_unix(dt(2000, 1, 1, 12)), 70.0, 20.0));
  REQUIRE(c.houses_fallback);
  REQUIRE(c.system_requested == 'P');
  REQUIRE(c.system_used == 'O');
  check_round_trip(c);
  const auto back = chart_from_json(chart_to_json(c));
  REQUIRE(back);
  CHECK(back->houses_fallback);
  CHECK(back->system_requested == 'P');
  CHECK(back->system_used == 'O');
}

TEST_CASE("chart json: transit chart round trip, with ASC/MC aspect points") {
  const chart t = transit_chart();
  check_round_trip(t);

  // Transit-to-natal aspects name the natal ASC and MC as points.
  chart with_angles = t;
  with_angles.aspects = transit_aspects(v6_chart(), t);
  bool asc = false, mc = false;
  for (const auto& a : with_angles.aspects) {
    asc = asc || a.p1.angle == "ASC";
    mc = mc || a.p1.angle == "MC";
  }
  REQUIRE(asc);
  REQUIRE(mc);
  check_round_trip(with_angles);
}

TEST_CASE("chart json: doubles survive bit for bit, negative zero included") {
  chart c = v6_chart();
  c.latitude = -0.0;
  c.longitude = 0.0;
  c.positions[0].speed = -0.0;  // not retrograde, and must stay negative zero
  c.positions[1].latitude = std::numeric_limits<double>::denorm_min();
  c.positions[2].distance = 0.1 + 0.2;
  c.positions[3].speed = -1e-300;
  c.positions[4].longitude = 359.99999999999994;
  c.aspects[0].orb = -0.0;
  c.chart_angles->ic = std::nextafter(180.0, 0.0);
  c.houses[5].longitude = 1e15 + 0.5;
  c.jd_ut = 2447907.3125000005;
  c.zone = "Etc/GMT-0";  // "-0" inside a string stays as it is
  c.ephemeris = "moshier \"-0\" \\-0";
  check_round_trip(c);
  const auto back = chart_from_json(chart_to_json(c));
  REQUIRE(back);
  CHECK(std::signbit(back->latitude));
  CHECK_FALSE(std::signbit(back->longitude));
  CHECK(std::signbit(back->positions[0].speed));
  CHECK(back->zone == "Etc/GMT-0");

  // An exponent's "-0" is not a negative zero: 1e-0 is 1.
  const std::string text = chart_to_json(v6_chart());
  const auto one = chart_from_json(replaced(text, "\"jd_ut\":2447907.3125", "\"jd_ut\":1e-0"));
  REQUIRE(one);
  CHECK(one->jd_ut == 1.0);
  const auto neg = chart_from_json(replaced(text, "\"jd_ut\":2447907.3125", "\"jd_ut\":-0"));
  REQUIRE(neg);
  CHECK(std::signbit(neg->jd_ut));
}

TEST_CASE("chart json: unknown keys are ignored, key order does not matter") {
  const std::string text = chart_to_json(transit_chart());
  const auto back =
      chart_from_json("{\"extra\":[1,{\"x\":null}]," + text.substr(1, text.size() - 2) + "}");
  REQUIRE(back);
  check_same(transit_chart(), *back);
}

TEST_CASE("chart json: garbage, truncated and hostile input give nullopt") {
  for (const char* bad :
       {"", " ", "null", "true", "0", "\"chart\"", "[]", "{}", "{", "}", "not json", "{\"a\":}",
        "\xff\xfe", "{\"moment_utc\":\"1990-01-15T19:30:00Z\"}"})
    CHECK_FALSE(chart_from_json(bad));

  const std::string text = chart_to_json(v6_chart());
  REQUIRE(chart_from_json(text));

  // Every proper prefix is invalid.
  for (std::size_t n = 0; n < text.size(); ++n) {
    CAPTURE(n);
    REQUIRE_FALSE(chart_from_json(std::string_view(text).substr(0, n)));
  }
  // Trailing garbage and a NUL inside.
  CHECK_FALSE(chart_from_json(text + "x"));
  CHECK_FALSE(chart_from_json(text + "{}"));
  CHECK_FALSE(chart_from_json(std::string_view(text.c_str(), text.size() + 1)));

  // Huge and out-of-range numbers.
  const std::string jd = "\"jd_ut\":2447907.3125";
  for (const char* v : {"1e999", "-1e999", "1e309", "NaN", "Infinity", "null", "\"2447907.3125\"",
                        "99999999999999999999999999999999999999999999999999999999999"}) {
    CAPTURE(v);
    CHECK_FALSE(chart_from_json(replaced(text, jd, std::string("\"jd_ut\":") + v)));
  }
  const std::string house = "\"house\":8";
  for (const char* v :
       {"0", "13", "-1", "8.0", "8e0", "\"8\"", "true", "9223372036854775808",
        "18446744073709551616", "-9223372036854775809", "4294967304", "99999999999999999999999"}) {
    CAPTURE(v);
    CHECK_FALSE(chart_from_json(replaced(text, house, std::string("\"house\":") + v)));
  }
  CHECK_FALSE(chart_from_json(replaced(text, "{\"number\":1,", "{\"number\":4294967297,")));
  CHECK_FALSE(chart_from_json(replaced(text, "\"latitude\":40.7128", "\"latitude\":90.5")));
  CHECK_FALSE(chart_from_json(replaced(text, "\"longitude\":-74.006", "\"longitude\":-180.5")));

  // Wrong types, names and shapes.
  const std::vector<std::pair<std::string, std::string>> mutations = {
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":\"1990-02-30T19:30:00Z\""},
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":\"1990-01-15T24:30:00Z\""},
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":\"1990-01-15 19:30:00Z\""},
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":\"1990-01-15T19:30:00\""},
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":\"+990-01-15T19:30:00Z\""},
      {"\"moment_utc\":\"1990-01-15T19:30:00Z\"", "\"moment_utc\":632431800"},
      {"\"zone\":\"America/New_York\"", "\"zone\":null"},
      {"\"time_known\":true", "\"time_known\":1"},
      {"\"time_known\":true", "\"time_known\":false"},  // houses in an unknown-time chart
      {"\"ephemeris\":\"swieph\"", "\"ephemeris\":[]"},
      {"\"house_system\":\"P\"", "\"house_system\":\"X\""},
      {"\"house_system\":\"P\"", "\"house_system\":\"PP\""},
      {"\"house_system_used\":\"P\"", "\"house_system_used\":\"\""},
      {"\"houses_fallback\":false", "\"houses_fallback\":\"false\""},
      {"\"positions\":[", "\"positions\":{\"a\":[}"},
      {"\"positions\":[", "\"positions\":[1,"},
      {"\"planet\":\"SUN\"", "\"planet\":\"sun\""},
      {"\"planet\":\"SUN\"", "\"planet\":\"MOON\""},  // MOON twice
      {"\"houses\":[", "\"houses\":[{\"number\":1,\"longitude\":0},"},
      {"{\"number\":2,", "{\"number\":3,"},
      {"\"houses\":[", "\"houses\":null,\"x\":["},
      {"\"angles\":{\"ASC\"", "\"angles\":{\"asc\""},
      {"\"angles\":{", "\"angles\":[],\"x\":{"},
      {"\"aspect_type\":\"sextile\"", "\"aspect_type\":\"quincunx\""},
      {"\"planet1\":\"SATURN\"", "\"planet1\":\"DSC\""},
      {"\"planet1\":\"SATURN\"", "\"planet1\":null"},
      {"\"applying\":true", "\"applying\":\"yes\""},
      {"\"aspects\":[", "\"aspects\":[[],"},
  };
  for (const auto& [from, to] : mutations) {
    CAPTURE(to);
    CHECK_FALSE(chart_from_json(replaced(text, from, to)));
  }

  // Houses without angles and angles without houses.
  const std::string no_houses = chart_to_json([] {
    chart c = v6_chart();
    c.chart_angles.reset();
    return c;
  }());
  REQUIRE(no_houses.find("\"houses\"") == std::string::npos);
  const auto positions_at = text.find(",\"positions\"");
  const auto houses_at = text.find(",\"houses\"");
  const auto angles_at = text.find(",\"angles\"");
  const auto aspects_at = text.find(",\"aspects\"");
  REQUIRE(houses_at != std::string::npos);
  REQUIRE(positions_at < houses_at);
  REQUIRE(houses_at < angles_at);
  REQUIRE(angles_at < aspects_at);
  const std::string without_angles = text.substr(0, angles_at) + text.substr(aspects_at);
  const std::string without_houses = text.substr(0, houses_at) + text.substr(angles_at);
  CHECK_FALSE(chart_from_json(without_angles));
  CHECK_FALSE(chart_from_json(without_houses));
  // ... and a time-known chart written without either is read back as such.
  const auto bare = chart_from_json(no_houses);
  REQUIRE(bare);
  CHECK(bare->time_known);
  CHECK(bare->houses.empty());
  CHECK_FALSE(bare->chart_angles);

  // Deep nesting, a huge string and an oversized document.
  CHECK_FALSE(chart_from_json(std::string(100000, '[') + std::string(100000, ']')));
  CHECK_FALSE(chart_from_json(replaced(text, "\"zone\":\"America/New_York\"",
                                       "\"zone\":\"" + std::string(2u << 20, 'x') + "\"")));
  std::string many_negative_zeros = "{\"x\":[-0";
  for (int i = 0; i < 200000; ++i) many_negative_zeros += ",-0";
  CHECK_FALSE(chart_from_json(many_negative_zeros + "]}"));
  // A valid chart under the size limit with many -0 still reads.
  std::string padded = "{\"pad\":[-0";
  for (int i = 0; i < 50000; ++i) padded += ",-0";
  const auto padded_chart = chart_from_json(padded + "]," + text.substr(1));
  REQUIRE(padded_chart);
  check_same(v6_chart(), *padded_chart);
}
