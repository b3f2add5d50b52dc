// protocol/natal_*: the /natal dialogue of docs/behaviour.md §4.6 as a pure state machine, its
// input parsing (§11 items 4–7) and its texts (§9), driven through a fake gazetteer and tz
// database.
#include "protocol/natal_dialogue.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "protocol/html.hpp"
#include "protocol/natal_input.hpp"
#include "protocol/natal_texts.hpp"
#include "protocol/texts.hpp"

namespace html = nocturna::html;
using namespace nocturna::natal;

namespace {

constexpr std::int64_t kNow = 1718452800;  // 2024-06-15 12:00:00 UTC; at UTC+14 it is 06-16
constexpr std::int64_t kTtl = 30 * 60;

const std::string kReplyKeyboard =
    R"({"keyboard":[[{"text":"📍 Отправить местоположение","request_location":true}]],)"
    R"("resize_keyboard":true,"one_time_keyboard":true,"input_field_placeholder":"Город, страна"})";
const std::string kRemoveKeyboard = R"({"remove_keyboard":true})";

std::string unknown_time_keyboard(const std::string& nonce) {
  return R"({"inline_keyboard":[[{"text":"Не знаю время","callback_data":"n:)" + nonce +
         R"(:t"}]]})";
}

std::string confirm_keyboard(const std::string& nonce) {
  return R"({"inline_keyboard":[[{"text":"Да","callback_data":"n:)" + nonce +
         R"(:y"},{"text":"Нет, заново","callback_data":"n:)" + nonce + R"(:r"}]]})";
}

const place_option kMoscow{"Москва, Россия", 55.7558, 37.6173, "Europe/Moscow"};
const place_option kMoscowIdaho{"Москва, Айдахо, США", 46.7324, -117.0002, "America/Boise"};
const place_option kOrel{"Орёл, Орловская область, Россия", 52.9651, 36.0785, "Europe/Moscow"};
const place_option kFar{"Дальний, Россия", 61, 62, "Asia/Yekaterinburg"};

std::vector<place_option> numbered(const std::string& name, int n) {
  std::vector<place_option> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({name + " " + std::to_string(i), 50.0 + i, 30.0, "Europe/Moscow"});
  }
  return out;
}

std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

// The outside world: a gazetteer of a few places and a tz database of fixed offsets, with special
// zones for a DST gap, an overlap and an unknown zone.
struct world {
  std::int64_t now = kNow;
  int ttl_minutes = 30;
  std::uint32_t nonces = 0;
  std::vector<std::string> searched;
  std::vector<std::tuple<std::string, std::string, std::string>> resolved;

  environment env() {
    environment e;
    e.now_utc = now;
    e.ttl_minutes = ttl_minutes;
    e.new_nonce = [this] { return format_nonce(++nonces); };
    e.search = [this](const std::string& text) {
      searched.push_back(text);
      using result = std::pair<std::vector<place_option>, std::size_t>;
      if (text == "Москва, Россия") return result{{kMoscow}, 1};
      if (text == "Москва") return result{{kMoscow, kMoscowIdaho}, 2};
      if (text == "Орел") return result{{kOrel}, 1};
      if (text == "Троицк") return result{numbered("Троицк", 5), 7};
      if (text == "Шесть") return result{numbered("Шесть", 6), 6};
      if (text == "Разрыв") return result{{{"Разрыв", 50, 10, "Gap/Zone"}}, 1};
      if (text == "Повтор") return result{{{"Повтор", 50, 10, "Over/Zone"}}, 1};
      if (text == "Плохая") return result{{{"Плохая", 50, 10, "Bad/Zone"}}, 1};
      if (text.rfind("echo ", 0) == 0) {
        return result{{{text.substr(5), -33.5, -70.25, "Zone<&>\""}}, 1};
      }
      if (text.rfind("two ", 0) == 0) {
        return result{{{text.substr(4), 1, 2, "Europe/Moscow"}, kMoscow}, 2};
      }
      return result{{}, 0};
    };
    e.nearest = [](double lat, double /*lon*/) -> std::optional<std::pair<place_option, double>> {
      if (lat < -90 || lat > 90) return std::nullopt;
      if (lat == 60) return std::pair{kFar, 250.4};
      if (lat == 70) return std::pair{kFar, 100.4};
      if (lat == 71) return std::pair{kFar, 100.6};
      return std::pair{kMoscow, 1.2};
    };
    e.resolve = [this](const std::string& date, const std::string& time,
                       const std::string& zone) -> std::optional<environment::resolved> {
      resolved.emplace_back(date, time, zone);
      if (zone == "Bad/Zone") return std::nullopt;
      environment::resolved r;
      int offset_h = 0;
      r.offset_text = "UTC+00:00";
      if (zone == "Europe/Moscow" || zone == "Gap/Zone") {
        offset_h = 3;
        r.offset_text = "UTC+03:00";
      } else if (zone == "America/Boise") {
        offset_h = -6;
        r.offset_text = "UTC-06:00";
      } else if (zone == "Asia/Yekaterinburg") {
        offset_h = 5;
        r.offset_text = "UTC+05:00";
      } else if (zone == "Over/Zone") {
        offset_h = 2;
        r.offset_text = "UTC+02:00";
      }
      if (zone == "Gap/Zone") {
        r.kind = environment::resolved::gap;
        r.shifted_time = "03:30";
      }
      if (zone == "Over/Zone") r.kind = environment::resolved::overlap;
      const int y = std::stoi(date.substr(0, 4)), mo = std::stoi(date.substr(5, 2)),
                d = std::stoi(date.substr(8, 2));
      const int h = std::stoi(time.substr(0, 2)), mi = std::stoi(time.substr(3, 2));
      r.utc = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 - offset_h * 3600;
      return r;
    };
    return e;
  }
};

// Every reply_markup is JSON and every callback_data parses back and fits Telegram's 64 bytes.
void check_markup(const std::string& markup) {
  if (markup.empty()) return;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(markup).get(doc));
  simdjson::dom::array rows;
  if (doc["inline_keyboard"].get(rows)) return;
  for (simdjson::dom::element row : rows) {
    for (simdjson::dom::element button : row.get_array()) {
      std::string_view data;
      REQUIRE_FALSE(button["callback_data"].get(data));
      CHECK(data.size() <= 64);
      CHECK(parse_callback(data).has_value());
    }
  }
}

std::string describe(const action& a) {
  switch (a.what) {
    case action::send:
      return "send";
    case action::send_status:
      return "status";
    case action::delete_status:
      return "delete_status";
    case action::edit_status:
      return "edit_status";
    case action::edit_message:
      return "edit:" + std::to_string(a.message_id);
    case action::clear_keyboard:
      return "clear:" + std::to_string(a.message_id);
    case action::answer_callback:
      return "answer";
    case action::save_birth:
      return "save";
  }
  return "?";
}

// Plays the caller: runs the machine, gives every sent message the next id and records the ids
// of the messages with buttons, as the bot does with the Bot API's answers.
struct session {
  world w;
  std::optional<dialogue> d;
  outcome last;
  std::int64_t message_id = 100;

  const outcome& run(const input& in) {
    const environment env = w.env();
    if (in.what == input::kind::natal_command) {
      last = start(d, in, env);
    } else {
      REQUIRE(d.has_value());
      last = handle(*d, in, env);
    }
    d = last.next;
    for (const auto& a : last.actions) {
      check_markup(a.reply_markup);
      if (a.html) {
        CHECK_MESSAGE(!html::validate(a.text).has_value(), a.text);
      } else if (a.what != action::answer_callback) {
        CHECK(a.text.find("<b>") == std::string::npos);
      }
      if (a.what == action::send || a.what == action::send_status) {
        ++message_id;
        if (a.remember != action::none && d) note_sent(*d, a.remember, message_id);
      }
    }
    return last;
  }

  std::vector<std::string> calls() const {
    std::vector<std::string> out;
    for (const auto& a : last.actions) out.push_back(describe(a));
    return out;
  }

  const action& first(action::kind what) const {
    for (const auto& a : last.actions) {
      if (a.what == what) return a;
    }
    FAIL("no such action");
    return last.actions.front();
  }
  const action& sent() const { return first(action::send); }

