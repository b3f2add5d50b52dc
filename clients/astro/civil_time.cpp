// Civil time conversions (docs/calculations.md §2). See civil_time.hpp for why GLib.
#include "clients/astro/civil_time.hpp"

#include <glib.h>
#include <swephexp.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <unordered_map>

namespace nocturna::astro {

namespace {

constexpr std::int64_t day_seconds = 86400;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool leap_year(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date. Counting in 400-year eras keeps it exact
// for negative years too.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2;  // the year starts in March so the leap day is last
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;                          // [0, 399]
  const int mp = (m + 9) % 12;                                     // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;             // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;                              // 719468 = 0000-03-01 → epoch
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

std::string tz_directory() {
  const char* dir = std::getenv("TZDIR");  // the variable GLib itself honours
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// A plausible IANA name: segments of [A-Za-z0-9_+-] separated by '/', no "..", not absolute.
bool well_formed_zone_name(const std::string& z) {
  if (z.empty() || z.size() > 64 || z.front() == '/' || z.back() == '/') return false;
  if (z.front() == '+' || z.front() == '-') return false;
  char prev = '/';
  for (char c : z) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '+' || c == '-' || c == '/';
    if (!ok) return false;
    if (c == '/' && prev == '/') return false;
    prev = c;
  }
  return z.find("..") == std::string::npos;
}

// GLib would parse a non-file name as a POSIX rule ("XYZ3") and log a critical for non-TZif files,
// so only names of real TZif files reach it.
bool is_tzif_file(const std::string& zone) {
  std::ifstream in(tz_directory() + "/" + zone, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && magic[0] == 'T' && magic[1] == 'Z' && magic[2] == 'i' &&
         magic[3] == 'f';
}

// A new reference to `zone` parsed, or nullptr when it is not a zone of the tz database.
GTimeZone* parse_zone(const std::string& zone) {
  if (!well_formed_zone_name(zone) || !is_tzif_file(zone)) return nullptr;
  return g_time_zone_new_identifier(zone.c_str());
}

struct zone_cache {
  std::mutex mutex;
  std::unordered_map<std::string, GTimeZone*> zones;
};

zone_cache& cached_zones() {
  static zone_cache cache;
  return cache;
}

// Valid zones only are cached (there are a few hundred); GTimeZone is immutable and thread-safe,
// so the cached objects are shared by all threads and kept for the life of the process.
GTimeZone* find_zone(const std::string& zone) {
  auto& cache = cached_zones();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    auto it = cache.zones.find(zone);
    if (it != cache.zones.end()) return it->second;
  }
  GTimeZone* tz = parse_zone(zone);
  if (!tz) return nullptr;
  std::lock_guard<std::mutex> lock(cache.mutex);
  auto [it, inserted] = cache.zones.emplace(zone, tz);
  if (!inserted) g_time_zone_unref(tz);
  return it->second;
}

int offset_of(GTimeZone* tz, std::int64_t utc) {
  const gint interval = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, utc);
  return g_time_zone_get_offset(tz, interval);
}

calc_error bad_zone(const std::string& zone) {
  return calc_error{calc_error_kind::bad_zone, "unknown time zone: " + zone.substr(0, 80)};
}

}  // namespace

bool valid_fields(const datetime_fields& f) {
  return f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= days_in_month(f.year, f.month) &&
         f.hour >= 0 && f.hour <= 23 && f.minute >= 0 && f.minute <= 59 && f.second >= 0 &&
         f.second <= 59;
}

std::int64_t fields_to_unix(const datetime_fields& f) {
  return days_from_civil(f.year, f.month, f.day) * day_seconds + f.hour * 3600 + f.minute * 60 +
         f.second;
}

datetime_fields unix_to_fields(std::int64_t unix_seconds) {
  const std::int64_t days = floor_div(unix_seconds, day_seconds);
  const std::int64_t sod = unix_seconds - days * day_seconds;
  datetime_fields f;
  civil_from_days(days, f.year, f.month, f.day);
  f.hour = static_cast<int>(sod / 3600);
  f.minute = static_cast<int>(sod % 3600 / 60);
  f.second = static_cast<int>(sod % 60);
  return f;
}

bool zone_exists(const std::string& zone) {
  return find_zone(zone) != nullptr;
}

bool zone_exists_uncached(const std::string& zone) {
  auto& cache = cached_zones();
  {
    std::lock_guard<std::mutex> lock(cache.mutex);
    if (cache.zones.count(zone)) return true;
  }
  GTimeZone* tz = parse_zone(zone);
  if (tz) g_time_zone_unref(tz);
  return tz != nullptr;
}

calc_result<utc_conversion> local_to_utc(const datetime_fields& local, const std::string& zone) {
  GTimeZone* tz = find_zone(zone);
  if (!tz) return bad_zone(zone);
  if (!valid_fields(local))
    return calc_error{calc_error_kind::date_out_of_range, "invalid calendar date or time"};
  const std::int64_t wall = fields_to_unix(local);
  // The offsets a day before and after stand for o1/o2 of the transition nearest to t (no zone has
  // two transitions within two days in the supported span); the offset at `wall` itself covers
  // the odd case anyway.
  const int before = offset_of(tz, wall - day_seconds);
  const int after = offset_of(tz, wall + day_seconds);
  const int middle = offset_of(tz, wall);
  // Candidates t − o that convert back to t; distinct ones counted to tell an overlap.
  int distinct = 0;
  std::int64_t seen[3] = {};
  std::int64_t latest = 0;
  int latest_offset = 0;
  for (int o : {before, middle, after}) {
    const std::int64_t candidate = wall - o;
    if (offset_of(tz, candidate) != o) continue;
    bool dup = false;
    for (int i = 0; i < distinct; ++i) dup = dup || seen[i] == candidate;
    if (dup) continue;
    seen[distinct++] = candidate;
    if (distinct == 1 || candidate > latest) {
      latest = candidate;
      latest_offset = o;
    }
  }
  utc_conversion r;
  if (distinct == 0) {
    r.kind = civil_kind::gap;
    r.applied_offset = before;
    r.utc = wall - before;
    r.offset = offset_of(tz, r.utc);
    return r;
  }
  r.kind = distinct > 1 ? civil_kind::overlap : civil_kind::unique;
  r.utc = latest;
  r.applied_offset = latest_offset;
  r.offset = latest_offset;
  return r;
}

calc_result<int> utc_offset_at(std::int64_t utc, const std::string& zone) {
  GTimeZone* tz = find_zone(zone);
  if (!tz) return bad_zone(zone);
  return offset_of(tz, utc);
}

calc_result<datetime_fields> utc_to_local(std::int64_t utc, const std::string& zone) {
  GTimeZone* tz = find_zone(zone);
  if (!tz) return bad_zone(zone);
  return unix_to_fields(utc + offset_of(tz, utc));
}

double julian_day_ut(std::int64_t utc) {
  const datetime_fields f = unix_to_fields(utc);
  const double hours = f.hour + f.minute / 60.0 + f.second / 3600.0;
  return swe_julday(f.year, f.month, f.day, hours, SE_GREG_CAL);
}

bool supported_ut(std::int64_t utc) {
  return utc >= min_supported_utc && utc <= max_supported_utc;
}

calc_result<std::int64_t> check_supported_ut(std::int64_t utc) {
  if (!supported_ut(utc))
    return calc_error{calc_error_kind::date_out_of_range,
                      "UT outside 1800-01-01 … 2399-12-31: " + format_iso_utc(utc)};
  return utc;
}

bool supported_jd(double jd_ut) {
  static const double lo = swe_julday(1800, 1, 1, 0.0, SE_GREG_CAL);
  static const double hi = swe_julday(2400, 1, 1, 0.0, SE_GREG_CAL);
  return jd_ut >= lo && jd_ut < hi;
}

std::string format_utc_offset(int offset_seconds) {
  const char sign = offset_seconds < 0 ? '-' : '+';
  const int magnitude = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char buf[32];
  std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", sign, magnitude / 3600, magnitude % 3600 / 60);
  return buf;
}

std::string format_iso_utc(std::int64_t utc) {
  const datetime_fields f = unix_to_fields(utc);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

}  // namespace nocturna::astro
