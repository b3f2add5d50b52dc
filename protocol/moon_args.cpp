#include "protocol/moon_args.hpp"

#include <cstdio>
#include <string>

namespace nocturna::bot {
namespace {

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

moon_day_arg parse_moon_day(std::string_view args) {
  moon_day_arg out;
  if (args.empty() || args == "сегодня" || args == "Сегодня") return out;
  if (args == "завтра" || args == "Завтра") {
    out.kind = moon_day_kind::tomorrow;
    return out;
  }
  // DD.MM.YYYY, one or two digits for the day and month.
  auto first = args.find('.');
  auto second = first == std::string_view::npos ? first : args.find('.', first + 1);
  if (second == std::string_view::npos) {
    out.kind = moon_day_kind::bad_format;
    return out;
  }
  auto d = args.substr(0, first), m = args.substr(first + 1, second - first - 1),
       y = args.substr(second + 1);
  if (d.empty() || d.size() > 2 || m.empty() || m.size() > 2 || y.size() != 4 || !digits(d) ||
      !digits(m) || !digits(y)) {
    out.kind = moon_day_kind::bad_format;
    return out;
  }
  out.day = std::stoi(std::string(d));
  out.month = std::stoi(std::string(m));
  out.year = std::stoi(std::string(y));
  if (out.month < 1 || out.month > 12 || out.day < 1 || out.day > days_in(out.year, out.month)) {
    out.kind = moon_day_kind::bad_date;
    return out;
  }
  out.kind = out.year < 1900 || out.year > 2100 ? moon_day_kind::out_of_range : moon_day_kind::date;
  return out;
}

}  // namespace nocturna::bot