  std::string nonce() const { return d ? d->nonce : std::string(); }
};

input natal(bool has_birth_data = false) {
  input in;
  in.what = input::kind::natal_command;
  in.has_birth_data = has_birth_data;
  return in;
}

input text(std::string t) {
  input in;
  in.what = input::kind::text;
  in.text = std::move(t);
  return in;
}

input press(std::string data, std::int64_t message_id) {
  input in;
  in.what = input::kind::button;
  in.callback_id = "cb1";
  in.callback_data = std::move(data);
  in.callback_message_id = message_id;
  return in;
}

input location(double lat, double lon) {
  input in;
  in.what = input::kind::location;
  in.latitude = lat;
  in.longitude = lon;
  return in;
}

input other() {
  input in;
  in.what = input::kind::other_message;
  return in;
}

input cancel() {
  input in;
  in.what = input::kind::cancel_command;
  return in;
}

// A session brought to `target` with 15.03.1990 14:30 (and Москва for CHOICE / CONFIRM).
session at(step target, bool unknown_time = false) {
  session s;
  s.run(natal());
  if (target == step::date) return s;
  s.run(text("15.03.1990"));
  if (target == step::time) return s;
  s.run(text(unknown_time ? "не знаю" : "14:30"));
  if (target == step::place) return s;
  s.run(text(target == step::choice ? "Москва" : "Москва, Россия"));
  REQUIRE(s.d);
  REQUIRE(s.d->at == target);
  return s;
}

const std::string kConfirmMoscow =
    "✅ <b>Проверьте введённые данные:</b>\n\n📅 Дата: 15.03.1990\n🕐 Время: 14:30\n📍 Место: "
    "Москва, Россия\n🌍 Координаты: 55.7558, 37.6173\n🕰 Часовой "
    "пояс: "
    "Europe/Moscow "
    "(UTC+03:00)\n\nВсё верно?";

bool same(const place_option& a, const place_option& b) {
  return a.label == b.label && a.latitude == b.latitude && a.longitude == b.longitude &&
         a.zone == b.zone;
}

bool same(const dialogue& a, const dialogue& b) {
  if (a.candidates.size() != b.candidates.size()) return false;
  for (std::size_t i = 0; i < a.candidates.size(); ++i) {
    if (!same(a.candidates[i], b.candidates[i])) return false;
  }
  if (a.place.has_value() != b.place.has_value()) return false;
  if (a.place && !same(*a.place, *b.place)) return false;
  return a.at == b.at && a.nonce == b.nonce && a.expires_at == b.expires_at && a.date == b.date &&
         a.time == b.time && a.time_given == b.time_given && a.by_location == b.by_location &&
         a.distance_km == b.distance_km && a.candidates_total == b.candidates_total &&
         a.time_prompt_message == b.time_prompt_message && a.choice_message == b.choice_message &&
         a.confirm_message == b.confirm_message && a.keyboard_messages == b.keyboard_messages;
}

}  // namespace

// ---------------------------------------------------------------- texts

TEST_CASE("natal: catalogue texts are quoted exactly") {
  struct row {
    const char* id;
    const char* actual;
    const char* expected;
  };
  const row rows[] = {
      {"T_NATAL_NEW", texts::natal_new,
       "🌟 <b>Настройка натальной карты</b>\n"
       "\n"
       "Для построения вашей натальной карты мне нужны следующие данные:\n"
       "• Дата рождения\n"
       "• Время рождения\n"
       "• Место рождения\n"
       "\n"
       "Эти данные будут надёжно сохранены и использованы только для астрологических расчётов.\n"
       "\n"
       "Для отмены используйте /cancel\n"
       "\n"},
      {"T_NATAL_EXISTING", texts::natal_existing,
       "У вас уже сохранена натальная карта.\n"
       "\n"
       "Если вы хотите изменить данные, продолжите настройку.\n"
       "Для отмены используйте /cancel\n"
       "\n"},
      {"T_DATE_PROMPT", texts::date_prompt,
       "📅 <b>Введите дату рождения</b>\n"
       "<i>Формат: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД</i>\n"
       "<i>Пример: 15.03.1990 или 1990-03-15</i>"},
      {"T_RESTART", texts::restart,
       "🔄 Начнём заново.\n"
       "\n"},
      {"T_DATE_FORMAT", texts::date_format,
       "❌ Неверный формат даты.\n"
       "\n"
       "Пожалуйста, используйте формат:\n"
       "• ДД.ММ.ГГГГ (например: 15.03.1990)\n"
       "• ГГГГ-ММ-ДД (например: 1990-03-15)\n"
       "\n"
       "Или /cancel для отмены."},
      {"T_DATE_INVALID", texts::date_invalid,
       "❌ Некорректная дата.\n"
       "\n"
       "Введите существующую дату или /cancel для отмены."},
      {"T_DATE_RANGE", texts::date_range,
       "❌ Дата рождения должна быть не раньше 01.01.1900 и не позже сегодняшнего дня.\n"
       "\n"
       "Введите корректную дату или /cancel для отмены."},
      {"T_TIME_FORMAT", texts::time_format,
       "❌ Неверный формат времени.\n"
       "\n"
       "Пожалуйста, используйте формат ЧЧ:ММ\n"
       "Примеры: 14:30, 09:15, 00:00\n"
       "\n"
       "Если время неизвестно, нажмите «Не знаю время» или напишите «не знаю».\n"
       "Или /cancel для отмены."},
      {"T_PLACE_SHORT", texts::place_short,
       "❌ Слишком короткое название места.\n"
       "\n"
       "Укажите город, например: Москва\n"
       "\n"
       "Или /cancel для отмены."},
      {"T_PLACE_LONG", texts::place_long,
       "❌ Слишком длинное название места.\n"
       "\n"
       "Укажите город и при необходимости страну, например: Москва, Россия\n"
       "\n"
       "Или /cancel для отмены."},
      {"T_PLACE_NOT_FOUND", texts::place_not_found,
       "❌ Место не найдено.\n"
       "\n"
       "Попробуйте:\n"
       "• проверить написание\n"
       "• указать ближайший крупный город\n"
       "• отправить геопозицию\n"
       "\n"
       "Или /cancel для отмены."},
      {"T_PLACES_LOADING", texts::places_loading,
       "⏳ Справочник городов ещё загружается.\n"
       "\n"
       "Пришлите, пожалуйста, место рождения ещё раз через минуту.\n"
       "Или /cancel для отмены."},
      {"T_CONFIRM_HINT", texts::confirm_hint,
       "Пожалуйста, нажмите «Да» или «Нет, заново».\n"
       "Или /cancel для отмены."},
      {"T_FUTURE_BIRTH", texts::future_birth,
       "❌ Указанный момент рождения ещё не наступил.\n"
       "\n"
       "Проверьте дату и время и начните заново: /natal"},
      {"T_NON_TEXT", texts::non_text,
       "✏️ Пожалуйста, ответьте текстом на вопрос выше.\n"
       "Или /cancel для отмены."},
      {"T_SAVED", texts::saved,
       "✅ <b>Данные успешно сохранены!</b>\n"
       "\n"
       "Теперь вам доступны:\n"
       "• /my_natal — посмотреть натальную карту\n"
       "• /my_transit — персональные транзиты\n"
       "• /subscribe — ежедневный прогноз\n"
       "• /profile — просмотр сохранённых данных\n"
       "\n"
       "🌟 Начните с команды /my_natal"},
      {"T_SAVE_FAILED", texts::save_failed,
       "❌ Не удалось сохранить данные.\n"
       "\n"
       "Нажмите «Да» ещё раз или /cancel для отмены."},
      {"T_CANCELLED", texts::cancelled,
       "❌ Настройка отменена.\n"
       "\n"
       "Для повторной настройки используйте /natal"},
      {"T_EXPIRED", texts::expired,
       "⌛ Время на ввод данных истекло.\n"
       "\n"
       "Начните заново: /natal"},
      {"T_ST_PLACE", texts::status_place, "🔍 Ищу место рождения…"},
      {"T_ST_LOCATION", texts::status_location, "🔍 Ищу ближайший город…"},
      {"T_ST_SAVE", texts::status_save, "💾 Сохраняю данные…"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.id);
    CHECK(std::string(r.actual) == r.expected);
  }
  CHECK(texts::natal_start(false) == std::string(texts::natal_new) + texts::date_prompt);
  CHECK(texts::natal_start(true) == std::string(texts::natal_existing) + texts::date_prompt);
  CHECK(texts::restart_prompt() == std::string(texts::restart) + texts::date_prompt);
  for (const char* t : {texts::natal_new, texts::natal_existing, texts::date_prompt, texts::restart,
                        texts::saved}) {
    CHECK_FALSE(html::validate(t).has_value());
  }
}

