// Shared by the spec-driven end-to-end tests (natal_dialogue_test, heavy_commands_test,
// profile_commands_test): the user-visible texts of docs/behaviour.md copied verbatim (not taken
// from protocol/texts, so a wrong catalogue entry fails the tests), a driver playing one user chat
// through the sandbox, and helpers for the call log.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clients/sandbox/json_util.hpp"
#include "protocol/html.hpp"
#include "protocol/typography.hpp"
#include "tests/e2e/harness.hpp"

namespace nocturna::testing::spec {

using sandbox::call_record;
using sandbox::transcript_message;

// ---- docs/behaviour.md §9 text catalogue, §1.6 error texts, §3 notes, §4.6 keyboards (verbatim)
// ---- The catalogue writes plain spaces; the bot sends its texts typeset (a non-breaking space
// before «—» and after a one-letter word, protocol/typography), so each entry is compared typeset.
using typography::typeset;
// clang-format off
inline const std::string T_HELP = typeset("📚 <b>Справка по командам</b>\n\n<b>Персональные команды:</b>\n/natal — настроить натальную карту\n/my_natal — посмотреть натальную карту\n/my_transit — персональные транзиты\n/compat — совместимость с партнёром\n/subscribe — ежедневный прогноз (например: /subscribe 08:30)\n/unsubscribe — отключить ежедневный прогноз\n/settings — система домов\n/profile — просмотр сохранённых данных\n/clear_profile — удалить свои данные\n/cancel — прервать настройку\n\n<b>Общие транзиты:</b>\n/transit — текущая карта транзитов\n/transit_planets — позиции планет\n/transit_aspects — текущие аспекты\n/moon — лунный календарь (например: /moon завтра или /moon 15.03.2025)\n\n<b>О боте:</b>\nРасчёты выполняются по швейцарским эфемеридам (Swiss Ephemeris). Данные о городах: GeoNames (CC BY 4.0).\n\n<b>Приватность:</b>\nЯ храню только данные, необходимые для астрологических расчётов: дату, время и место рождения, а также ваши настройки. Вы можете удалить свои данные в любой момент: /clear_profile");
inline const std::string T_TEXT_HINT = typeset("ℹ️ Я понимаю только команды.\nСписок команд: /help");
inline const std::string T_CANCEL_NONE = typeset("ℹ️ Сейчас нечего отменять.\nСписок команд: /help");
inline const std::string T_PRIVATE_ONLY = typeset("🔒 Эта команда доступна только в личном чате с ботом.");
inline const std::string T_STALE = typeset("Эта кнопка устарела.");
inline const std::string T_NO_ASPECTS = typeset("Мажорных аспектов в пределах орбов нет.");
inline const std::string T_PT_NONE = typeset("ℹ️ Сейчас нет значимых транзитных аспектов к вашей натальной карте.");
inline const std::string T_NO_NATAL = typeset("❌ У вас ещё не настроена натальная карта.\n\nИспользуйте /natal для настройки.");
inline const std::string T_ST_TRANSIT = typeset("⏳ Рассчитываю текущую карту транзитов…");
inline const std::string T_ST_PLANETS = typeset("⏳ Рассчитываю текущие позиции планет…");
inline const std::string T_ST_ASPECTS = typeset("⏳ Рассчитываю текущие аспекты…");
inline const std::string T_ST_NATAL = typeset("⏳ Строю вашу натальную карту…");
inline const std::string T_ST_PTRANSIT = typeset("⏳ Рассчитываю персональные транзиты…");
inline const std::string T_ST_MOON = typeset("⏳ Рассчитываю лунный календарь…");
inline const std::string T_ST_PLACE = typeset("🔍 Ищу место рождения…");
inline const std::string T_ST_LOCATION = typeset("🔍 Ищу ближайший город…");
inline const std::string T_ST_SAVE = typeset("💾 Сохраняю данные…");
inline const std::string T_NATAL_NEW = typeset("🌟 <b>Настройка натальной карты</b>\n\nДля построения вашей натальной карты мне нужны следующие данные:\n• Дата рождения\n• Время рождения\n• Место рождения\n\nЭти данные будут надёжно сохранены и использованы только для астрологических расчётов.\n\nДля отмены используйте /cancel\n\n");
inline const std::string T_NATAL_EXISTING = typeset("У вас уже сохранена натальная карта.\n\nЕсли вы хотите изменить данные, продолжите настройку.\nДля отмены используйте /cancel\n\n");
inline const std::string T_DATE_PROMPT = typeset("📅 <b>Введите дату рождения</b>\n<i>Формат: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД</i>\n<i>Пример: 15.03.1990 или 1990-03-15</i>");
inline const std::string T_RESTART = typeset("🔄 Начнём заново.\n\n");
inline const std::string T_DATE_FORMAT = typeset("❌ Неверный формат даты.\n\nПожалуйста, используйте формат:\n• ДД.ММ.ГГГГ (например: 15.03.1990)\n• ГГГГ-ММ-ДД (например: 1990-03-15)\n\nИли /cancel для отмены.");
inline const std::string T_DATE_INVALID = typeset("❌ Некорректная дата.\n\nВведите существующую дату или /cancel для отмены.");
inline const std::string T_DATE_RANGE = typeset("❌ Дата рождения должна быть не раньше 01.01.1900 и не позже сегодняшнего дня.\n\nВведите корректную дату или /cancel для отмены.");
inline const std::string T_TIME_PROMPT = typeset("✅ Дата рождения: {DD.MM.YYYY}\n\n🕐 <b>Введите время рождения</b>\n<i>Формат: ЧЧ:ММ (24-часовой формат)</i>\n<i>Пример: 14:30 или 09:15</i>\n\n💡 Если время неизвестно, нажмите «Не знаю время»: карта будет рассчитана на 12:00, без домов и углов.");
inline const std::string T_TIME_FORMAT = typeset("❌ Неверный формат времени.\n\nПожалуйста, используйте формат ЧЧ:ММ\nПримеры: 14:30, 09:15, 00:00\n\nЕсли время неизвестно, нажмите «Не знаю время» или напишите «не знаю».\nИли /cancel для отмены.");
inline const std::string T_PLACE_PROMPT = typeset("✅ Время рождения: {HH:MM | неизвестно (расчёт на 12:00)}\n\n📍 <b>Введите место рождения</b>\n<i>Город и при необходимости через запятую регион или страну</i>\n<i>Пример: Москва или Троицк, Челябинская область</i>\n\n💡 Или отправьте геопозицию кнопкой «📍 Отправить местоположение» — я найду ближайший город.");
inline const std::string T_PLACE_SHORT = typeset("❌ Слишком короткое название места.\n\nУкажите город, например: Москва\n\nИли /cancel для отмены.");
inline const std::string T_PLACE_LONG = typeset("❌ Слишком длинное название места.\n\nУкажите город и при необходимости страну, например: Москва, Россия\n\nИли /cancel для отмены.");
inline const std::string T_PLACE_NOT_FOUND = typeset("❌ Место не найдено.\n\nПопробуйте:\n• проверить написание\n• указать ближайший крупный город\n• отправить геопозицию\n\nИли /cancel для отмены.");
inline const std::string T_CHOICE = typeset("🔍 <b>Найдено несколько мест.</b> Выберите нужное:\n\n<i>Если нужного места нет, уточните название (например: Троицк, Москва) или отправьте геопозицию.</i>");
inline const std::string T_CHOICE_MORE = typeset("\n<i>Показаны первые 5 из {N}.</i>");
inline const std::string T_CHOSEN = typeset("📍 Выбрано: {label}");
inline const std::string T_CONFIRM = typeset("✅ <b>Проверьте введённые данные:</b>\n\n📅 Дата: {DD.MM.YYYY}\n🕐 Время: {HH:MM | неизвестно (расчёт на 12:00, без домов и углов)}\n📍 Место: {label}[ (ближайший город, {N} км)]\n🌍 Координаты: {lat}, {lon}\n🕰 Часовой пояс: {zone} ({offset at birth})[\n{note}…]\n\nВсё верно?");
inline const std::string T_NOTE_GAP = typeset("⚠️ Из-за перевода часов времени {HH:MM} в этот день не существовало; расчёт выполнен для {HH:MM shifted} по местному времени.");
inline const std::string T_NOTE_OVERLAP = typeset("⚠️ Из-за перевода часов время {HH:MM} в этот день повторялось; выбран второй (более поздний) момент.");
inline const std::string T_NOTE_FAR = typeset("⚠️ Ближайший город из справочника находится в {N} км от точки — проверьте часовой пояс.");
inline const std::string T_CONFIRM_HINT = typeset("Пожалуйста, нажмите «Да» или «Нет, заново».\nИли /cancel для отмены.");
inline const std::string T_FUTURE_BIRTH = typeset("❌ Указанный момент рождения ещё не наступил.\n\nПроверьте дату и время и начните заново: /natal");
inline const std::string T_NON_TEXT = typeset("✏️ Пожалуйста, ответьте текстом на вопрос выше.\nИли /cancel для отмены.");
inline const std::string T_SAVED = typeset("✅ <b>Данные успешно сохранены!</b>\n\nТеперь вам доступны:\n• /my_natal — посмотреть натальную карту\n• /my_transit — персональные транзиты\n• /subscribe — ежедневный прогноз\n• /profile — просмотр сохранённых данных\n\n🌟 Начните с команды /my_natal");
inline const std::string T_CANCELLED = typeset("❌ Настройка отменена.\n\nДля повторной настройки используйте /natal");
inline const std::string T_PROFILE_NONE = typeset("❌ У вас ещё нет сохранённых данных.\n\nИспользуйте /natal для настройки натальной карты.");
inline const std::string T_PROFILE = typeset("👤 <b>Ваш профиль</b>\n\n📅 <b>Дата рождения:</b> {DD.MM.YYYY}\n🕐 <b>Время рождения:</b> {HH:MM | неизвестно}\n📍 <b>Место рождения:</b> {label}[ (по геопозиции)]\n🌍 <b>Координаты:</b> {lat}, {lon}\n🕰 <b>Часовой пояс:</b> {zone}\n🏠 <b>Система домов:</b> {system}\n🔔 <b>Ежедневный прогноз:</b> {в HH:MM | выключен}\n\n💡 Изменить данные: /natal\n⚙️ Настройки: /settings\n🗑 Удалить данные: /clear_profile");
inline const std::string T_CLEAR_NONE = typeset("ℹ️ У вас нет сохранённых данных для удаления.");
inline const std::string T_CLEAR_ASK = typeset("⚠️ <b>Удалить все ваши данные?</b>\n\nБудут удалены дата, время и место рождения, натальная карта, настройки и подписка на прогноз. Отменить удаление будет невозможно.");
inline const std::string T_CLEAR_DONE = typeset("✅ <b>Ваши данные удалены</b>\n\nВы можете настроить новую натальную карту с помощью /natal");
inline const std::string T_CLEAR_KEPT = typeset("Удаление отменено. Ваши данные сохранены.");
inline const std::string T_SET_CHANGED = typeset("Система домов: {label}");
inline const std::string T_SET_SAME = typeset("Уже выбрано: {label}");
inline const std::string T_SETTINGS = typeset("⚙️ <b>Настройки</b>\n\n🏠 Система домов: <b>{label}</b>\n\nВыберите систему домов для ваших карт:");
inline const std::string T_SETTINGS_UNKNOWN_TIME = typeset("\n\n<i>Время рождения неизвестно, поэтому в натальной карте дома не строятся; выбор применяется к карте текущего неба (/transit).</i>");
inline const std::string T_SUB_NEED_NATAL = typeset("❌ Для ежедневного прогноза сначала настройте натальную карту: /natal");
inline const std::string T_SUB_BAD_TIME = typeset("❌ Неверный формат времени.\n\nУкажите время в формате ЧЧ:ММ, например: /subscribe 08:30");
inline const std::string T_SUB_OK = typeset("🔔 <b>Подписка оформлена</b>\n\nКаждый день в {HH:MM} по часовому поясу места рождения ({zone}) я буду присылать персональный прогноз транзитов.\n\nИзменить время: /subscribe ЧЧ:ММ\nОтключить: /unsubscribe");
inline const std::string T_SUB_CHANGED = typeset("🔔 <b>Время прогноза изменено</b>\n\nТеперь прогноз будет приходить каждый день в {HH:MM} ({zone}).\n\nОтключить: /unsubscribe");
inline const std::string T_UNSUB_OK = typeset("🔕 Ежедневный прогноз отключён.\n\nВключить снова: /subscribe");
inline const std::string T_UNSUB_NONE = typeset("ℹ️ У вас нет активной подписки.\n\nОформить: /subscribe");
inline const std::string T_HDR_DAY_SHORT = typeset("📖 <b>Интерпретация дня (кратко)</b>\n\n");
inline const std::string T_HDR_NATAL_SHORT = typeset("📖 <b>Интерпретация натальной карты (кратко)</b>\n\n");
inline const std::string T_HDR_PT_SHORT = typeset("📖 <b>Интерпретация персональных транзитов (кратко)</b>\n\n");
inline const std::string T_INTERP_NOTE = typeset("\n\n<i>Подробная интерпретация сейчас недоступна — показана краткая.</i>");

inline const std::string C_TRANSIT = typeset("❌ Не удалось рассчитать текущую карту транзитов.");
inline const std::string C_PLANETS = typeset("❌ Не удалось рассчитать позиции планет.");
inline const std::string C_ASPECTS = typeset("❌ Не удалось рассчитать аспекты.");
inline const std::string C_NATAL = typeset("❌ Не удалось построить натальную карту.");
inline const std::string C_PTRANSIT = typeset("❌ Не удалось рассчитать персональные транзиты.");

inline const std::string R_UNAVAILABLE = typeset("Сервис расчётов временно недоступен. Пожалуйста, попробуйте позже.");

inline const std::string N_UNKNOWN = typeset("⚠️ Время рождения неизвестно: карта рассчитана на 12:00 местного времени, дома и углы не определены, положение Луны приблизительное.");
// clang-format on

inline const std::string LOCATION_KEYBOARD =
    R"({"keyboard":[[{"text":"📍 Отправить местоположение","request_location":true}]],)"
    R"("resize_keyboard":true,"one_time_keyboard":true,"input_field_placeholder":"Город, страна"})";
inline const std::string REMOVE_KEYBOARD = R"({"remove_keyboard":true})";

// ---- templates ----

// Replaces each placeholder (first occurrence) by its value; a missing placeholder fails.
inline std::string fill(std::string t,
                        const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    auto pos = t.find(key);
    REQUIRE_MESSAGE(pos != std::string::npos, "placeholder " << key);
    t.replace(pos, key.size(), value);
  }
  return t;
}

