// /moon through the sandbox (issue 21): today, tomorrow and a date, at the default place without
// birth data and at the birth place, a place where the Moon skips days of rising, bad dates, and
// the model's short text through a fake OpenRouter. The figures of 14.03.2025 in Moscow were
// checked with swetest (tests/unit/vectors/).
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "tests/e2e/spec_support.hpp"
#include "tests/support/fake_openrouter.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

const std::string T_MOON_FORMAT = typeset(
    "❌ Не понимаю дату.\n\nУкажите дату в формате ДД.ММ.ГГГГ, например: /moon 15.03.2025\nИли: "
    "/moon завтра");
const std::string T_MOON_INVALID = typeset(
    "❌ Такой даты не существует.\n\nУкажите дату в формате ДД.ММ.ГГГГ, например: /moon "
    "15.03.2025");
const std::string T_MOON_RANGE =
    typeset("❌ Лунный календарь доступен для дат с 01.01.1900 по 31.12.2100.");
const std::string default_note = typeset(
    "<i>Место рождения не сохранено — расчёт для места по умолчанию. Указать своё: /natal</i>");

std::string header(const std::string& date, const std::string& time) {
  return "🌙 <b>Лунный календарь</b>\n📅 " + date + " 🕐 " + time + " (Europe/Moscow, UTC+03:00)\n📍 ";
}

// The parts every /moon message has.
void check_parts(const std::string& text) {
  CHECK(contains(text, "<b>Фаза:</b> "));
  CHECK(contains(text, "🗓 <b>Лунный день:</b> "));
  CHECK(contains(text, " <b>Луна "));
  CHECK(contains(text, "⏸ <b>Луна без курса:</b> "));
  CHECK(contains(text, "\n🌑 <b>Новолуние:</b> "));
  CHECK(contains(text, "\n🌕 <b>Полнолуние:</b> "));
  CHECK(contains(text, typeset("\n\n📖 <b>Лунный день и фаза (кратко)</b>\n\n")));
}

}  // namespace

TEST_CASE("e2e moon: today, tomorrow and a date at the default place without birth data") {
  harness h;
  h.start_bot();
  chat_driver c{h, 2101};

  auto t0 = std::time(nullptr);
  auto today = c.say("/moon");
  auto t1 = std::time(nullptr);
  auto text = today.text.value_or("");
  CAPTURE(text);
  CHECK(today.parse_mode == "HTML");
  auto a = moscow_label(t0, false), b = moscow_label(t1, false);
  CHECK((starts_with(text, header(a.date, a.time) + "Москва\n" + default_note + "\n\n") ||
         starts_with(text, header(b.date, b.time) + "Москва\n" + default_note + "\n\n")));
  check_parts(text);
  // Moscow's Moon rises every day: the lunar day has its number.
  CHECK(contains(text, "-й, с"));
  for (auto& m : c.messages()) CHECK(m.text.value_or("") != T_ST_MOON);

  auto tomorrow = c.say("/moon завтра").text.value_or("");
  auto next = moscow_label(t1 + 86400, false);
  CHECK(starts_with(tomorrow, header(next.date, "12:00") + "Москва\n"));
  check_parts(tomorrow);

  // 14.03.2025 in Moscow: the full moon (06:55 UT) and the 15th lunar day, from the moonrise of
  // 13.03 14:33:57 UT to that of 14.03 15:51:07 UT (swetest -rise -geopos37.6173,55.7558,0).
  auto dated = c.say("/moon 14.03.2025").text.value_or("");
  CAPTURE(dated);
  CHECK(starts_with(dated, header("14.03.2025", "12:00") + "Москва\n"));
  CHECK(contains(dated, "🌕 <b>Фаза:</b> полнолуние, освещено 100 %"));
  CHECK(contains(
      dated,
      typeset(
          "🗓 <b>Лунный день:</b> 15-й, с 13.03.2025 17:33 до 14.03.2025 18:51")));
  CHECK(contains(dated, "🌕 <b>Полнолуние</b>\n"));
  CHECK(contains(dated, "🗓 <b>15-й лунный день</b>\n"));
  check_parts(dated);
}