TEST_CASE("natal: templated texts fill in and escape their values") {
  CHECK(texts::time_prompt("15.03.1990") ==
        "✅ Дата рождения: 15.03.1990\n\n🕐 <b>Введите время рождения</b>\n<i>Формат: ЧЧ:ММ "
        "(24-часовой формат)</i>\n<i>Пример: 14:30 или 09:15</i>\n\n💡 Если время неизвестно, "
        "нажмите «Не знаю время»: карта будет рассчитана на 12:00, без домов и углов.");
  const std::string place_tail =
      "\n\n📍 <b>Введите место рождения</b>\n<i>Город и при необходимости через запятую регион или "
      "страну</i>\n<i>Пример: Москва или Троицк, Челябинская область</i>\n\n💡 Или отправьте "
      "геопозицию кнопкой «📍 Отправить местоположение» — я найду ближайший город.";
  CHECK(texts::place_prompt(std::string("09:05")) == "✅ Время рождения: 09:05" + place_tail);
  CHECK(texts::place_prompt(std::nullopt) ==
        "✅ Время рождения: неизвестно (расчёт на 12:00)" + place_tail);
  const std::string choice =
      "🔍 <b>Найдено несколько мест.</b> Выберите нужное:\n\n<i>Если нужного места нет, уточните "
      "название (например: Троицк, Москва) или отправьте геопозицию.</i>";
  CHECK(texts::choice(2) == choice);
  CHECK(texts::choice(5) == choice);
  CHECK(texts::choice(6) == choice + "\n<i>Показаны первые 5 из 6.</i>");
  CHECK(texts::chosen("<b>&\"") == "📍 Выбрано: &lt;b&gt;&amp;&quot;");
  CHECK(texts::chosen("{label}") == "📍 Выбрано: {label}");
  // U+FE0F: see protocol/natal_texts.cpp.
  // clang-format off
  CHECK(texts::note_gap("02:30", "03:30") ==
        "⚠️ Из-за перевода часов времени 02:30 в этот день не существовало; "
        "расчёт выполнен для 03:30 по местному времени.");
  CHECK(texts::note_overlap("02:30") ==
        "⚠️ Из-за перевода часов время 02:30 в этот день повторялось; "
        "выбран второй (более поздний) момент.");
  CHECK(texts::note_far(250) ==
        "⚠️ Ближайший город из справочника находится в 250 км от точки — "
        "проверьте часовой пояс.");
  // clang-format on

  texts::confirm_view v;
  v.date = "15.03.1990";
  v.time = "14:30";
  v.label = "Москва, Россия";
  v.latitude = 55.7558;
  v.longitude = 37.6173;
  v.zone = "Europe/Moscow";
  v.offset = "UTC+03:00";
  CHECK(texts::confirm(v) == kConfirmMoscow);
  v.time.reset();
  v.label = "<i>";
  v.nearest_km = 250;
  v.latitude = -33.5;
  v.longitude = -70.25;
  v.zone = "A&B";
  v.notes = {texts::note_overlap("12:00"), texts::note_far(250)};
  CHECK(texts::confirm(v) ==
        "✅ <b>Проверьте введённые данные:</b>\n\n📅 Дата: 15.03.1990\n🕐 Время: неизвестно "
        "(расчёт на 12:00, без домов и углов)\n📍 Место: &lt;i&gt; (ближайший город, 250 км)\n🌍 "
        "Координаты: -33.5000, -70.2500\n🕰 Часовой пояс: A&amp;B "
        "(UTC+03:00)\n" +
            texts::note_overlap("12:00") + "\n" + texts::note_far(250) + "\n\nВсё верно?");
  CHECK_FALSE(html::validate(texts::confirm(v)).has_value());
}

// ---------------------------------------------------------------- input