inline std::string time_prompt(const std::string& date) {
  return fill(T_TIME_PROMPT, {{"{DD.MM.YYYY}", date}});
}

inline const std::string unknown_place_time = "неизвестно (расчёт на 12:00)";
inline std::string place_prompt(const std::string& time) {
  return fill(T_PLACE_PROMPT, {{"{HH:MM | неизвестно (расчёт на 12:00)}", time}});
}

struct confirm_fields {
  std::string date = "15.03.1990";
  std::optional<std::string> time = std::string("14:30");
  std::string label = "Москва, Россия";
  std::optional<long> distance_km;
  std::string lat = "55.7522", lon = "37.6156";  // docs/integrations.md §3.6
  std::string zone = "Europe/Moscow", offset = "UTC+03:00";
  std::vector<std::string> notes;
};

inline std::string confirm_text(const confirm_fields& f) {
  std::string place = f.label;
  if (f.distance_km) place += " (ближайший город, " + std::to_string(*f.distance_km) + " км)";
  std::string notes;
  for (const auto& n : f.notes) notes += "\n" + n;
  return fill(T_CONFIRM,
              {{"{DD.MM.YYYY}", f.date},
               {typeset("{HH:MM | неизвестно (расчёт на 12:00, без домов и углов)}"),
                f.time.value_or(typeset("неизвестно (расчёт на 12:00, без домов и углов)"))},
               {"{label}[ (ближайший город, {N} км)]", place},
               {"{lat}", f.lat},
               {"{lon}", f.lon},
               {"{zone}", f.zone},
               {"{offset at birth}", f.offset},
               {"[\n{note}…]", notes}});
}

