// protocol/texts and replies: the catalogue texts of docs/behaviour.md §9 and the T_START mention.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "protocol/compat_texts.hpp"
#include "protocol/html.hpp"
#include "protocol/natal_texts.hpp"
#include "protocol/replies.hpp"
#include "protocol/reports.hpp"
#include "protocol/texts.hpp"
#include "protocol/typography.hpp"

using namespace nocturna;

TEST_CASE("catalogue texts are quoted exactly") {
  CHECK(std::string(texts::unknown_command) ==
        "🤷 Неизвестная команда.\nСписок команд: /help");
  CHECK(std::string(texts::text_hint) ==
        "ℹ️ Я понимаю только команды.\nСписок команд: /help");
  CHECK(std::string(texts::cancel_none) ==
        "ℹ️ Сейчас нечего отменять.\nСписок команд: /help");
  CHECK(std::string(texts::private_only) == "🔒 Эта команда доступна только в личном чате с ботом.");
  CHECK(std::string(texts::busy) ==
        "🙏 Я ещё обрабатываю ваши предыдущие запросы. Пожалуйста, подождите.");
  CHECK(std::string(texts::error_generic) ==
        "❌ Произошла ошибка при обработке команды.\nПожалуйста, попробуйте позже.");
  const std::string start = texts::start_template;
  CHECK(start.rfind("Привет, {mention}!\n\n🌟 Я <b>Nocturna Bot</b> — ваш астрологический "
                    "помощник.\n\n<b>Мои возможности:</b>\n",
                    0) == 0);
  CHECK(start.find("/help — все команды\n\nДля персональных прогнозов сначала настройте натальную "
                   "карту: /natal") != std::string::npos);
  const std::string help = texts::help;
  CHECK(help.rfind("📚 <b>Справка по командам</b>\n\n<b>Персональные команды:</b>\n/natal — ", 0) ==
        0);
  CHECK(help.find("/subscribe — ежедневный прогноз (например: /subscribe 08:30)\n") !=
        std::string::npos);
  CHECK(help.size() > 100);
  CHECK(help.substr(help.size() - 14) == "/clear_profile");
}

TEST_CASE("HTML texts are valid Telegram HTML and plain texts contain no markup") {
  CHECK_FALSE(html::validate(texts::help).has_value());
  CHECK(html::visible_length(texts::help) < 4096);
  for (const char* t : {texts::unknown_command, texts::text_hint, texts::cancel_none,
                        texts::private_only, texts::busy, texts::error_generic}) {
    CHECK(std::string(t).find('<') == std::string::npos);
    CHECK(std::string(t).find('\\') == std::string::npos);  // real newlines, not "\n"
  }
}

TEST_CASE("start text escapes the user name") {
  bot::user u;
  u.id = 123456789;
  u.first_name = "<b>&";
  const std::string t = texts::start_text(u);
  CHECK(t.rfind("Привет, <a href=\"tg://user?id=123456789\">&lt;b&gt;&amp;</a>!\n\n🌟", 0) == 0);
  CHECK(t.find("{mention}") == std::string::npos);
  const auto err = html::validate(t);
  CHECK_MESSAGE(!err.has_value(), (err ? *err : ""));
  CHECK(html::to_plain(t).rfind("Привет, <b>&!", 0) == 0);

  u.id = -1;  // not a real user id, but never breaks the markup
  u.first_name = "Анна \"Ann\"";
  u.last_name = "Иванова</a>";
  const std::string full = texts::start_text(u);
  CHECK(full.rfind(
            "Привет, <a href=\"tg://user?id=-1\">Анна &quot;Ann&quot; Иванова&lt;/a&gt;</a>!", 0) ==
        0);
  CHECK_FALSE(html::validate(full).has_value());
  CHECK(texts::mention(u) ==
        "<a href=\"tg://user?id=-1\">Анна &quot;Ann&quot; Иванова&lt;/a&gt;</a>");

  bot::user plain;
  plain.id = 7000000001;
  plain.first_name = "Bob";
  CHECK(texts::mention(plain) == "<a href=\"tg://user?id=7000000001\">Bob</a>");
}