TEST_CASE("natal: dates of docs/behaviour.md §4.6 and §11 item 4") {
  struct row {
    const char* text;
    date_check status;
    const char* iso;
  };
  const row rows[] = {
      {"15.03.1990", date_check::ok, "1990-03-15"},
      {"5.3.1990", date_check::ok, "1990-03-05"},
      {"1990-03-15", date_check::ok, "1990-03-15"},
      {"1990-3-5", date_check::ok, "1990-03-05"},
      {"  15.03.1990\n", date_check::ok, "1990-03-15"},
      {"\u00a015.03.1990\u2009", date_check::ok, "1990-03-15"},
      {"01.01.1900", date_check::ok, "1900-01-01"},
      {"29.02.2000", date_check::ok, "2000-02-29"},
      {"16.06.2024", date_check::ok, "2024-06-16"},  // today at UTC+14
      {"15/03/1990", date_check::format, ""},
      {"15 марта 1990", date_check::format, ""},
      {"15.03.1990 г", date_check::format, ""},
      {"15.03.90", date_check::format, ""},
      {"115.03.1990", date_check::format, ""},
      {"15.003.1990", date_check::format, ""},
      {"15.03.19900", date_check::format, ""},
      {"1990-03-15T10:00", date_check::format, ""},
      {"1990.03.15", date_check::format, ""},
      {"15-03-1990", date_check::format, ""},
      {"15.03.1990.", date_check::format, ""},
      {"+5.3.1990", date_check::format, ""},
      {"１５.03.1990", date_check::format, ""},
      {"", date_check::format, ""},
      {"31.02.1990", date_check::invalid, ""},
      {"00.01.1990", date_check::invalid, ""},
      {"15.00.1990", date_check::invalid, ""},
      {"1990-13-01", date_check::invalid, ""},
      {"32.01.1990", date_check::invalid, ""},
      {"29.02.1900", date_check::invalid, ""},
      {"29.02.1899", date_check::invalid, ""},
      {"01.01.1899", date_check::range, ""},
      {"31.12.1899", date_check::range, ""},
      {"0001-01-01", date_check::range, ""},
      {"17.06.2024", date_check::range, ""},  // two days after today's UTC date
      {"01.01.2100", date_check::range, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const parsed_date p = parse_date(r.text, kNow);
    CHECK(p.status == r.status);
    CHECK(p.iso == r.iso);
  }
  // Today flips at 10:00 UTC, when UTC+14 reaches midnight.
  const std::int64_t midnight_utc14 = kNow - 2 * 3600;  // 2024-06-15 10:00 UTC
  CHECK(parse_date("16.06.2024", midnight_utc14 - 1).status == date_check::range);
  CHECK(parse_date("15.06.2024", midnight_utc14 - 1).status == date_check::ok);
  CHECK(parse_date("16.06.2024", midnight_utc14).status == date_check::ok);
  CHECK(display_date("1990-03-05") == "05.03.1990");
}

TEST_CASE("natal: times of docs/behaviour.md §4.6 and §11 item 5") {
  const std::pair<const char*, const char*> accepted[] = {
      {"14:30", "14:30"}, {"9:05", "09:05"},     {"09.05", "09:05"},   {"9:05:00", "09:05"},
      {"00:00", "00:00"}, {"23:59", "23:59"},    {"9:05:59", "09:05"}, {" 7.00 ", "07:00"},
      {"0:00", "00:00"},  {"23:59:59", "23:59"},
  };
  for (const auto& [in, out] : accepted) {
    CAPTURE(in);
    const auto t = parse_time(in);
    REQUIRE(t.has_value());
    CHECK(*t == out);
  }
  for (const char* bad :
       {"24:00",  "12:60", "9:5",     "14-30",  "9.05.00",     "12:30:60", "12:30:5",
        "",       "1430",  "12:3O",   "123:00", "12:300",      "12:",      ":30",
        "12:30 ", "12 30", "12:30pm", "-1:30",  "14:30:00:00", "１４:30"}) {
    CAPTURE(bad);
    if (std::string(bad) == "12:30 ") {
      CHECK(parse_time(bad).has_value());  // trimmed
    } else {
      CHECK_FALSE(parse_time(bad).has_value());
    }
  }
}

TEST_CASE("natal: normalisation and the word sets") {
  CHECK(normalise("  ВСЁ   Верно!! ") == "все верно");
  CHECK(normalise("Да.") == "да");
  CHECK(normalise("Да !") == "да");
  CHECK(normalise("НЕТ,\t\nЗАНОВО") == "нет, заново");
  CHECK(normalise("ÀÉ Ёж") == "àé еж");
  CHECK(normalise("\xff") == "\xEF\xBF\xBD");
  CHECK(normalise("...") == "");
  for (const char* yes : {"да", "Да", "ДА!", "д", "yes", "Y", "ок", "OK", "Ok.", "сохранить",
                          "Верно", "все верно", "Всё верно!", "  да  "}) {
    CAPTURE(yes);
    CHECK(is_yes_word(yes));
    CHECK_FALSE(is_no_word(yes));
  }
  for (const char* no : {"нет", "Нет!", "н", "no", "N", "заново", "Нет, заново", "нет,  заново."}) {
    CAPTURE(no);
    CHECK(is_no_word(no));
    CHECK_FALSE(is_yes_word(no));
  }
  for (const char* unknown : {"не знаю", "Не знаю!", "НЕ  ЗНАЮ ВРЕМЯ", "неизвестно."}) {
    CAPTURE(unknown);
    CHECK(is_unknown_time_word(unknown));
  }
  for (const char* neither : {"даа", "нет заново", "абв", "", "не знаю точно", "o k"}) {
    CAPTURE(neither);
    CHECK_FALSE(is_yes_word(neither));
    CHECK_FALSE(is_no_word(neither));
    CHECK_FALSE(is_unknown_time_word(neither));
  }
  CHECK(code_points("Мо") == 2);
  CHECK(code_points("🌍🌍") == 2);
  CHECK(code_points("a\xff") == 2);
  CHECK(trim("\u3000 x y \u00a0") == "x y");
}

TEST_CASE("natal: callback payloads") {
  const auto t = parse_callback("n:0a1b2c3d:t");
  REQUIRE(t);
  CHECK(t->nonce == "0a1b2c3d");
  CHECK(t->what == callback_payload::unknown_time);
  const auto c = parse_callback("n:0a1b2c3d:c4");
  REQUIRE(c);
  CHECK(c->what == callback_payload::choice);
  CHECK(c->index == 4);
  CHECK(parse_callback("n:0a1b2c3d:y")->what == callback_payload::yes);
  CHECK(parse_callback("n:0a1b2c3d:r")->what == callback_payload::restart);
  for (const char* bad : {"", "n:0a1b2c3d:", "n:0a1b2c3d:c5", "n:0a1b2c3d:c", "n:0a1b2c3d:c10",
                          "n:0A1B2C3D:y", "n:0a1b2c3:y", "n:0a1b2c3dd:y", "x:0a1b2c3d:y",
                          "n:0a1b2c3d:yy", "n:0a1b2c3d:n", "n;0a1b2c3d:y", "s:h:P"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_callback(bad).has_value());
  }
  for (int i = 0; i < 5; ++i) {
    callback_payload p;
    p.nonce = "ffffffff";
    p.what = callback_payload::choice;
    p.index = i;
    const std::string data = callback_data(p);
    CHECK(data.size() <= 64);
    CHECK(parse_callback(data)->index == i);
  }
  CHECK(format_nonce(0x0a1b2c3d) == "0a1b2c3d");
  CHECK(format_nonce(0xffffffff) == "ffffffff");
  CHECK(is_nonce("00000000"));
  CHECK_FALSE(is_nonce("0000000g"));
}

TEST_CASE("natal: keyboards are exactly those of docs/behaviour.md §4.6") {
  CHECK(keyboards::location_request() == kReplyKeyboard);
  CHECK(keyboards::remove() == kRemoveKeyboard);
  CHECK(keyboards::unknown_time("0a1b2c3d") == unknown_time_keyboard("0a1b2c3d"));
  CHECK(keyboards::confirm("0a1b2c3d") == confirm_keyboard("0a1b2c3d"));
  CHECK(keyboards::choice("0a1b2c3d", {kMoscow, kMoscowIdaho}) ==
        R"({"inline_keyboard":[[{"text":"Москва, Россия","callback_data":"n:0a1b2c3d:c0"}],)"
        R"([{"text":"Москва, Айдахо, США","callback_data":"n:0a1b2c3d:c1"}]]})");
}

// ---------------------------------------------------------------- dialogue

TEST_CASE("natal: /natal starts at DATE with one HTML message") {
  session s;
  s.run(natal());
  CHECK(s.calls() == std::vector<std::string>{"send"});
  CHECK(s.sent().text == texts::natal_start(false));
  CHECK(s.sent().html);
  CHECK(s.sent().reply_markup.empty());
  REQUIRE(s.d);
  CHECK(s.d->at == step::date);
  CHECK(s.d->nonce == "00000001");
  CHECK(s.d->expires_at == kNow + kTtl);

  session e;
  e.run(natal(true));
  CHECK(e.sent().text == texts::natal_start(true));
}

TEST_CASE("natal: DATE rows") {
  const std::pair<const char*, const char*> rejected[] = {
      {"15/03/1990", texts::date_format},   {"15 марта 1990", texts::date_format},
      {"15.03.1990 г", texts::date_format}, {"31.02.1990", texts::date_invalid},
      {"00.01.1990", texts::date_invalid},  {"01.01.1899", texts::date_range},
      {"17.06.2024", texts::date_range},
  };
  for (const auto& [in, reply] : rejected) {
    CAPTURE(in);
    session s = at(step::date);
    s.w.now += 60;
    s.run(text(in));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == reply);
    CHECK_FALSE(s.sent().html);
    REQUIRE(s.d);
    CHECK(s.d->at == step::date);
    CHECK(s.d->expires_at == kNow + 60 + kTtl);  // every input is activity
  }
  for (const char* in : {"15.03.1990", "5.3.1990", "1990-03-15"}) {
    CAPTURE(in);
    session s = at(step::date);
    s.run(text(in));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    const action& a = s.sent();
    CHECK(a.html);
    CHECK(a.remember == action::time_prompt);
    CHECK(a.reply_markup == unknown_time_keyboard("00000001"));
    CHECK(a.text ==
          texts::time_prompt(in == std::string("5.3.1990") ? "05.03.1990" : "15.03.1990"));
    REQUIRE(s.d);
    CHECK(s.d->at == step::time);
    CHECK(s.d->time_prompt_message == s.message_id);
    CHECK(s.d->keyboard_messages == std::vector<std::int64_t>{s.message_id});
  }
}

TEST_CASE("natal: TIME typed, unknown by button and by word, rejected") {
  for (const auto& [in, stored] :
       std::vector<std::pair<std::string, std::string>>{{"14:30", "14:30"},
                                                        {"9:05", "09:05"},
                                                        {"09.05", "09:05"},
                                                        {"9:05:00", "09:05"},
                                                        {"00:00", "00:00"},
                                                        {"23:59", "23:59"}}) {
    CAPTURE(in);
    session s = at(step::time);
    const std::int64_t prompt = s.d->time_prompt_message;
    s.run(text(in));
    CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(prompt), "send"});
    CHECK(s.sent().text == texts::place_prompt(stored));
    CHECK(s.sent().html);
    CHECK(s.sent().reply_markup == kReplyKeyboard);
    CHECK(s.sent().remember == action::none);
    REQUIRE(s.d);
    CHECK(s.d->at == step::place);
    CHECK(s.d->time == stored);
    CHECK(s.d->time_given);
    CHECK(s.d->keyboard_messages.empty());
  }
  for (const char* bad : {"24:00", "12:60", "9:5", "14-30", "полдень"}) {
    CAPTURE(bad);
    session s = at(step::time);
    s.run(text(bad));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == texts::time_format);
    CHECK(s.d->at == step::time);
    CHECK(s.d->keyboard_messages.size() == 1);
  }
  {
    session s = at(step::time);
    const std::int64_t prompt = s.d->time_prompt_message;
    s.run(press("n:00000001:t", prompt));
    CHECK(s.calls() ==
          std::vector<std::string>{"answer", "clear:" + std::to_string(prompt), "send"});
    CHECK(s.first(action::answer_callback).callback_id == "cb1");
    CHECK(s.first(action::answer_callback).text.empty());
    CHECK(s.sent().text == texts::place_prompt(std::nullopt));
    CHECK(s.sent().reply_markup == kReplyKeyboard);
    CHECK(s.d->at == step::place);
    CHECK_FALSE(s.d->time.has_value());
    CHECK(s.d->time_given);
    CHECK(s.d->keyboard_messages.empty());
  }
  for (const char* word : {"не знаю", "Не знаю время", "НЕИЗВЕСТНО!"}) {
    CAPTURE(word);
    session s = at(step::time);
    const std::int64_t prompt = s.d->time_prompt_message;
    s.run(text(word));
    CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(prompt), "send"});
    CHECK(s.sent().text == texts::place_prompt(std::nullopt));
    CHECK_FALSE(s.d->time.has_value());
    CHECK(s.d->time_given);
  }
}