// ---- strings and JSON ----

inline bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

inline bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

inline std::size_t count_of(const std::string& s, const std::string& part) {
  std::size_t n = 0;
  for (auto pos = s.find(part); pos != std::string::npos; pos = s.find(part, pos + part.size()))
    ++n;
  return n;
}

inline std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto end = s.find('\n', start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

inline std::string canonical(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  if (e.type() == element_type::OBJECT) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto field : e.get_object())
      fields.emplace_back(std::string(field.key), canonical(field.value));
    std::sort(fields.begin(), fields.end());
    std::string out = "{";
    for (const auto& [k, v] : fields)
      out += (out.size() > 1 ? "," : "") + sandbox::jsonu::quote(k) + ":" + v;
    return out + "}";
  }
  if (e.type() == element_type::ARRAY) {
    std::string out = "[";
    for (auto item : e.get_array()) out += (out.size() > 1 ? "," : "") + canonical(item);
    return out + "]";
  }
  return sandbox::jsonu::minify(e);
}

// The JSON text with object keys sorted, so that key order does not matter in comparisons.
inline std::string canonical_json(const std::string& text) {
  simdjson::dom::parser parser;
  sandbox::jsonu::element doc;
  if (!sandbox::jsonu::parse(parser, text, doc)) return "<not JSON: " + text + ">";
  return canonical(doc);
}

