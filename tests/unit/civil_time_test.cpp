// Civil time: zone rule, offsets with seconds, display, calendar helpers (docs/calculations.md §2).
#include "clients/astro/civil_time.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "tests/unit/astro_fixtures.hpp"

using namespace nocturna::astro;
using nocturna::astro::testing::dt;

TEST_CASE("civil time: unix fields round trip") {
  CHECK(fields_to_unix(dt(1970, 1, 1)) == 0);
  CHECK(fields_to_unix(dt(2000, 1, 1, 12)) == 946728000);
  CHECK(fields_to_unix(dt(1800, 1, 1)) == min_supported_utc);
  CHECK(fields_to_unix(dt(2399, 12, 31, 23, 59, 59)) == max_supported_utc);
  CHECK(unix_to_fields(-1) == dt(1969, 12, 31, 23, 59, 59));
  CHECK(unix_to_fields(fields_to_unix(dt(2000, 2, 29, 1, 2, 3))) == dt(2000, 2, 29, 1, 2, 3));
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> any(min_supported_utc, max_supported_utc);
  for (int i = 0; i < 2000; ++i) {
    const auto t = any(rng);
    CHECK(fields_to_unix(unix_to_fields(t)) == t);
  }
}

TEST_CASE("civil time: calendar validity") {
  CHECK(valid_fields(dt(2024, 2, 29)));
  CHECK_FALSE(valid_fields(dt(2023, 2, 29)));
  CHECK_FALSE(valid_fields(dt(1900, 2, 29)));
  CHECK(valid_fields(dt(2000, 2, 29)));
  CHECK_FALSE(valid_fields(dt(2024, 4, 31)));
  CHECK_FALSE(valid_fields(dt(2024, 13, 1)));
  CHECK_FALSE(valid_fields(dt(2024, 1, 1, 24)));
  CHECK_FALSE(valid_fields(dt(2024, 1, 1, 23, 60)));
  CHECK_FALSE(valid_fields(dt(2024, 1, 1, 23, 59, 60)));
  const auto r = local_to_utc(dt(2023, 2, 29, 12), "Europe/Moscow");
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == calc_error_kind::date_out_of_range);
}

TEST_CASE("civil time: unique, gap and overlap") {
  auto conv = [](datetime_fields f, const char* zone) {
    auto r = local_to_utc(f, zone);
    REQUIRE(r);
    return r.value();
  };
  const auto plain = conv(dt(2024, 7, 1, 12), "America/New_York");
  CHECK(plain.kind == civil_kind::unique);
  CHECK(plain.offset == -4 * 3600);
  CHECK(format_iso_utc(plain.utc) == "2024-07-01T16:00:00Z");

  const auto gap = conv(dt(2024, 3, 10, 2, 30), "America/New_York");
  CHECK(gap.kind == civil_kind::gap);
  CHECK(gap.applied_offset == -5 * 3600);  // the offset before the transition
  CHECK(gap.offset == -4 * 3600);          // the offset in force at the result
  CHECK(format_iso_utc(gap.utc) == "2024-03-10T07:30:00Z");
  // The result shown in local time is the wall time moved forward by the gap.
  CHECK(utc_to_local(gap.utc, "America/New_York").value() == dt(2024, 3, 10, 3, 30));

  const auto overlap = conv(dt(2024, 11, 3, 1, 30), "America/New_York");
  CHECK(overlap.kind == civil_kind::overlap);
  CHECK(overlap.offset == -5 * 3600);  // later instant = standard time
  CHECK(format_iso_utc(overlap.utc) == "2024-11-03T06:30:00Z");

  // Edges of the gap: 02:00 is in it, 03:00 is not; 01:59:59 is before it.
  CHECK(conv(dt(2024, 3, 10, 2, 0), "America/New_York").kind == civil_kind::gap);
  CHECK(conv(dt(2024, 3, 10, 3, 0), "America/New_York").kind == civil_kind::unique);
  CHECK(conv(dt(2024, 3, 10, 1, 59, 59), "America/New_York").kind == civil_kind::unique);
  // Overlap edges: 01:00 ambiguous, 02:00 not.
  CHECK(conv(dt(2024, 11, 3, 1, 0), "America/New_York").kind == civil_kind::overlap);
  CHECK(conv(dt(2024, 11, 3, 2, 0), "America/New_York").kind == civil_kind::unique);

  // Samoa skipped 2011-12-30 entirely (−10 → +14): a whole-day gap.
  const auto apia = conv(dt(2011, 12, 30, 12), "Pacific/Apia");
  CHECK(apia.kind == civil_kind::gap);
  CHECK(utc_to_local(apia.utc, "Pacific/Apia").value() == dt(2011, 12, 31, 12));

  // Southern hemisphere: Sydney 2024-04-07 02:30 happens twice.
  const auto syd = conv(dt(2024, 4, 7, 2, 30), "Australia/Sydney");
  CHECK(syd.kind == civil_kind::overlap);
  CHECK(format_iso_utc(syd.utc) == "2024-04-06T16:30:00Z");
}