TEST_CASE("natal: PLACE length limits count code points") {
  const std::string hundred(100, 'a');
  struct row {
    std::string in;
    const char* reply;  // nullptr = searched
  };
  const row rows[] = {
      {"М", texts::place_short},
      {"  М  ", texts::place_short},
      {"", texts::place_short},
      {"🌍", texts::place_short},
      {"Мо", nullptr},
      {"🌍🌍", nullptr},
      {hundred, nullptr},
      {hundred + "a", texts::place_long},
      {std::string(50, 'a') + "ааааааааааааааааааааааааааааааааааааааааааааааааааа",
       texts::place_long},  // 101 code points, 152 bytes
      {"\u0627\u0644\u0642\u0627\u0647\u0631\u0629", nullptr},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    session s = at(step::place);
    s.run(text(r.in));
    if (r.reply) {
      CHECK(s.calls() == std::vector<std::string>{"send"});
      CHECK(s.sent().text == r.reply);
      CHECK(s.w.searched.empty());
    } else {
      CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
      CHECK(s.w.searched.size() == 1);
    }
    CHECK(s.d->at == step::place);
  }
}

TEST_CASE("natal: PLACE with one match goes straight to CONFIRM") {
  session s = at(step::place);
  s.run(text("  Москва, Россия "));
  CHECK(s.w.searched == std::vector<std::string>{"Москва, Россия"});
  CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
  CHECK(s.first(action::send_status).text == texts::status_place);
  CHECK(s.first(action::send_status).reply_markup == kRemoveKeyboard);
  CHECK(s.sent().text == kConfirmMoscow);
  CHECK(s.sent().html);
  CHECK(s.sent().reply_markup == confirm_keyboard("00000001"));
  CHECK(s.sent().remember == action::confirm);
  REQUIRE(s.d);
  CHECK(s.d->at == step::confirm);
  CHECK(s.d->confirm_message == s.message_id);
  CHECK(s.d->keyboard_messages == std::vector<std::int64_t>{s.message_id});
  CHECK(std::get<1>(s.w.resolved.back()) == "14:30");
}

TEST_CASE("natal: Орел is passed to the gazetteer as typed") {
  session s = at(step::place);
  s.run(text("Орел"));
  CHECK(s.sent().text.find("📍 Место: Орёл, Орловская область, Россия\n") != std::string::npos);
}

TEST_CASE("natal: PLACE with no match stays and offers the location button again") {
  session s = at(step::place);
  s.run(text("<b>Гор&од</b>"));
  CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
  CHECK(s.sent().text == texts::place_not_found);
  CHECK_FALSE(s.sent().html);
  CHECK(s.sent().reply_markup == kReplyKeyboard);
  CHECK(s.d->at == step::place);
}

TEST_CASE("natal: PLACE with several matches offers CHOICE buttons") {
  session s = at(step::place);
  s.run(text("Москва"));
  CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
  CHECK(s.sent().text == texts::choice(2));
  CHECK(s.sent().reply_markup == keyboards::choice("00000001", {kMoscow, kMoscowIdaho}));
  CHECK(s.sent().remember == action::choice);
  CHECK(s.d->at == step::choice);
  CHECK(s.d->candidates.size() == 2);
  CHECK(s.d->choice_message == s.message_id);
  CHECK(s.d->keyboard_messages == std::vector<std::int64_t>{s.message_id});

  session more = at(step::place);
  more.run(text("Троицк"));
  CHECK(more.sent().text == texts::choice(7));
  CHECK(more.sent().text.find("Показаны первые 5 из 7.") != std::string::npos);
  CHECK(more.d->candidates.size() == 5);
  CHECK(more.d->candidates_total == 7);

  session six = at(step::place);  // a gazetteer returning too many is cut to 5
  six.run(text("Шесть"));
  CHECK(six.d->candidates.size() == 5);
  CHECK(six.sent().reply_markup == keyboards::choice("00000001", numbered("Шесть", 5)));
  CHECK(six.sent().text == texts::choice(6));
}

TEST_CASE("natal: CHOICE by button, by new text, and stale indexes") {
  {
    session s = at(step::choice);
    const std::int64_t msg = s.d->choice_message;
    s.run(press("n:00000001:c1", msg));
    CHECK(s.calls() == std::vector<std::string>{"answer", "edit:" + std::to_string(msg), "send"});
    CHECK(s.first(action::edit_message).text == texts::chosen("Москва, Айдахо, США"));
    CHECK(s.first(action::edit_message).html);
    CHECK(s.first(action::edit_message).reply_markup.empty());
    CHECK(s.sent().text.find(
              "📍 Место: Москва, Айдахо, США\n🌍 Координаты: 46.7324, "
              "-117.0002\n🕰 Часовой пояс: America/Boise (UTC-06:00)\n\n") !=
          std::string::npos);
    CHECK(s.d->at == step::confirm);
    CHECK(s.d->candidates.empty());
    CHECK(s.d->keyboard_messages == std::vector<std::int64_t>{s.message_id});
  }
  for (const char* data : {"n:00000001:c2", "n:00000001:c4", "n:00000001:y", "n:00000001:t",
                           "n:00000002:c0", "n:00000001:c9", "garbage"}) {
    CAPTURE(data);
    session s = at(step::choice);
    const dialogue before = *s.d;
    s.run(press(data, before.choice_message));
    CHECK(s.calls() ==
          std::vector<std::string>{"answer", "clear:" + std::to_string(before.choice_message)});
    CHECK(s.first(action::answer_callback).text == nocturna::texts::stale);
    CHECK(std::string(nocturna::texts::stale) == "Эта кнопка устарела.");
    REQUIRE(s.d);
    CHECK(same(*s.d, before));  // a stale press is not activity
  }
  {
    session s = at(step::choice);
    const std::int64_t msg = s.d->choice_message;
    s.run(text("Москва, Россия"));
    CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(msg), "status",
                                                "delete_status", "send"});
    CHECK(s.sent().text == kConfirmMoscow);
    CHECK(s.d->keyboard_messages == std::vector<std::int64_t>{s.message_id});
  }
  {
    session s = at(step::choice);
    const std::int64_t msg = s.d->choice_message;
    s.run(text("x"));
    CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(msg), "send"});
    CHECK(s.sent().text == texts::place_short);
    CHECK(s.d->at == step::place);
    CHECK(s.d->candidates.empty());
    CHECK(s.d->keyboard_messages.empty());
  }
}

