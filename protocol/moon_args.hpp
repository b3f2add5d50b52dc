// What /moon was asked for (issue 21): «/moon», «/moon сегодня», «/moon завтра» or
// «/moon ДД.ММ.ГГГГ» (01.01.1900–31.12.2100, where the ephemeris files have a margin).
#pragma once

#include <string_view>

namespace nocturna::bot {

enum class moon_day_kind { today, tomorrow, date, bad_format, bad_date, out_of_range };

struct moon_day_arg {
  moon_day_kind kind = moon_day_kind::today;
  int year = 0, month = 0, day = 0;  // for `date`
};

moon_day_arg parse_moon_day(std::string_view args);

}  // namespace nocturna::bot