// Every interface text keeps protocol/typography's rules (a non-breaking space before «—» and
// after a one-letter word), so typesetting it again changes nothing.
TEST_CASE("interface texts are typeset") {
  for (const char* t : {texts::start_template,
                        texts::help,
                        texts::unknown_command,
                        texts::text_hint,
                        texts::cancel_none,
                        texts::private_only,
                        texts::busy,
                        texts::error_generic,
                        texts::stale,
                        texts::status_transit,
                        texts::status_planets,
                        texts::status_aspects,
                        texts::status_natal,
                        texts::status_ptransit,
                        texts::context_transit,
                        texts::context_planets,
                        texts::context_aspects,
                        texts::context_natal,
                        texts::context_ptransit,
                        texts::reason_unavailable,
                        texts::reason_input,
                        texts::reason_timeout,
                        texts::reason_internal,
                        texts::no_natal,
                        texts::no_aspects,
                        texts::pt_none,
                        texts::profile_none,
                        texts::clear_none,
                        texts::clear_ask,
                        texts::clear_done,
                        texts::clear_kept,
                        texts::clear_failed,
                        texts::set_failed,
                        texts::sub_need_natal,
                        texts::sub_bad_time,
                        texts::unsub_ok,
                        texts::unsub_none,
                        texts::header_day,
                        texts::status_moon,
                        texts::context_moon,
                        texts::moon_bad_format,
                        texts::moon_bad_date,
                        texts::moon_out_of_range,
                        texts::moon_default_place,
                        texts::moon_no_rise,
                        texts::header_moon_short,
                        texts::header_moon,
                        texts::header_natal,
                        texts::header_pt,
                        texts::header_day_short,
                        texts::header_natal_short,
                        texts::header_pt_short,
                        texts::interp_note,
                        natal::texts::partner_name_prompt,
                        natal::texts::partner_name_long,
                        natal::texts::partner_date_prompt,
                        natal::texts::partner_future_birth,
                        natal::texts::partner_cancelled,
                        natal::texts::partner_expired,
                        natal::texts::partner_saved,
                        natal::texts::partner_limit,
                        natal::texts::status_partner_save,
                        compat::header,
                        compat::header_short,
                        compat::no_natal,
                        compat::status,
                        compat::context,
                        compat::answer_deleted,
                        compat::answer_gone,
                        compat::answer_limit,
                        compat::invite_expired,
                        compat::invite_used,
                        compat::invite_unknown,
                        compat::invite_self,
                        compat::invite_refused,
                        compat::invite_accepted,
                        natal::texts::natal_new,
                        natal::texts::natal_existing,
                        natal::texts::date_prompt,
                        natal::texts::restart,
                        natal::texts::date_format,
                        natal::texts::date_invalid,
                        natal::texts::date_range,
                        natal::texts::time_format,
                        natal::texts::place_short,
                        natal::texts::place_long,
                        natal::texts::place_not_found,
                        natal::texts::confirm_hint,
                        natal::texts::future_birth,
                        natal::texts::non_text,
                        natal::texts::saved,
                        natal::texts::save_failed,
                        natal::texts::cancelled,
                        natal::texts::expired,
                        natal::texts::status_place,
                        natal::texts::status_location,
                        natal::texts::status_save}) {
    CAPTURE(t);
    CHECK(typography::typeset(t) == t);
  }
  for (const std::string& t :
       {natal::texts::natal_start(true), natal::texts::natal_start(false),
        natal::texts::restart_prompt(), natal::texts::time_prompt("15.03.1990"),
        natal::texts::place_prompt(std::nullopt), natal::texts::place_prompt("14:30"),
        natal::texts::choice(3), natal::texts::note_gap("02:30", "03:30"),
        natal::texts::note_overlap("02:30"), natal::texts::note_far(12),
        reports::sub_ok_text("08:30", "Europe/Moscow"),
        reports::sub_changed_text("08:30", "Europe/Moscow"), reports::settings_text('P', false),
        reports::settings_text('P', true), reports::set_changed_text('K'),
        reports::set_same_text('P')}) {
    CAPTURE(t);
    CHECK(typography::typeset(t) == t);
    // And the dash never ends up at the start of a line.
    CHECK(t.find("\n—") == std::string::npos);
  }
}