TEST_CASE("natal: a shared location picks the nearest city and keeps the point") {
  for (step from : {step::place, step::choice}) {
    session s = at(from);
    s.run(location(55.75, 37.62));
    CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
    CHECK(s.first(action::send_status).text == texts::status_location);
    CHECK(s.first(action::send_status).reply_markup == kRemoveKeyboard);
    CHECK(s.sent().text ==
          "✅ <b>Проверьте введённые данные:</b>\n\n📅 Дата: 15.03.1990\n🕐 Время: 14:30\n📍 "
          "Место: Москва, Россия (ближайший город, 1 км)\n🌍 Координаты: 55.7500, "
          "37.6200\n🕰 "
          "Часовой пояс: Europe/Moscow (UTC+03:00)\n\nВсё верно?");
    CHECK(s.sent().reply_markup == confirm_keyboard("00000001"));
    REQUIRE(s.d);
    CHECK(s.d->at == step::confirm);
    CHECK(s.d->by_location);
    CHECK(s.d->distance_km == 1.2);
    CHECK(s.d->place->latitude == 55.75);
    CHECK(s.d->place->zone == "Europe/Moscow");
  }
  {
    session s = at(step::place);
    s.run(location(60, 60));
    CHECK(s.sent().text.find("(ближайший город, 250 км)") != std::string::npos);
    CHECK(s.sent().text.find("Часовой пояс: Asia/Yekaterinburg (UTC+05:00)\n" +
                             texts::note_far(250) + "\n\nВсё верно?") != std::string::npos);
  }
  {
    session s = at(step::place);
    s.run(location(70, 60));  // 100.4 km is 100 km: not farther than 100
    CHECK(s.sent().text.find("⚠️") == std::string::npos);
    session t = at(step::place);
    t.run(location(71, 60));
    CHECK(t.sent().text.find(texts::note_far(101)) != std::string::npos);
  }
  {
    session s = at(step::place);
    s.run(location(95, 0));
    CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
    CHECK(s.sent().text == texts::place_not_found);
    CHECK(s.sent().reply_markup == kReplyKeyboard);
    CHECK(s.d->at == step::place);
  }
  for (step from : {step::date, step::time, step::confirm}) {
    session s = at(from);
    s.run(location(55.75, 37.62));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == texts::non_text);
    CHECK(s.d->at == from);
  }
}

TEST_CASE("natal: CONFIRM notes for a DST gap and overlap, and unknown time at 12:00") {
  {
    session s = at(step::place);
    s.run(text("Разрыв"));
    CHECK(s.sent().text.find("(UTC+03:00)\n" + texts::note_gap("14:30", "03:30") +
                             "\n\nВсё верно?") != std::string::npos);
  }
  {
    session s = at(step::place);
    s.run(text("Повтор"));
    CHECK(s.sent().text.find("(UTC+02:00)\n" + texts::note_overlap("14:30") + "\n\nВсё верно?") !=
          std::string::npos);
  }
  {
    session s = at(step::place, true);
    s.run(text("Москва, Россия"));
    CHECK(std::get<1>(s.w.resolved.back()) == "12:00");
    CHECK(s.sent().text.find("🕐 Время: неизвестно (расчёт на 12:00, без домов и углов)\n") !=
          std::string::npos);
  }
  {
    session s = at(step::place);
    s.run(text("Плохая"));
    CHECK(s.sent().text == texts::place_not_found);
    CHECK(s.d->at == step::place);
  }
}

TEST_CASE("natal: a birth moment after now ends the dialogue") {
  session s = at(step::date);
  s.run(text("16.06.2024"));  // today at UTC+14, tomorrow in Moscow
  s.run(text("12:00"));
  s.run(text("Москва, Россия"));  // 2024-06-16 09:00 UTC > now
  CHECK(s.calls() == std::vector<std::string>{"status", "delete_status", "send"});
  CHECK(s.sent().text == texts::future_birth);
  CHECK_FALSE(s.sent().html);
  CHECK_FALSE(s.d.has_value());

  session past = at(step::date);
  past.run(text("15.06.2024"));
  past.run(text("14:59"));  // 11:59 UTC, one minute ago
  past.run(text("Москва, Россия"));
  CHECK(past.d->at == step::confirm);

  session by_button = at(step::date);  // from CHOICE the chosen button is edited first
  by_button.run(text("16.06.2024"));
  by_button.run(text("12:00"));
  by_button.run(text("two Тест"));
  by_button.run(press("n:00000001:c1", by_button.d->choice_message));
  CHECK(by_button.calls().back() == "send");
  CHECK(by_button.sent().text == texts::future_birth);
  CHECK_FALSE(by_button.d.has_value());
}

TEST_CASE("natal: CONFIRM by button saves, a failed save stays at CONFIRM") {
  session s = at(step::confirm);
  const dialogue before = *s.d;
  const std::int64_t msg = before.confirm_message;
  s.w.now += 120;
  s.run(press("n:00000001:y", msg));
  CHECK(s.calls() == std::vector<std::string>{"answer", "status", "save", "edit_status",
                                              "clear:" + std::to_string(msg)});
  CHECK(s.first(action::answer_callback).text.empty());
  CHECK(s.first(action::send_status).text == texts::status_save);
  CHECK(s.first(action::send_status).reply_markup.empty());
  CHECK(s.first(action::edit_status).text == texts::saved);
  CHECK(s.first(action::edit_status).html);
  CHECK_FALSE(s.d.has_value());
  REQUIRE(s.last.save);
  const birth_data& b = *s.last.save;
  CHECK(b.date == "1990-03-15");
  CHECK(b.time == std::optional<std::string>("14:30"));
  CHECK(b.place_label == "Москва, Россия");
  CHECK(b.latitude == 55.7558);
  CHECK(b.longitude == 37.6173);
  CHECK(b.zone == "Europe/Moscow");
  CHECK_FALSE(b.by_location);
  CHECK_FALSE(b.distance_km);

  REQUIRE(s.last.if_save_fails);
  CHECK(s.last.if_save_fails->at == step::confirm);
  CHECK(s.last.if_save_fails->nonce == before.nonce);
  CHECK(s.last.if_save_fails->expires_at == kNow + 120 + kTtl);
  REQUIRE(s.last.on_save_failure.size() == 1);
  CHECK(s.last.on_save_failure[0].what == action::edit_status);
  CHECK(s.last.on_save_failure[0].text == texts::save_failed);
  CHECK_FALSE(s.last.on_save_failure[0].html);

  // The caller stores if_save_fails; «Да» works again.
  s.d = s.last.if_save_fails;
  s.run(press("n:00000001:y", msg));
  CHECK(s.calls().front() == "answer");
  CHECK(s.last.save.has_value());
}

TEST_CASE("natal: CONFIRM by typed words, restart and hint") {
  for (const char* yes : {"Да", "да!", "ok", "Все верно"}) {
    CAPTURE(yes);
    session s = at(step::confirm);
    const std::int64_t msg = s.d->confirm_message;
    s.run(text(yes));
    CHECK(s.calls() == std::vector<std::string>{"status", "save", "edit_status",
                                                "clear:" + std::to_string(msg)});
    CHECK(s.last.save.has_value());
  }
  {
    session s = at(step::confirm, true);
    s.run(text("да"));
    REQUIRE(s.last.save);
    CHECK_FALSE(s.last.save->time.has_value());
  }
  {
    session s = at(step::place);
    s.run(location(60, 60));
    s.run(text("да"));
    REQUIRE(s.last.save);
    CHECK(s.last.save->by_location);
    CHECK(s.last.save->distance_km == 250.4);
    CHECK(s.last.save->latitude == 60);
    CHECK(s.last.save->place_label == "Дальний, Россия");
    CHECK(s.last.save->zone == "Asia/Yekaterinburg");
  }
  {
    session s = at(step::confirm);
    const std::int64_t msg = s.d->confirm_message;
    s.run(press("n:00000001:r", msg));
    CHECK(s.calls() == std::vector<std::string>{"answer", "clear:" + std::to_string(msg), "send"});
    CHECK(s.sent().text == texts::restart_prompt());
    CHECK(s.sent().html);
    REQUIRE(s.d);
    CHECK(s.d->at == step::date);
    CHECK(s.d->nonce == "00000002");
    CHECK(s.d->date.empty());
    CHECK_FALSE(s.d->time_given);
    CHECK_FALSE(s.d->place);
    CHECK(s.d->keyboard_messages.empty());
    // The old confirm buttons are stale now.
    s.run(press("n:00000001:y", msg));
    CHECK(s.calls() == std::vector<std::string>{"answer", "clear:" + std::to_string(msg)});
    CHECK(s.first(action::answer_callback).text == nocturna::texts::stale);
  }
  for (const char* no : {"нет", "Нет, заново", "заново"}) {
    CAPTURE(no);
    session s = at(step::confirm);
    const std::int64_t msg = s.d->confirm_message;
    s.run(text(no));
    CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(msg), "send"});
    CHECK(s.d->at == step::date);
  }
  for (const char* other : {"абв", "да нет", "14:30"}) {
    CAPTURE(other);
    session s = at(step::confirm);
    s.run(text(other));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == texts::confirm_hint);
    CHECK(s.d->at == step::confirm);
  }
}