TEST_CASE("civil time: offsets with seconds before 1924 are exact") {
  const auto r = local_to_utc(dt(1900, 1, 1, 0, 30), "Europe/Moscow");
  REQUIRE(r);
  CHECK(r.value().offset == 2 * 3600 + 30 * 60 + 17);
  CHECK(format_iso_utc(r.value().utc) == "1899-12-31T21:59:43Z");
  CHECK(format_utc_offset(r.value().offset) == "UTC+02:30");
}

TEST_CASE("civil time: DST rules beyond 2037 come from the zone's rule string") {
  CHECK(utc_offset_at(fields_to_unix(dt(2050, 7, 1)), "America/New_York").value() == -4 * 3600);
  CHECK(utc_offset_at(fields_to_unix(dt(2050, 1, 1)), "America/New_York").value() == -5 * 3600);
  CHECK(utc_offset_at(fields_to_unix(dt(2399, 7, 1)), "Europe/Berlin").value() == 2 * 3600);
}

TEST_CASE("civil time: offset display") {
  CHECK(format_utc_offset(0) == "UTC+00:00");
  CHECK(format_utc_offset(3 * 3600) == "UTC+03:00");
  CHECK(format_utc_offset(-5 * 3600) == "UTC-05:00");
  CHECK(format_utc_offset(5 * 3600 + 45 * 60) == "UTC+05:45");
  CHECK(format_utc_offset(-(3 * 3600 + 30 * 60)) == "UTC-03:30");
  CHECK(format_utc_offset(9017) == "UTC+02:30");
  CHECK(format_utc_offset(-17762) == "UTC-04:56");  // New York LMT −4:56:02 truncated
}

TEST_CASE("civil time: bad zones") {
  for (const char* z : {"Mars/Olympus", "", "+03:00", "XYZ3", "zone.tab", "../etc/passwd",
                        "/etc/localtime", "Europe//Moscow", "Europe/Moscow\n", "Europe/"}) {
    INFO("zone '" << z << "'");
    CHECK_FALSE(zone_exists(z));
    const auto r = local_to_utc(dt(2024, 1, 1), z);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == calc_error_kind::bad_zone);
    CHECK_FALSE(utc_offset_at(0, z));
  }
  CHECK(zone_exists("UTC"));
  CHECK(zone_exists("Etc/GMT-3"));
  CHECK(zone_exists("Europe/Moscow"));
}

TEST_CASE("civil time: julian day and supported range") {
  CHECK(julian_day_ut(fields_to_unix(dt(2000, 1, 1, 12))) == 2451545.0);
  CHECK(std::fabs(julian_day_ut(fields_to_unix(dt(1990, 1, 15, 19, 30))) - 2447907.3125) < 1e-9);
  CHECK(supported_ut(fields_to_unix(dt(1800, 1, 1))));
  CHECK(supported_ut(fields_to_unix(dt(2399, 12, 31, 23, 59, 59))));
  CHECK_FALSE(supported_ut(fields_to_unix(dt(1799, 12, 31, 23, 59, 59))));
  CHECK_FALSE(supported_ut(fields_to_unix(dt(2400, 1, 1))));
  const auto low = check_supported_ut(fields_to_unix(dt(1799, 12, 31)));
  REQUIRE_FALSE(low);
  CHECK(low.error().kind == calc_error_kind::date_out_of_range);
  CHECK(supported_jd(julian_day_ut(fields_to_unix(dt(1800, 1, 1)))));
  CHECK_FALSE(supported_jd(julian_day_ut(fields_to_unix(dt(2400, 1, 1)))));
}

TEST_CASE("civil time: local time of an instant") {
  const auto t = fields_to_unix(dt(1990, 1, 15, 19, 30));
  CHECK(utc_to_local(t, "America/New_York").value() == dt(1990, 1, 15, 14, 30));
  CHECK(utc_to_local(t, "Asia/Kolkata").value() == dt(1990, 1, 16, 1, 0));
  CHECK(format_iso_utc(t) == "1990-01-15T19:30:00Z");
}
