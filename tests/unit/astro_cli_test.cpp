// `calc chart` / `geo` argument parsing and the chart JSON (docs/calculations.md §1.3).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

#include "app/calc_commands.hpp"
#include "astro_fixtures.hpp"
#include "clients/astro/chart_json.hpp"

using namespace nocturna;
using namespace nocturna::astro::testing;

TEST_CASE("astro cli: strict date, time and number parsing") {
  CHECK(parse_cli_date("1990-01-15")->day == 15);
  CHECK(parse_cli_date("2024-02-29"));
  for (const char* bad : {"", "1990-1-15", "1990-01-15x", "1990/01/15", "2023-02-29", "1990-13-01",
                          "199O-01-15", "1990-01-00"})
    CHECK_FALSE(parse_cli_date(bad));
  CHECK(parse_cli_time("14:30")->minute == 30);
  CHECK(parse_cli_time("23:59:59")->second == 59);
  for (const char* bad : {"", "24:00", "12:60", "1:30", "12:30:60", "12:30:5", "12-30", "unknown"})
    CHECK_FALSE(parse_cli_time(bad));
  CHECK(*parse_cli_number("-74.006") == -74.006);
  CHECK(*parse_cli_number("+55.75") == 55.75);
  CHECK(*parse_cli_number("37") == 37.0);
  for (const char* bad : {"", "55,75", "55.7x", "nan", "inf", "+", "1e999", " 5"})
    CHECK_FALSE(parse_cli_number(bad));
}

TEST_CASE("astro cli: bad arguments exit 2") {
  config cfg;
  cfg.share_dir = NOCTURNA_SOURCE_SHARE_DIR;
  using args = std::vector<std::string>;
  CHECK(calc_main(args{}, cfg) == 2);
  CHECK(calc_main(args{"bogus"}, cfg) == 2);
  CHECK(calc_main(args{"chart"}, cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15"}, cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15", "--time", "14:30"}, cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15", "--time", "14:30", "--lat", "1"}, cfg) ==
        2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15", "--time", "14:30", "--place", "Москва",
                       "--lat", "1", "--lon", "2", "--tz", "UTC"},
                  cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15", "--time", "14:30", "--place", "Москва",
                       "--house-system", "topocentric"},
                  cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "1990-01-15", "--date", "1990-01-15"}, cfg) == 2);
  CHECK(calc_main(args{"chart", "--what", "x"}, cfg) == 2);
  CHECK(calc_main(args{"chart", "--date", "2024-13-01", "--time", "12:00", "--place", "Moscow"},
                  cfg) == 2);
  CHECK(geo_main(args{}, cfg) == 2);
  CHECK(geo_main(args{"search"}, cfg) == 2);
  CHECK(geo_main(args{"nearest", "55.75"}, cfg) == 2);
  CHECK(geo_main(args{"nearest", "x", "y"}, cfg) == 2);
  CHECK(geo_main(args{"where"}, cfg) == 2);
}

TEST_CASE("astro cli: chart JSON has the fields of docs/calculations.md 1.3") {
  const std::string text = nocturna::astro::chart_to_json(v6_chart());
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(text).get(doc));
  std::string_view s;
  double d = 0;
  bool b = false;
  CHECK_FALSE(doc["moment_utc"].get(s));
  CHECK(s == "1990-01-15T19:30:00Z");
  CHECK_FALSE(doc["jd_ut"].get(d));
  CHECK(d == 2447907.3125);
  CHECK_FALSE(doc["zone"].get(s));
  CHECK(s == "America/New_York");
  CHECK_FALSE(doc["time_known"].get(b));
  CHECK(b);
  CHECK_FALSE(doc["ephemeris"].get(s));
  CHECK(s == "swieph");
  CHECK_FALSE(doc["house_system_used"].get(s));
  CHECK(s == "P");
  CHECK_FALSE(doc["houses_fallback"].get(b));
  CHECK_FALSE(b);
  simdjson::dom::array positions, houses, aspects;
  REQUIRE_FALSE(doc["positions"].get(positions));
  CHECK(positions.size() == 14);
  simdjson::dom::element sun = positions.at(0);
  CHECK_FALSE(sun["planet"].get(s));
  CHECK(s == "SUN");
  CHECK_FALSE(sun["sign"].get(s));
  CHECK(s == "CAPRICORN");
  std::int64_t i = 0;
  CHECK_FALSE(sun["degree"].get(i));
  CHECK(i == 25);
  CHECK_FALSE(sun["house"].get(i));
  CHECK(i == 8);
  CHECK_FALSE(sun["is_retrograde"].get(b));
  CHECK_FALSE(b);
  REQUIRE_FALSE(doc["houses"].get(houses));
  CHECK(houses.size() == 12);
  CHECK_FALSE(houses.at(0)["number"].get(i));
  CHECK(i == 1);
  CHECK_FALSE(doc["angles"]["ASC"].get(d));
  CHECK(std::fabs(d - 85.698338) < 1e-4);
  REQUIRE_FALSE(doc["aspects"].get(aspects));
  CHECK(aspects.size() == 13);
  CHECK_FALSE(aspects.at(0)["planet1"].get(s));
  CHECK(s == "SATURN");
  CHECK_FALSE(aspects.at(0)["aspect_type"].get(s));
  CHECK(s == "sextile");
  CHECK_FALSE(aspects.at(0)["applying"].get(b));
  CHECK(b);

  // Unknown time: no houses, no angles, house null.
  nocturna::astro::chart u = v6_chart();
  u.time_known = false;
  u.houses.clear();
  u.chart_angles.reset();
  for (auto& p : u.positions) p.house.reset();
  REQUIRE_FALSE(parser.parse(nocturna::astro::chart_to_json(u)).get(doc));
  CHECK(doc["houses"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(doc["angles"].error() == simdjson::NO_SUCH_FIELD);
  CHECK(doc["positions"].at(0)["house"].is_null());
}