TEST_CASE("natal: non-text messages at every step") {
  for (step st : {step::date, step::time, step::place, step::choice, step::confirm}) {
    session s = at(st);
    const dialogue before = *s.d;
    s.run(other());
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == texts::non_text);
    CHECK_FALSE(s.sent().html);
    REQUIRE(s.d);
    CHECK(s.d->at == st);
    CHECK(s.d->keyboard_messages == before.keyboard_messages);
  }
}

TEST_CASE("natal: /cancel clears every keyboard and ends the dialogue") {
  session s = at(step::place);
  s.run(location(55.75, 37.62));  // CONFIRM; nothing else carries buttons
  const std::int64_t confirm = s.d->confirm_message;
  s.run(cancel());
  CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(confirm), "send"});
  CHECK(s.sent().text == texts::cancelled);
  CHECK_FALSE(s.sent().html);
  CHECK(s.sent().reply_markup == kRemoveKeyboard);
  CHECK_FALSE(s.d.has_value());

  session c = at(step::choice);  // a location at CHOICE leaves the choice buttons up
  const std::int64_t choice = c.d->choice_message;
  c.run(location(55.75, 37.62));
  const std::int64_t confirm2 = c.d->confirm_message;
  c.run(cancel());
  CHECK(c.calls() == std::vector<std::string>{"clear:" + std::to_string(choice),
                                              "clear:" + std::to_string(confirm2), "send"});

  session d = at(step::date);
  d.run(cancel());
  CHECK(d.calls() == std::vector<std::string>{"send"});
  CHECK(d.sent().text == texts::cancelled);
}

TEST_CASE("natal: /natal mid-dialogue clears the old buttons and starts over") {
  session s = at(step::time);
  const std::int64_t prompt = s.d->time_prompt_message;
  s.run(natal(true));
  CHECK(s.calls() == std::vector<std::string>{"clear:" + std::to_string(prompt), "send"});
  CHECK(s.sent().text == texts::natal_start(true));
  REQUIRE(s.d);
  CHECK(s.d->at == step::date);
  CHECK(s.d->nonce == "00000002");
  CHECK(s.d->date.empty());
  CHECK(s.d->keyboard_messages.empty());
  s.run(press("n:00000001:t", prompt));
  CHECK(s.calls() == std::vector<std::string>{"answer", "clear:" + std::to_string(prompt)});
  CHECK(s.first(action::answer_callback).text == nocturna::texts::stale);

  session t = at(step::confirm);  // handle() passes /natal on to start()
  const std::int64_t confirm = t.d->confirm_message;
  const outcome o = handle(*t.d, natal(), t.w.env());
  REQUIRE(o.actions.size() == 2);
  CHECK(describe(o.actions[0]) == "clear:" + std::to_string(confirm));
  CHECK(o.next->at == step::date);
}

TEST_CASE("natal: expiry") {
  {
    session s = at(step::place);
    s.w.now = s.d->expires_at;  // at expires_at it still counts
    s.run(text("Москва, Россия"));
    CHECK(s.d->at == step::confirm);
    CHECK(s.d->expires_at == s.w.now + kTtl);
  }
  {
    session s = at(step::place);
    s.w.now = s.d->expires_at + 1;
    s.run(text("Москва, Россия"));
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == texts::expired);
    CHECK(s.sent().reply_markup == kRemoveKeyboard);
    CHECK_FALSE(s.d.has_value());
    CHECK(s.w.searched.empty());
  }
  {
    session s = at(step::confirm);
    const std::int64_t msg = s.d->confirm_message;
    s.w.now = s.d->expires_at + 3600;
    s.run(press("n:00000001:y", msg));
    CHECK(s.calls() == std::vector<std::string>{"answer", "clear:" + std::to_string(msg), "send"});
    CHECK(s.first(action::answer_callback).text == nocturna::texts::stale);
    CHECK(s.sent().text == texts::expired);
    CHECK(s.sent().reply_markup == kRemoveKeyboard);
    CHECK_FALSE(s.d.has_value());
    CHECK_FALSE(s.last.save.has_value());
  }
  {
    session s = at(step::time);
    s.w.now = s.d->expires_at + 1;
    s.run(other());
    CHECK(s.sent().text == texts::expired);
    CHECK_FALSE(s.d.has_value());
  }
  {
    session s = at(step::time);
    s.w.now = s.d->expires_at + 1;
    s.run(cancel());
    CHECK(s.calls() == std::vector<std::string>{"send"});
    CHECK(s.sent().text == nocturna::texts::cancel_none);
    CHECK_FALSE(s.d.has_value());
  }
  {
    session s = at(step::time);
    s.w.now = s.d->expires_at + 1;
    s.run(natal());
    CHECK(s.d->at == step::date);
    CHECK(s.d->expires_at == s.w.now + kTtl);
  }
  {
    session s;
    s.w.ttl_minutes = 5;
    s.run(natal());
    CHECK(s.d->expires_at == kNow + 300);
    CHECK(expired(*s.d, kNow + 301));
    CHECK_FALSE(expired(*s.d, kNow + 300));
  }
}

TEST_CASE("natal: stale buttons at every step leave the dialogue as it was") {
  const std::vector<std::string> presses = {"n:00000001:t",
                                            "n:00000001:c0",
                                            "n:00000001:y",
                                            "n:00000001:r",
                                            "n:deadbeef:y",
                                            "x:00000001:y",
                                            "",
                                            std::string(100, 'n')};
  for (step st : {step::date, step::time, step::place, step::choice, step::confirm}) {
    for (const std::string& data : presses) {
      session s = at(st);
      const dialogue before = *s.d;
      const bool valid =
          (st == step::time && data == "n:00000001:t") ||
          (st == step::choice && data == "n:00000001:c0") ||
          (st == step::confirm && (data == "n:00000001:y" || data == "n:00000001:r"));
      if (valid) continue;
      CAPTURE(data);
      s.run(press(data, 555));
      CHECK(s.calls() == std::vector<std::string>{"answer", "clear:555"});
      REQUIRE(s.d);
      CHECK(same(*s.d, before));
    }
  }
}

TEST_CASE("natal: encode and decode round trip at every step") {
  std::vector<dialogue> states;
  {
    session s = at(step::date);
    states.push_back(*s.d);
    s.run(text("15.03.1990"));
    states.push_back(*s.d);
    s.run(text("не знаю"));
    states.push_back(*s.d);
    s.run(text("Троицк"));
    states.push_back(*s.d);
    s.run(location(60, 60));
    states.push_back(*s.d);
  }
  {
    session s = at(step::confirm);
    states.push_back(*s.d);
  }
  {
    session s = at(step::place);
    s.run(text("echo <b>&\"\\ 🌍 \u05e9\u05dc\u05d5\u05dd"));
    states.push_back(*s.d);
  }
  for (const auto& d : states) {
    const encoded e = encode(d);
    CAPTURE(e.fields_json);
    CAPTURE(e.candidates_json);
    const auto back = decode(e);
    REQUIRE(back.has_value());
    CHECK(same(*back, d));
  }
  CHECK(encode(states[0]).step == "DATE");
  CHECK(encode(states[1]).step == "TIME");
  CHECK(encode(states[2]).step == "PLACE");
  CHECK(encode(states[3]).step == "CHOICE");
  CHECK(encode(states[4]).step == "CONFIRM");
}

