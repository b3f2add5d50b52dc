// The lunar calendar as the /moon report shows it (protocol/moon_report.hpp): every moment in the
// place's zone as «DD.MM.YYYY HH:MM», eclipses named in Russian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clients/astro/civil_time.hpp"
#include "clients/astro/lunar_calendar.hpp"
#include "protocol/moon_report.hpp"

namespace nocturna::astro {

// «полное солнечное затмение», «полутеневое лунное затмение», …
const char* eclipse_name_ru(eclipse_kind k);

// The header shows the calendar's moment (now, or 12:00 of the asked date).
reports::moon_view moon_view_of(const lunar_calendar& c, const std::string& zone,
                                const std::string& place, bool default_place);

// The query of the local calendar day Y-M-D in `zone` at the place: the day's bounds in UT, and
// the moment `now` when given (today), else 12:00 local of that day.
lunar_query local_day_query(int year, int month, int day, std::optional<std::int64_t> now,
                            const std::string& zone, double latitude, double longitude);
// The local date of `utc` in `zone`, `days_later` days on.
datetime_fields local_date_after(std::int64_t utc, const std::string& zone, int days_later);

}  // namespace nocturna::astro
