// The /moon message (issue 21): the argument, the local day, the report lines and the built-in
// block of the phase and the lunar day.
#include "protocol/moon_report.hpp"

#include <doctest/doctest.h>

#include <string>

#include "clients/astro/lunar_display.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "clients/interpret/moon_message.hpp"
#include "protocol/moon_args.hpp"
#include "protocol/typography.hpp"

using namespace nocturna;

namespace {

const interpret::meanings& moon_tables() {
  static const auto m = interpret::meanings::load(NOCTURNA_SOURCE_SHARE_DIR);
  return m;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("moon: the argument names today, tomorrow or a date") {
  using bot::moon_day_kind;
  CHECK(bot::parse_moon_day("").kind == moon_day_kind::today);
  CHECK(bot::parse_moon_day("сегодня").kind == moon_day_kind::today);
  CHECK(bot::parse_moon_day("завтра").kind == moon_day_kind::tomorrow);
  CHECK(bot::parse_moon_day("Завтра").kind == moon_day_kind::tomorrow);
  auto d = bot::parse_moon_day("5.3.2025");
  CHECK(d.kind == moon_day_kind::date);
  CHECK((d.day == 5 && d.month == 3 && d.year == 2025));
  CHECK(bot::parse_moon_day("29.02.2024").kind == moon_day_kind::date);
  CHECK(bot::parse_moon_day("29.02.2025").kind == moon_day_kind::bad_date);
  CHECK(bot::parse_moon_day("31.04.2025").kind == moon_day_kind::bad_date);
  CHECK(bot::parse_moon_day("00.01.2025").kind == moon_day_kind::bad_date);
  CHECK(bot::parse_moon_day("01.01.1899").kind == moon_day_kind::out_of_range);
  CHECK(bot::parse_moon_day("31.12.2100").kind == moon_day_kind::date);
  CHECK(bot::parse_moon_day("послезавтра").kind == moon_day_kind::bad_format);
  CHECK(bot::parse_moon_day("2025-03-05").kind == moon_day_kind::bad_format);
  CHECK(bot::parse_moon_day("5.3.25").kind == moon_day_kind::bad_format);
  CHECK(bot::parse_moon_day("a.b.cdef").kind == moon_day_kind::bad_format);
}

TEST_CASE("moon: the local day in the place's zone") {
  // 15.03.2025 in Moscow (UTC+3): 14.03 21:00 UT to 15.03 21:00 UT, noon at 09:00 UT.
  auto q = astro::local_day_query(2025, 3, 15, std::nullopt, "Europe/Moscow", 55.75, 37.62);
  CHECK(q.day_start == 1741986000);
  CHECK(q.day_end == 1741986000 + 86400);
  CHECK(q.moment == 1741986000 + 12 * 3600);
  // A day with a DST change is 23 hours long (Berlin, 30.03.2025).
  auto dst = astro::local_day_query(2025, 3, 30, 1743328800, "Europe/Berlin", 52.5, 13.4);
  CHECK(dst.day_end - dst.day_start == 23 * 3600);
  CHECK(dst.moment == 1743328800);
  auto next = astro::local_date_after(1741986000 + 3600, "Europe/Moscow", 1);  // 15.03 00:00 local
  CHECK((next.year == 2025 && next.month == 3 && next.day == 16));
}

TEST_CASE("moon: the report shows every part, escaped and typeset") {
  reports::moon_view v;
  v.at = {"15.03.2025", "12:00", "Europe/Moscow", "UTC+03:00"};
  v.place = "Москва <центр>";
  v.default_place = true;
  v.phase_emoji = "🌖";
  v.phase_name = "убывающая Луна";
  v.illumination_percent = 98;
  v.lunar_day = 16;
  v.day_start = "14.03.2025 19:10";
  v.day_end = "15.03.2025 20:31";
  v.sign = 5;
  v.sign_start = "14.03.2025 08:10";
  v.sign_end = "16.03.2025 14:30";
  v.void_of_course = {{"16.03.2025 09:00", "16.03.2025 14:30"}};
  v.next_new_moon = "29.03.2025 13:57";
  v.next_full_moon = "13.04.2025 03:22";
  v.eclipses = {"частное солнечное затмение — 29.03.2025 13:47"};
  const auto text = reports::moon_report(v);
  CHECK(text == typography::typeset(text));
  CHECK(
      contains(text, "🌙 <b>Лунный календарь</b>\n📅 15.03.2025 🕐 12:00 (Europe/Moscow, UTC+03:00)"));
  CHECK(contains(text, "📍 Москва &lt;центр&gt;"));
  CHECK(contains(text, "Место рождения не сохранено"));
  CHECK(contains(text, "🌖 <b>Фаза:</b> убывающая Луна, освещено 98 %"));
  CHECK(contains(
      text,
      typography::typeset(
          "🗓 <b>Лунный день:</b> 16-й, с 14.03.2025 19:10 до 15.03.2025 20:31")));
  CHECK(contains(
      text, typography::typeset(
                "♍️ <b>Луна в Деве</b> с 14.03.2025 08:10 до 16.03.2025 14:30")));
  CHECK(contains(
      text,
      typography::typeset(
          "⏸ <b>Луна без курса:</b> с 16.03.2025 09:00 до 16.03.2025 14:30")));
  CHECK(contains(text, "🌑 <b>Новолуние:</b> 29.03.2025 13:57"));
  CHECK(contains(text, "🌕 <b>Полнолуние:</b> 13.04.2025 03:22"));
  CHECK(contains(text, typography::typeset("🌘 <b>Затмение:</b> частное солнечное затмение — ")));
  v.default_place = false;
  v.lunar_day.reset();
  v.void_of_course.clear();
  v.eclipses.clear();
  const auto polar = reports::moon_report(v);
  CHECK_FALSE(contains(polar, "Место рождения не сохранено"));
  CHECK(contains(polar, typography::typeset("Лунный день:</b> не определяется — здесь Луна")));
  CHECK(contains(polar, typography::typeset("Луна без курса:</b> в этот день нет")));
  CHECK_FALSE(contains(polar, "Затмение"));
}

TEST_CASE("moon: the built-in text of every phase and lunar day") {
  const auto& m = moon_tables();
  for (int p = 0; p < 8; ++p) {
    const auto phase = static_cast<astro::moon_phase>(p);
    for (int day = 1; day <= interpret::lunar_day_count; ++day) {
      const auto text = interpret::moon_text(m, phase, day);
      CAPTURE(text);
      const auto split = text.find("\n\n");
      REQUIRE(split != std::string::npos);
      CHECK(text.rfind(std::string(astro::phase_emoji(phase)) + " <b>", 0) == 0);
      CHECK(contains(text, typography::typeset(m.moon_phase(astro::phase_key(phase)))));
      CHECK(text.substr(split + 2) == "🗓 <b>" + std::to_string(day) + "-й лунный день</b>\n" +
                                          typography::typeset(m.lunar_day(day)));
    }
    CHECK(interpret::moon_text(m, phase, std::nullopt).find("лунный день") == std::string::npos);
  }
  CHECK(interpret::moon_text(m, astro::moon_phase::waxing_gibbous, 5)
            .rfind("🌔 <b>Растущая Луна</b>\n", 0) == 0);
}

TEST_CASE("moon: the whole message of a real day at Moscow") {
  astro::swiss_lunar_ephemeris e;
  auto q = astro::local_day_query(2025, 3, 14, std::nullopt, "Europe/Moscow", 55.7558, 37.6173);
  auto c = astro::compute_lunar_calendar(e, q);
  REQUIRE(c);
  interpret::moon_place place{55.7558, 37.6173, "Europe/Moscow", "Москва", false};
  const auto text = interpret::moon_message(moon_tables(), c.value(), place);
  CAPTURE(text);
  // The full moon of 14.03.2025 06:55 UT (09:55 in Moscow); the total lunar eclipse at its
  // greatest at 06:59 UT lies before noon, so the next ones are more than 30 days away.
  CHECK(contains(text, "🌕 <b>Фаза:</b> полнолуние, освещено 100 %"));
  CHECK(contains(text, "🌕 <b>Полнолуние:</b> 13.04.2025"));
  CHECK_FALSE(contains(text, "лунное затмение"));
  CHECK(contains(text, "частное солнечное затмение"));
  CHECK(contains(text, typography::typeset("📖 <b>Лунный день и фаза (кратко)</b>\n\n🌕 "
                                           "<b>Полнолуние</b>\n")));
  CHECK(contains(text, "-й лунный день</b>"));
  // The day before, the eclipse is ahead: 14.03.2025 09:58 in Moscow.
  q = astro::local_day_query(2025, 3, 13, std::nullopt, "Europe/Moscow", 55.7558, 37.6173);
  auto before = astro::compute_lunar_calendar(e, q);
  REQUIRE(before);
  CHECK(contains(interpret::moon_message(moon_tables(), before.value(), place),
                 typography::typeset("полное лунное затмение — 14.03.2025 09:58")));
}
