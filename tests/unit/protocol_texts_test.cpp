// protocol/texts and replies: the catalogue texts of bot.md §9 and the T_START mention.
#include <doctest/doctest.h>

#include <string>

#include "protocol/html.hpp"
#include "protocol/replies.hpp"
#include "protocol/texts.hpp"

using namespace nocturna;

TEST_CASE("catalogue texts are quoted exactly") {
  CHECK(std::string(texts::unknown_command) ==
        "🤷 Неизвестная команда.\nСписок команд: /help");
  CHECK(std::string(texts::text_hint) ==
        "ℹ️ Я понимаю только команды.\nСписок команд: /help");
  CHECK(std::string(texts::cancel_none) ==
        "ℹ️ Сейчас нечего отменять.\nСписок команд: /help");
  CHECK(std::string(texts::private_only) == "🔒 Эта команда доступна только в личном чате с ботом.");
  CHECK(std::string(texts::busy) ==
        "🙏 Я ещё обрабатываю ваши предыдущие запросы. Пожалуйста, подождите.");
  CHECK(std::string(texts::error_generic) ==
        "❌ Произошла ошибка при обработке команды.\nПожалуйста, попробуйте позже.");
  const std::string start = texts::start_template;
  CHECK(start.rfind("Привет, {mention}!\n\n🌟 Я <b>Nocturna Bot</b> — ваш астрологический "
                    "помощник.\n\n<b>Мои возможности:</b>\n",
                    0) == 0);
  CHECK(start.find("/help — все команды\n\nДля персональных прогнозов сначала настройте натальную "
                   "карту: /natal") != std::string::npos);
  const std::string help = texts::help;
  CHECK(help.rfind("📚 <b>Справка по командам</b>\n\n<b>Персональные команды:</b>\n/natal — ", 0) ==
        0);
  CHECK(help.find("/subscribe — ежедневный прогноз (например: /subscribe 08:30)\n") !=
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
