// Civil time: local wall time + IANA zone → UT instant, and back (docs/calculations.md §2,
// docs/behaviour.md §1.8). Zone data come from the system tz database through GLib's GTimeZone,
// which also applies the rule string at the end of each zone file (Howard Hinnant's date/tz with
// USE_OS_TZDB ignores it and gets DST wrong after 2037). No offsets are written by hand here. All
// functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "clients/astro/calc_error.hpp"

namespace nocturna::astro {

// Calendar fields (proleptic Gregorian). As a local time they are wall-clock fields of a zone;
// as a UT time they are the UT fields.
struct datetime_fields {
  int year = 1970, month = 1, day = 1;
  int hour = 0, minute = 0, second = 0;
  bool operator==(const datetime_fields& o) const {
    return year == o.year && month == o.month && day == o.day && hour == o.hour &&
           minute == o.minute && second == o.second;
  }
};

// Whether the fields form a real date (Feb 29 only in leap years) and time (00:00:00–23:59:59).
bool valid_fields(const datetime_fields& f);

// The fields read as UT ↔ Unix seconds (no zone involved).
std::int64_t fields_to_unix(const datetime_fields& f);
datetime_fields unix_to_fields(std::int64_t unix_seconds);

enum class civil_kind { unique, gap, overlap };

struct utc_conversion {
  std::int64_t utc = 0;  // Unix seconds
  // Offset used for the conversion: utc = local − applied_offset. In a gap this is the offset in
  // force before the transition.
  int applied_offset = 0;
  // Offset in force at `utc` (differs from applied_offset only in a gap).
  int offset = 0;
  civil_kind kind = civil_kind::unique;
};

// True when `zone` names a zone file of the system tz database ("Europe/Moscow", "UTC").
// Offsets like "+03:00", POSIX rule strings and non-zone files are rejected.
bool zone_exists(const std::string& zone);
// The same answer without keeping the zone parsed: the gazetteer checks its ~400 zones once at
// start-up, and a parsed GTimeZone costs ~16 KB (6.5 MB for all of them; docs/benchmarks.md) that
// only the zones someone asks for need.
bool zone_exists_uncached(const std::string& zone);

// Local wall time → UT by the rule of docs/calculations.md §2: unique → it; overlap → the later
// instant; gap → the offset in force just before the transition. Errors: bad_zone,
// date_out_of_range (invalid calendar fields; the supported-range check is separate, see
// check_supported_ut).
calc_result<utc_conversion> local_to_utc(const datetime_fields& local, const std::string& zone);

// UTC offset (seconds, exact, e.g. 9017 for Moscow in 1900) in force at a UT instant.
calc_result<int> utc_offset_at(std::int64_t utc, const std::string& zone);

// Wall-clock fields of a UT instant in `zone` (for reports).
calc_result<datetime_fields> utc_to_local(std::int64_t utc, const std::string& zone);

// Julian day (UT) of an instant: swe_julday on its UT fields, Gregorian calendar.
double julian_day_ut(std::int64_t utc);

// UT 1800-01-01 00:00:00 … 2399-12-31 23:59:59 (the span of the *_18.se1 files).
constexpr std::int64_t min_supported_utc = -5364662400;  // 1800-01-01T00:00:00Z
constexpr std::int64_t max_supported_utc = 13569465599;  // 2399-12-31T23:59:59Z
bool supported_ut(std::int64_t utc);
// date_out_of_range when `utc` is outside the supported span; the value otherwise.
calc_result<std::int64_t> check_supported_ut(std::int64_t utc);
// Same for a Julian day (UT): [JD of 1800-01-01 00:00, JD of 2400-01-01 00:00).
bool supported_jd(double jd_ut);

// "UTC+02:30", "UTC-05:00", "UTC+00:00": seconds truncated toward zero (docs/behaviour.md §1.8).
std::string format_utc_offset(int offset_seconds);

// "1990-01-15T19:30:00Z".
std::string format_iso_utc(std::int64_t utc);

}  // namespace nocturna::astro