// ---- messages and calls ----

// A status message: S of a heavy command (⏳) or a dialogue status (🔍, 💾). Matched exactly,
// because T_CHOICE also starts with 🔍 and stays.
inline bool is_status(const transcript_message& m) {
  static const std::set<std::string> statuses = {
      T_ST_TRANSIT, T_ST_PLANETS, T_ST_ASPECTS, T_ST_NATAL, T_ST_PTRANSIT, T_ST_PLACE,
      T_ST_LOCATION, T_ST_SAVE, T_ST_MOON,
      // /compat (protocol/compat_texts, natal_texts)
      "💞 Считаю совместимость…", "💾 Сохраняю данные партнёра…"};
  return statuses.count(m.text.value_or("")) > 0;
}

inline bool has_buttons(const transcript_message& m) {
  return !m.button_data().empty();
}

using button_rows = std::vector<std::vector<std::pair<std::string, std::string>>>;

inline button_rows rows_of(const transcript_message& m) {
  button_rows out;
  for (const auto& row : m.keyboard()) {
    out.emplace_back();
    for (const auto& b : row) out.back().emplace_back(b.text, b.callback_data);
  }
  return out;
}

// The nonce of a /natal payload n:{nonce}:{x}.
inline std::string nonce_of(const std::string& callback_data) {
  static const std::regex shape("^n:([0-9a-f]{8}):(t|y|r|c[0-4])$");
  std::smatch match;
  return std::regex_match(callback_data, match, shape) ? match[1].str() : "<bad payload>";
}