TEST_CASE("natal: decode rejects what encode cannot have produced") {
  session s = at(step::choice);
  const encoded good = encode(*s.d);
  REQUIRE(decode(good));
  auto with = [&](auto change) {
    encoded e = good;
    change(e);
    return decode(e);
  };
  CHECK_FALSE(with([](encoded& e) { e.step = "choice"; }));
  CHECK_FALSE(with([](encoded& e) { e.step = ""; }));
  CHECK_FALSE(with([](encoded& e) { e.nonce = "XYZ"; }));
  CHECK_FALSE(with([](encoded& e) { e.fields_json = "not json"; }));
  CHECK_FALSE(with([](encoded& e) { e.fields_json = "[]"; }));
  CHECK_FALSE(with([](encoded& e) { e.fields_json = ""; }));
  CHECK_FALSE(with([](encoded& e) { e.fields_json = R"({"date":5})"; }));
  CHECK_FALSE(
      with([](encoded& e) { e.fields_json = R"({"date":"1990-03-15","time_given":"yes"})"; }));
  CHECK_FALSE(with([](encoded& e) { e.candidates_json = "{}"; }));
  CHECK_FALSE(with([](encoded& e) { e.candidates_json = "[]"; }));  // CHOICE needs candidates
  CHECK_FALSE(with([](encoded& e) { e.candidates_json = R"([1,2])"; }));
  CHECK_FALSE(with([](encoded& e) {
    e.candidates_json = R"([{"label":"a","lat":95,"lon":0,"zone":"Z"},{"label":"b"}])";
  }));
  CHECK_FALSE(with([](encoded& e) {
    std::string list = "[";
    for (int i = 0; i < 6; ++i) list += std::string(i ? "," : "") + R"({"label":"x"})";
    e.candidates_json = list + "]";
  }));
  CHECK_FALSE(with([](encoded& e) { e.step = "CONFIRM"; }));  // no place
  CHECK_FALSE(with([](encoded& e) {
    e.step = "TIME";
    e.fields_json = R"({"date":"15.03.1990"})";
  }));
  CHECK_FALSE(with([](encoded& e) {
    e.step = "PLACE";
    e.fields_json = R"({"date":"1990-03-15","time_given":false})";
  }));
  CHECK_FALSE(with([](encoded& e) {
    e.step = "PLACE";
    e.fields_json = R"({"date":"1990-03-15","time_given":true,"time":"25:00"})";
  }));
  // A bare DATE record is enough: missing fields take their defaults.
  encoded bare;
  bare.step = "DATE";
  bare.nonce = "0a1b2c3d";
  bare.expires_at = 42;
  const auto d = decode(bare);
  REQUIRE(d);
  CHECK(d->at == step::date);
  CHECK(d->expires_at == 42);
}

TEST_CASE("natal: hostile text is escaped or rejected, never echoed raw") {
  const std::string huge(10 * 1024, '<');
  const std::string huge_utf8 = [] {
    std::string t;
    while (t.size() < 10 * 1024) t += "🌍\u202e<b>&";
    return t;
  }();
  for (const std::string& in : {huge, huge_utf8, std::string("<b>&"), std::string("\xff\xfe")}) {
    session d = at(step::date);
    d.run(text(in));
    CHECK(d.sent().text == texts::date_format);
    session t = at(step::time);
    t.run(text(in));
    CHECK(t.sent().text == texts::time_format);
    session c = at(step::confirm);
    c.run(text(in));
    CHECK(c.sent().text == texts::confirm_hint);
  }
  for (const std::string& in : {huge, huge_utf8}) {
    session p = at(step::place);
    p.run(text(in));
    CHECK(p.sent().text == texts::place_long);
    CHECK(p.w.searched.empty());
  }

  // A label or zone with markup (the fake gazetteer echoes the text) is escaped in every HTML text
  // and survives as plain JSON in the button.
  session s = at(step::place);
  s.run(text("echo <b>&\" 🌍 \u202eשלום"));
  const std::string& confirm = s.sent().text;
  CHECK(confirm.find("📍 Место: &lt;b&gt;&amp;&quot; 🌍 \u202eשלום\n") != std::string::npos);
  CHECK(confirm.find("🌍 Координаты: -33.5000, -70.2500\n") != std::string::npos);
  CHECK(confirm.find("Часовой пояс: Zone&lt;&amp;&gt;&quot; (UTC+00:00)") != std::string::npos);
  CHECK(confirm.find("<b>&") == std::string::npos);

  session c = at(step::place);
  c.run(text("two <i>x</i>"));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(c.sent().reply_markup).get(doc));
  std::string_view label;
  REQUIRE_FALSE(doc["inline_keyboard"].at(0).at(0)["text"].get(label));
  CHECK(label == "<i>x</i>");
  c.run(press("n:00000001:c0", c.d->choice_message));
  CHECK(c.first(action::edit_message).text == "📍 Выбрано: &lt;i&gt;x&lt;/i&gt;");
}

TEST_CASE("partner dialogue: the name step, then the /natal steps about the partner") {
  session s;
  s.d = start_partner(std::nullopt, s.w.env()).next;
  REQUIRE(s.d.has_value());
  CHECK(s.d->at == step::name);
  CHECK(s.d->for_partner);
  const auto opened = start_partner(std::nullopt, s.w.env());
  REQUIRE(opened.actions.size() == 1);
  CHECK(opened.actions[0].text == texts::partner_name_prompt);
  CHECK(opened.actions[0].remember == action::name_prompt);
  CHECK(opened.actions[0].reply_markup.find(":s\"") != std::string::npos);
  s.d->name_message = 77;
  s.d->keyboard_messages = {77};

  // A stored NAME step survives the store; a NAME step of /natal itself does not exist.
  auto back = decode(encode(*s.d));
  REQUIRE(back.has_value());
  CHECK(back->for_partner);
  CHECK(back->at == step::name);
  dialogue own = *s.d;
  own.for_partner = false;
  CHECK_FALSE(decode(encode(own)).has_value());

  s.run(text(std::string(33, 'x')));
  CHECK(s.sent().text == texts::partner_name_long);
  CHECK(s.d->at == step::name);
  s.run(text("  <Оля>  "));
  CHECK(s.d->partner_name == "<Оля>");
  CHECK(s.d->at == step::date);
  CHECK(s.first(action::clear_keyboard).message_id == 77);
  CHECK(s.sent().text == texts::partner_date_prompt);

  s.run(text("15.03.1990"));
  CHECK(s.sent().text.find("Введите время рождения партнёра") != std::string::npos);
  s.run(text("14:30"));
  CHECK(s.sent().text.find("Введите место рождения партнёра") != std::string::npos);
  s.run(text("Москва, Россия"));
  CHECK(s.sent().text.find("Проверьте введённые данные партнёра:") != std::string::npos);
  s.run(text("да"));
  REQUIRE(s.last.save.has_value());
  CHECK(s.last.partner_name == std::optional<std::string>("<Оля>"));
  CHECK(s.last.actions.back().what == action::partner_report);
  CHECK(s.first(action::send_status).text == texts::status_partner_save);

  // «Пропустить» by button; /cancel and expiry point back to /compat.
  session skip;
  skip.d = start_partner(std::nullopt, skip.w.env()).next;
  skip.run(press("n:" + skip.d->nonce + ":s", 5));
  CHECK(skip.d->at == step::date);
  CHECK(skip.d->partner_name.empty());
  CHECK(skip.run(press("n:" + skip.d->nonce + ":s", 5)).actions.front().text ==
        nocturna::texts::stale);
  input cancel;
  cancel.what = input::kind::cancel_command;
  skip.run(cancel);
  CHECK(skip.sent().text == texts::partner_cancelled);
  CHECK_FALSE(skip.d.has_value());
}

TEST_CASE("natal: looks_up_places is true exactly for the inputs that search or ask the nearest") {
  for (step target : {step::date, step::time, step::place, step::choice, step::confirm}) {
    for (const input& in :
         {text("Москва"), location(55.75, 37.62), other(), cancel(), press("n:00000001:c0", 100)}) {
      session s = at(target);
      int lookups = 0;
      environment env = s.w.env();
      auto search = env.search;
      auto nearest = env.nearest;
      env.search = [&](const std::string& t) {
        ++lookups;
        return search(t);
      };
      env.nearest = [&](double lat, double lon) {
        ++lookups;
        return nearest(lat, lon);
      };
      handle(*s.d, in, env);
      INFO("step " << static_cast<int>(target) << ", input " << static_cast<int>(in.what));
      CHECK(looks_up_places(*s.d, in) == (lookups > 0));
    }
  }
}
