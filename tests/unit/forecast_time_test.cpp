// Daily forecast timing (docs/behaviour.md §5, docs/calculations.md §2): the next due instant of a
// local HH:MM in a zone, across DST gaps and overlaps, day and year rollovers and far-east zones,
// and the send/skip rule of a due forecast.
#include "clients/astro/forecast_time.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "clients/astro/civil_time.hpp"

using namespace nocturna::astro;

namespace {

std::int64_t utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return fields_to_unix({y, mo, d, h, mi, s});
}

std::int64_t next(const char* hhmm, const char* zone, std::int64_t after) {
  auto r = next_due_utc(hhmm, zone, after);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().detail));
  return r.value();
}

std::string iso(std::int64_t t) {
  return format_iso_utc(t);
}

// The first `n` occurrences after `after`, each computed from the previous one.
std::vector<std::string> series(const char* hhmm, const char* zone, std::int64_t after, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    after = next(hhmm, zone, after);
    out.push_back(iso(after));
  }
  return out;
}

}  // namespace

TEST_CASE("forecast time: HH:MM parsing") {
  CHECK(parse_hhmm("09:00") == 540);
  CHECK(parse_hhmm("00:00") == 0);
  CHECK(parse_hhmm("23:59") == 23 * 60 + 59);
  for (const char* bad : {"9:00", "24:00", "12:60", "12-30", "", "12:3", "12:300", "ab:cd"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_hhmm(bad));
  }
  auto r = next_due_utc("9:00", "Europe/Moscow", 0);
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == calc_error_kind::input_rejected);
  auto z = next_due_utc("09:00", "Mars/Olympus", 0);
  REQUIRE_FALSE(z);
  CHECK(z.error().kind == calc_error_kind::bad_zone);
}

TEST_CASE("forecast time: 09:00 Europe/Moscow is 06:00 UTC, strictly after") {
  CHECK(iso(next("09:00", "Europe/Moscow", utc(2025, 1, 15))) == "2025-01-15T06:00:00Z");
  CHECK(iso(next("09:00", "Europe/Moscow", utc(2025, 1, 15, 5, 59, 59))) == "2025-01-15T06:00:00Z");
  // Exactly at the due instant: the next day's.
  CHECK(iso(next("09:00", "Europe/Moscow", utc(2025, 1, 15, 6))) == "2025-01-16T06:00:00Z");
  CHECK(iso(next("09:00", "Europe/Moscow", utc(2025, 7, 15, 12))) == "2025-07-16T06:00:00Z");
}

TEST_CASE("forecast time: a DST gap in Europe/Berlin fires at the shifted instant") {
  // 2025-03-30 (last Sunday of March): 02:00 CET → 03:00 CEST, so 02:30 does not exist; the
  // offset before the transition (+01:00) gives 01:30Z = 03:30 CEST.
  CHECK(series("02:30", "Europe/Berlin", utc(2025, 3, 28, 12), 4) ==
        std::vector<std::string>{"2025-03-29T01:30:00Z", "2025-03-30T01:30:00Z",
                                 "2025-03-31T00:30:00Z", "2025-04-01T00:30:00Z"});
  auto local = utc_to_local(utc(2025, 3, 30, 1, 30), "Europe/Berlin");
  REQUIRE(local);
  CHECK(local.value().hour == 3);
  CHECK(local.value().minute == 30);
  // The hour that exists on both sides is unaffected.
  CHECK(iso(next("03:30", "Europe/Berlin", utc(2025, 3, 29, 12))) == "2025-03-30T01:30:00Z");
  CHECK(iso(next("01:30", "Europe/Berlin", utc(2025, 3, 29, 12))) == "2025-03-30T00:30:00Z");
}

TEST_CASE("forecast time: an October overlap in Europe/Berlin fires once, at the later instant") {
  // 2025-10-26: 03:00 CEST → 02:00 CET, so 02:30 happens at 00:30Z and again at 01:30Z.
  CHECK(series("02:30", "Europe/Berlin", utc(2025, 10, 24, 12), 4) ==
        std::vector<std::string>{"2025-10-25T00:30:00Z", "2025-10-26T01:30:00Z",
                                 "2025-10-27T01:30:00Z", "2025-10-28T01:30:00Z"});
  // From inside the first pass, and between the two passes: still the later one.
  CHECK(iso(next("02:30", "Europe/Berlin", utc(2025, 10, 26, 0, 15))) == "2025-10-26T01:30:00Z");
  CHECK(iso(next("02:30", "Europe/Berlin", utc(2025, 10, 26, 0, 45))) == "2025-10-26T01:30:00Z");
  CHECK(iso(next("02:30", "Europe/Berlin", utc(2025, 10, 26, 1, 30))) == "2025-10-27T01:30:00Z");
}