inline std::int64_t last_update_id = 0;  // the highest update id injected, for raw updates

inline void note_update(std::int64_t id) {
  last_update_id = std::max(last_update_id, id);
}

// The next update id for a raw update: above every id handed out so far.
inline std::int64_t next_raw_update_id() {
  return std::max<std::int64_t>(last_update_id + 1, 1'000'000'000);
}

// The seq the next call will get.
inline std::int64_t mark(harness& h) {
  return h.control->calls(0, "none").next;
}

// The calls made for `chat` since `since`, without sendChatAction (docs/behaviour.md §1.5:
// transcript tests ignore it); answerCallbackQuery names no chat and is always included.
inline std::vector<call_record> chat_calls(harness& h, std::int64_t chat, std::int64_t since) {
  static const std::set<std::string> methods = {
      "sendMessage",   "editMessageText", "editMessageReplyMarkup", "editMessageCaption",
      "deleteMessage", "sendPhoto",       "answerCallbackQuery"};
  std::vector<call_record> out;
  for (auto& c : h.control->calls(since).calls) {
    if (!methods.count(c.method)) continue;
    if (c.method != "answerCallbackQuery" && c.chat_id != chat) continue;
    out.push_back(c);
  }
  return out;
}

inline std::string methods_of(const std::vector<call_record>& calls) {
  std::string out;
  for (const auto& c : calls) out += (out.empty() ? "" : ",") + c.method;
  return out;
}

// Waits until at least `n` calls of the chat since `since` exist and all are finished.
inline std::vector<call_record> wait_calls(harness& h, std::int64_t chat, std::int64_t since,
                                           std::size_t n, int timeout_ms = 20000) {
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  for (;;) {
    auto calls = chat_calls(h, chat, since);
    bool done = calls.size() >= n &&
                std::all_of(calls.begin(), calls.end(), [](auto& c) { return c.status != 0; });
    if (done || std::chrono::steady_clock::now() > until) return calls;
    sleep_ms(15);
  }
}

inline std::int64_t param_int(const call_record& c, const std::string& name) {
  auto v = c.param_string(name);
  try {
    return v ? std::stoll(*v) : 0;
  } catch (...) {
    return 0;
  }
}

// Every text the bot sent or edited in `chat` was accepted, is valid Telegram HTML when sent as
// HTML, and carries link_preview_options.is_disabled (docs/behaviour.md conventions).
inline void check_all_texts(harness& h, std::int64_t chat) {
  for (auto& c : chat_calls(h, chat, 0)) {
    if (c.method != "sendMessage" && c.method != "editMessageText") continue;
    CHECK_MESSAGE(c.status == 200,
                  c.method << " " << c.params_json.substr(0, 200) << " → " << c.description);
    if (c.param_string("parse_mode") == std::optional<std::string>("HTML"))
      CHECK(html::validate(c.param_string("text").value_or("")) == std::nullopt);
    CHECK_MESSAGE(contains(c.params_json, R"("link_preview_options":{"is_disabled":true})"),
                  c.method << " without link_preview_options: " << c.params_json.substr(0, 200));
  }
}

// Every callback query got exactly one answerCallbackQuery (docs/behaviour.md §1.4).
inline void check_one_answer_per_press(harness& h) {
  std::map<std::string, int> answers;
  for (auto& c : h.control->calls(0, "answerCallbackQuery").calls)
    ++answers[c.param_string("callback_query_id").value_or("")];
  for (const auto& [id, n] : answers)
    CHECK_MESSAGE(n == 1, "callback query " << id << " answered " << n << " times");
}

// One chat played through the sandbox: a private chat, or a group when `options` say so.
struct chat_driver {
  harness& h;
  std::int64_t id;
  sandbox::send_options options = {};

  std::vector<transcript_message> messages() {
    return h.control->get_transcript(id).bot_messages();
  }

  // The bot's messages once at least `n` stand and none is a status message. Past `timeout_ms`
  // the wait goes on while the gazetteer is still being built (harness::reply_wait).
  std::vector<transcript_message> settle(std::size_t n, int timeout_ms = 20000) {
    const harness::reply_wait wait(h, timeout_ms);
    for (;;) {
      auto msgs = messages();
      bool status = std::any_of(msgs.begin(), msgs.end(), is_status);
      if ((msgs.size() >= n && !status) || wait.over()) return msgs;
      sleep_ms(15);
    }
  }

  // The newest bot message once there are `added` more than `before` and no status message.
  transcript_message reply_after(std::size_t before, const std::string& what, std::size_t added = 1,
                                 int timeout_ms = 20000) {
    auto msgs = settle(before + added, timeout_ms);
    REQUIRE_MESSAGE(msgs.size() >= before + added, "no reply to «" << what << "» in chat " << id);
    return msgs.back();
  }

  transcript_message message(std::int64_t message_id) {
    for (auto& m : messages())
      if (m.message_id == message_id) return m;
    FAIL("message " << message_id << " is gone from chat " << id);
    return {};
  }

  std::int64_t send(const std::string& text) {
    auto sent = h.control->send(id, text, options);
    note_update(sent.update_id);
    return sent.message_id;
  }

  transcript_message say(const std::string& text, std::size_t added = 1, int timeout_ms = 20000) {
    auto before = settle(0).size();
    send(text);
    return reply_after(before, text.substr(0, 60), added, timeout_ms);
  }

  transcript_message press(std::int64_t message_id, const std::string& data, bool force = false) {
    auto before = settle(0).size();
    note_update(h.control->press(id, message_id, data, force).update_id);
    return reply_after(before, "press " + data);
  }

  // A press whose only visible effect is its answer (and perhaps edits): returns the answer text
  // once the bot's turn for the press is over (every call of it answered).
  std::string press_answer_only(std::int64_t message_id, const std::string& data) {
    auto pressed = h.control->press(id, message_id, data, true);
    note_update(pressed.update_id);
    REQUIRE_MESSAGE(h.wait_handled(pressed.update_id), "press " << data << " was not handled");
    for (auto& c : h.control->calls(0, "answerCallbackQuery").calls)
      if (c.param_string("callback_query_id") == pressed.callback_query_id && c.status != 0)
        return c.param_string("text").value_or("");
    FAIL("press " << data << " was not answered");
    return "";
  }

  transcript_message locate(double lat, double lon) {
    auto before = settle(0).size();
    note_update(h.control->location(id, lat, lon).update_id);
    return reply_after(before, "location");
  }

  // Injects a raw private-chat message with these extra fields (a sticker, a photo, a 10 KB text):
  // /sandbox/send only makes text messages of at most 4096 units.
  void inject(const std::string& fields_json) {
    static std::int64_t next_message_id = 5'000'000;
    auto update_id = next_raw_update_id();
    std::string user = std::to_string(id);
    std::string update = R"({"update_id":)" + std::to_string(update_id) +
                         R"(,"message":{"message_id":)" + std::to_string(next_message_id++) +
                         R"(,"date":)" + std::to_string(std::time(nullptr)) + R"(,"chat":{"id":)" +
                         user + R"(,"type":"private","first_name":"Sandbox User"},"from":{"id":)" +
                         user + R"(,"is_bot":false,"first_name":"Sandbox User"},)" + fields_json +
                         "}}";
    note_update(h.control->raw(update));
  }

  transcript_message raw_message(const std::string& fields_json) {
    auto before = settle(0).size();
    inject(fields_json);
    return reply_after(before, "raw " + fields_json.substr(0, 40));
  }

  transcript_message raw_text(const std::string& text) {
    return raw_message(R"("text":)" + sandbox::jsonu::quote(text));
  }
};

// ---- the dialogue as a means to an end ----

inline transcript_message to_time(chat_driver& c, const std::string& date = "15.03.1990") {
  auto start = c.say("/natal");
  if (!contains(start.text.value_or(""), T_DATE_PROMPT))  // e.g. T_ERR_GENERIC: show why
    for (auto& line : lines_of(c.h.log_file()))
      if (contains(line, "[error]")) MESSAGE("bot log: " << line);
  REQUIRE_MESSAGE(contains(start.text.value_or(""), T_DATE_PROMPT),
                  "chat " << c.id << ": " << start.text.value_or("<no text>"));
  auto prompt = c.say(date);
  REQUIRE_MESSAGE(contains(prompt.text.value_or(""), "🕐 <b>Введите время рождения</b>"),
                  "chat " << c.id << ": " << prompt.text.value_or("<no text>"));
  return prompt;
}

inline transcript_message to_place(chat_driver& c, const std::string& time = "14:30",
                                   const std::string& date = "15.03.1990") {
  to_time(c, date);
  auto prompt = c.say(time);
  REQUIRE_MESSAGE(starts_with(prompt.text.value_or(""), "✅ Время рождения: "),
                  "chat " << c.id << ": " << prompt.text.value_or("<no text>"));
  return prompt;
}

inline transcript_message to_confirm(chat_driver& c, const std::string& time = "14:30",
                                     const std::string& date = "15.03.1990",
                                     const std::string& place = "Москва, Россия") {
  to_place(c, time, date);
  auto confirm = c.say(place);
  REQUIRE_MESSAGE(starts_with(confirm.text.value_or(""), "✅ <b>Проверьте введённые данные:</b>"),
                  "chat " << c.id << ": " << confirm.text.value_or("<no text>"));
  return confirm;
}

// Runs `sql` on the bot's SQLite database through a connection of its own, as an operator (or a
// failing disk) would, while the bot keeps running.
inline void exec_on_store(harness& h, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((h.dir.path() + "/data/nocturna.db").c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << message);
}

// The bot removes a question's buttons after the reply to the typed answer: once they are gone
// that turn's calls are all made, and a check of the next turn's calls does not count the edit.
inline void wait_buttons_gone(chat_driver& c, std::int64_t message_id) {
  CHECK_MESSAGE(wait_until([&] { return c.message(message_id).keyboard().empty(); }),
                "the buttons of message " << message_id << " in chat " << c.id << " stayed");
}

// Runs the whole dialogue and saves the birth data («не знаю» for an unknown time).
inline void save_birth(chat_driver& c, const std::string& time = "14:30",
                       const std::string& date = "15.03.1990",
                       const std::string& place = "Москва, Россия") {
  auto confirm = to_confirm(c, time, date, place);
  auto saved = c.say("Да");
  REQUIRE_MESSAGE(saved.text.value_or("") == T_SAVED,
                  "chat " << c.id << ": " << saved.text.value_or("<no text>"));
  wait_buttons_gone(c, confirm.message_id);
}

// ---- clock ----

struct wall_label {
  std::string date, time;  // DD.MM.YYYY, HH:MM
};

// Moscow wall clock of `utc` (UTC+3 all year since 2014), truncated to the minute or hour.
inline wall_label moscow_label(std::time_t utc, bool to_hour) {
  std::time_t local = utc + 3 * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  if (to_hour) tm.tm_min = 0;
  char date[16], time[8];
  std::strftime(date, sizeof date, "%d.%m.%Y", &tm);
  std::strftime(time, sizeof time, "%H:%M", &tm);
  return {date, time};
}

}  // namespace nocturna::testing::spec