TEST_CASE("e2e moon: the birth place, and a place where the Moon does not rise every day") {
  harness h;
  h.start_bot();
  chat_driver c{h, 2102};
  save_birth(c, "14:30", "15.03.1990", "Мурманск");
  // Murmansk (68.98° N): no moonrise from 04.03.2025 03:31 UT to 11.03.2025 10:01 UT (swetest).
  auto polar = c.say("/moon 08.03.2025").text.value_or("");
  CAPTURE(polar);
  CHECK(starts_with(polar,
                    "🌙 <b>Лунный календарь</b>\n📅 08.03.2025 🕐 12:00 (Europe/Moscow, "
                    "UTC+03:00)\n📍 Мурманск"));
  CHECK_FALSE(contains(polar, "Место рождения не сохранено"));
  CHECK(contains(
      polar,
      typeset("🗓 <b>Лунный день:</b> не определяется — здесь "
              "Луна "
              "сейчас "
              "восходит не каждые сутки")));
  CHECK_FALSE(contains(polar, "лунный день</b>\n"));  // no text for a day it cannot name
  // The whole lunar month from the new moon of 28.02 is unnamed there; after the new moon of
  // 29.03.2025 10:58 UT the Moon rises daily again (30.03 02:45:55 UT, 31.03 02:09:21 UT).
  auto later = c.say("/moon 30.03.2025").text.value_or("");
  CAPTURE(later);
  CHECK(contains(
      later,
      typeset(
          "🗓 <b>Лунный день:</b> 2-й, с 30.03.2025 05:45 до 31.03.2025 05:09")));
  CHECK(contains(later, "📍 Мурманск"));
}

TEST_CASE("e2e moon: a bad date gets a clear answer and no calculation") {
  harness h;
  h.start_bot();
  chat_driver c{h, 2103};
  CHECK(c.say("/moon вчера").text.value_or("") == T_MOON_FORMAT);
  CHECK(c.say("/moon 31.02.2025").text.value_or("") == T_MOON_INVALID);
  CHECK(c.say("/moon 01.01.1800").text.value_or("") == T_MOON_RANGE);
  for (auto& m : c.messages()) CHECK(m.text.value_or("") != T_ST_MOON);
}

TEST_CASE("e2e moon: in a group, for the default place, as a reply") {
  harness h;
  h.start_bot();
  chat_driver g{h, -2104};
  g.options.chat_type = "group";
  g.options.chat_title = "Астрологи";
  g.options.from = nocturna::sandbox::user_info{2105, "Анна", "", "", "ru"};
  auto before = g.settle(0).size();
  auto command = g.send("/moon 14.03.2025");
  auto reply = g.reply_after(before, "/moon");
  CHECK(starts_with(reply.text.value_or(""), header("14.03.2025", "12:00") + "Москва\n"));
  auto sent = h.answered_calls("sendMessage", -2104, 2);
  REQUIRE(sent.size() == 2);
  CHECK(quoted_message(sent[1]) == command);
}

TEST_CASE(
    "e2e moon: with a key the model's text, once per day that reads the same, else built-in") {
  const std::string key = "sk-or-e2e-moon";
  fake_openrouter llm;
  llm.start();
  llm.set_api_key(key);
  llm.set_default(fake_llm_reply::text("🌕 **Полнолуние** зовёт <подвести итоги> & отдохнуть."));
  harness h;
  // 2 s: the failing request at the end gets no second attempt (docs/integrations.md §1.5).
  h.start_bot(llm.bot_env(key, 2));
  chat_driver c{h, 2111}, d{h, 2112};
  const auto text = c.say("/moon 14.03.2025").text.value_or("");
  CAPTURE(text);
  CHECK(starts_with(text, header("14.03.2025", "12:00") + "Москва\n"));
  CHECK(contains(text, typeset("\n\n📖 <b>Лунный день и фаза</b>\n\n") +
                           "🌕 <b>Полнолуние</b> зовёт &lt;подвести итоги&gt; &amp; отдохнуть."));
  CHECK_FALSE(contains(text, "(кратко)"));
  CHECK_FALSE(contains(text, "-й лунный день</b>"));  // no built-in paragraph besides
  CHECK(count_of(text, "📖") == 1);
  const auto asked = llm.requests();
  REQUIRE(asked.size() == 1);
  CHECK(contains(asked[0].system, "лунного календаря"));
  // 14.03.2025 at noon in Moscow: the full moon in Virgo, the 15th lunar day (swetest, above).
  CHECK(asked[0].user ==
        "Дата: 14.03.2025.\nФаза Луны: полнолуние.\nЛунный день: 15-й.\nЛуна в Деве.\nСледуй "
        "структуре и правилам из инструкции.");

  // Another reader of the same day: the same text, no second generation.
  CHECK(d.say("/moon 14.03.2025").text.value_or("") == text);
  CHECK(llm.request_count() == 1);

  // The model fails: the built-in text with its note, the calendar as always.
  llm.set_default(fake_llm_reply::error(503, "provider down"));
  const auto fallback = c.say("/moon 15.03.2025").text.value_or("");
  CAPTURE(fallback);
  CHECK(starts_with(fallback, header("15.03.2025", "12:00") + "Москва\n"));
  check_parts(fallback);
  CHECK(contains(fallback, T_INTERP_NOTE));
  CHECK(llm.request_count() == 2);
  check_all_texts(h, 2111);
  h.bot->stop();
  CHECK_FALSE(contains(h.log_file(), key));
}
