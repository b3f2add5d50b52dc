#include "clients/astro/forecast_time.hpp"

#include <algorithm>
#include <cstdio>

#include "clients/astro/civil_time.hpp"

namespace nocturna::astro {
namespace {

constexpr std::int64_t day_s = 24 * 60 * 60;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<int> parse_hhmm(std::string_view hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4})
    if (!is_digit(hhmm[i])) return std::nullopt;
  int hour = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
  int minute = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  return hour * 60 + minute;
}

calc_result<std::int64_t> next_due_utc(std::string_view hhmm, const std::string& zone,
                                       std::int64_t after_utc) {
  auto minutes = parse_hhmm(hhmm);
  if (!minutes)
    return calc_error{calc_error_kind::input_rejected,
                      "forecast time is not HH:MM: " + std::string(hhmm)};
  auto today = utc_to_local(after_utc, zone);
  if (!today) return today.error();
  // Noon of the local date of `after_utc`, read as UT: a day counter free of DST.
  auto noon = today.value();
  noon.hour = 12;
  noon.minute = noon.second = 0;
  const auto noon_unix = fields_to_unix(noon);
  // The day before covers an `after_utc` inside a repeated hour that crossed midnight; two days
  // ahead cover a skipped calendar day. Occurrences grow with the date (a gap maps forward onto
  // the next day's occurrence at most), so the first one after `after_utc` is the answer.
  for (int d = -1; d <= 3; ++d) {
    auto local = unix_to_fields(noon_unix + d * day_s);
    local.hour = *minutes / 60;
    local.minute = *minutes % 60;
    local.second = 0;
    auto utc = local_to_utc(local, zone);
    if (!utc) return utc.error();
    if (utc.value().utc > after_utc) return utc.value().utc;
  }
  return calc_error{calc_error_kind::internal,
                    "no occurrence of " + std::string(hhmm) + " in " + zone + " within 4 days"};
}

calc_result<std::string> local_date_at(std::int64_t utc, const std::string& zone) {
  auto local = utc_to_local(utc, zone);
  if (!local) return local.error();
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", local.value().year, local.value().month,
                local.value().day);
  return std::string(buf);
}

due_verdict check_due(std::int64_t due_utc, const std::string& due_local_date,
                      const std::optional<std::string>& last_sent_local_date,
                      std::int64_t now_utc) {
  if (due_utc > now_utc) return due_verdict::not_yet_due;
  if (last_sent_local_date && *last_sent_local_date == due_local_date)
    return due_verdict::sent_today;
  if (now_utc - due_utc >= forecast_window_s) return due_verdict::missed;
  return due_verdict::send;
}

calc_result<std::int64_t> next_due_after(std::string_view hhmm, const std::string& zone,
                                         std::int64_t due_utc, std::int64_t now_utc) {
  return next_due_utc(hhmm, zone, std::max(due_utc, now_utc - forecast_window_s));
}

}  // namespace nocturna::astro