TEST_CASE("forecast time: America/New_York in winter, summer, gap and overlap") {
  CHECK(iso(next("08:30", "America/New_York", utc(2025, 1, 10))) == "2025-01-10T13:30:00Z");
  CHECK(iso(next("08:30", "America/New_York", utc(2025, 7, 1))) == "2025-07-01T12:30:00Z");
  // Across the spring change: the day before at −05:00, the day after at −04:00.
  CHECK(series("08:30", "America/New_York", utc(2025, 3, 8), 2) ==
        std::vector<std::string>{"2025-03-08T13:30:00Z", "2025-03-09T12:30:00Z"});
  // 2025-03-09 02:15 does not exist: −05:00 gives 07:15Z (03:15 EDT).
  CHECK(iso(next("02:15", "America/New_York", utc(2025, 3, 9))) == "2025-03-09T07:15:00Z");
  // 2025-11-02 01:30 happens twice (05:30Z EDT, 06:30Z EST): the later.
  CHECK(series("01:30", "America/New_York", utc(2025, 11, 1, 12), 2) ==
        std::vector<std::string>{"2025-11-02T06:30:00Z", "2025-11-03T06:30:00Z"});
}

TEST_CASE("forecast time: day, month, year and leap-day rollover") {
  // 21:00Z is 00:00 of the next local day in Moscow.
  CHECK(iso(next("00:10", "Europe/Moscow", utc(2025, 1, 15, 21))) == "2025-01-15T21:10:00Z");
  CHECK(iso(next("23:50", "Europe/Moscow", utc(2025, 1, 15, 21))) == "2025-01-16T20:50:00Z");
  CHECK(iso(next("00:10", "Europe/Moscow", utc(2024, 12, 31, 21, 30))) == "2025-01-01T21:10:00Z");
  CHECK(iso(next("23:59", "Europe/Moscow", utc(2024, 12, 31, 21))) == "2025-01-01T20:59:00Z");
  CHECK(series("12:00", "UTC", utc(2024, 2, 28, 13), 2) ==
        std::vector<std::string>{"2024-02-29T12:00:00Z", "2024-03-01T12:00:00Z"});
  // West of UTC the local date lags: 20:00 in Los Angeles is 04:00Z the next UTC day.
  CHECK(iso(next("20:00", "America/Los_Angeles", utc(2025, 1, 31, 12))) == "2025-02-01T04:00:00Z");
}

TEST_CASE("forecast time: Pacific/Kiritimati (UTC+14) and its skipped day") {
  // 09:00 at +14 is 19:00Z of the previous UTC day.
  CHECK(iso(next("09:00", "Pacific/Kiritimati", utc(2025, 1, 15))) == "2025-01-15T19:00:00Z");
  CHECK(iso(next("09:00", "Pacific/Kiritimati", utc(2025, 1, 15, 19))) == "2025-01-16T19:00:00Z");
  auto date = local_date_at(utc(2025, 1, 15, 19), "Pacific/Kiritimati");
  REQUIRE(date);
  CHECK(date.value() == "2025-01-16");
  // 1994-12-31 never happened there (−10 → +14): its 09:00 falls onto 1995-01-01 09:00, which
  // then fires once, not twice.
  CHECK(series("09:00", "Pacific/Kiritimati", utc(1994, 12, 30), 3) ==
        std::vector<std::string>{"1994-12-30T19:00:00Z", "1994-12-31T19:00:00Z",
                                 "1995-01-01T19:00:00Z"});
}

TEST_CASE("forecast time: local date of the due instant") {
  auto d = local_date_at(utc(2025, 1, 15, 21, 10), "Europe/Moscow");
  REQUIRE(d);
  CHECK(d.value() == "2025-01-16");
  auto u = local_date_at(utc(2025, 1, 15, 21, 10), "UTC");
  REQUIRE(u);
  CHECK(u.value() == "2025-01-15");
  CHECK_FALSE(local_date_at(0, "Nowhere/Nothing"));
}

TEST_CASE("forecast time: the due-check sends once per local day within 60 minutes") {
  const auto due = utc(2025, 1, 15, 6);
  const std::optional<std::string> never;
  CHECK(check_due(due, "2025-01-15", never, due) == due_verdict::send);
  CHECK(check_due(due, "2025-01-15", never, due + 59 * 60 + 59) == due_verdict::send);
  CHECK(check_due(due, "2025-01-15", never, due + 60 * 60) == due_verdict::missed);
  CHECK(check_due(due, "2025-01-15", never, due - 1) == due_verdict::not_yet_due);
  CHECK(check_due(due, "2025-01-15", std::string("2025-01-14"), due + 10) == due_verdict::send);
  CHECK(check_due(due, "2025-01-15", std::string("2025-01-15"), due + 10) ==
        due_verdict::sent_today);
  // Already sent wins over missed: both skip, the log says which.
  CHECK(check_due(due, "2025-01-15", std::string("2025-01-15"), due + 7200) ==
        due_verdict::sent_today);
}

TEST_CASE("forecast time: the next due after handling one") {
  const auto due = utc(2025, 1, 15, 6);  // 09:00 Moscow
  auto after = [&](std::int64_t now) {
    auto r = next_due_after("09:00", "Europe/Moscow", due, now);
    REQUIRE(r);
    return iso(r.value());
  };
  CHECK(after(due + 5) == "2025-01-16T06:00:00Z");
  CHECK(after(due + 3 * 3600) == "2025-01-16T06:00:00Z");
  // Down for days: the next is today's if still inside its window, else tomorrow's; never a
  // burst of old ones.
  CHECK(after(utc(2025, 1, 20, 6, 30)) == "2025-01-20T06:00:00Z");
  CHECK(after(utc(2025, 1, 20, 7, 0)) == "2025-01-21T06:00:00Z");
  CHECK(after(utc(2025, 1, 20, 3, 0)) == "2025-01-20T06:00:00Z");
}
