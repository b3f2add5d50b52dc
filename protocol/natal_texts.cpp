// The /natal texts of docs/behaviour.md §9, verbatim (raw literals: each line break is a "\n" of
// the catalogue). Templates keep the catalogue's `{…}` placeholders; fill() replaces them in one
// pass so a value that itself contains braces is never expanded again. Typography: the space before
// «—» and after a one-letter word («в», «и», «я», …) is U+00A0 (non-breaking), as
// protocol/typography sets composed texts, so a phone never starts a line with a dash; the test
// "interface texts are typeset" checks every text.
#include "protocol/natal_texts.hpp"

#include <fmt/format.h>

#include <cmath>
#include <initializer_list>
#include <utility>

#include "protocol/html.hpp"

namespace nocturna::natal::texts {

// T_NATAL_NEW
const char* const natal_new = R"(🌟 <b>Настройка натальной карты</b>

Для построения вашей натальной карты мне нужны следующие данные:
• Дата рождения
• Время рождения
• Место рождения

Эти данные будут надёжно сохранены и использованы только для астрологических расчётов.

Для отмены используйте /cancel

)";

// T_NATAL_EXISTING
const char* const natal_existing = R"(У вас уже сохранена натальная карта.

Если вы хотите изменить данные, продолжите настройку.
Для отмены используйте /cancel

)";

// T_DATE_PROMPT
const char* const date_prompt = R"(📅 <b>Введите дату рождения</b>
<i>Формат: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД</i>
<i>Пример: 15.03.1990 или 1990-03-15</i>)";

// T_RESTART
const char* const restart = R"(🔄 Начнём заново.

)";

// T_DATE_FORMAT
const char* const date_format = R"(❌ Неверный формат даты.

Пожалуйста, используйте формат:
• ДД.ММ.ГГГГ (например: 15.03.1990)
• ГГГГ-ММ-ДД (например: 1990-03-15)

Или /cancel для отмены.)";

// T_DATE_INVALID
const char* const date_invalid = R"(❌ Некорректная дата.

Введите существующую дату или /cancel для отмены.)";

// T_DATE_RANGE
const char* const date_range =
    R"(❌ Дата рождения должна быть не раньше 01.01.1900 и не позже сегодняшнего дня.

Введите корректную дату или /cancel для отмены.)";

// T_TIME_FORMAT
const char* const time_format = R"(❌ Неверный формат времени.

Пожалуйста, используйте формат ЧЧ:ММ
Примеры: 14:30, 09:15, 00:00

Если время неизвестно, нажмите «Не знаю время» или напишите «не знаю».
Или /cancel для отмены.)";

// T_PLACE_SHORT
const char* const place_short = R"(❌ Слишком короткое название места.

Укажите город, например: Москва

Или /cancel для отмены.)";

// T_PLACE_LONG
const char* const place_long = R"(❌ Слишком длинное название места.

Укажите город и при необходимости страну, например: Москва, Россия

Или /cancel для отмены.)";

// T_PLACE_NOT_FOUND
const char* const place_not_found = R"(❌ Место не найдено.

Попробуйте:
• проверить написание
• указать ближайший крупный город
• отправить геопозицию

Или /cancel для отмены.)";

// T_PLACES_LOADING
const char* const places_loading = R"(⏳ Справочник городов ещё загружается.

Пришлите, пожалуйста, место рождения ещё раз через минуту.
Или /cancel для отмены.)";

// T_CONFIRM_HINT
const char* const confirm_hint = R"(Пожалуйста, нажмите «Да» или «Нет, заново».
Или /cancel для отмены.)";

// T_FUTURE_BIRTH
const char* const future_birth = R"(❌ Указанный момент рождения ещё не наступил.

Проверьте дату и время и начните заново: /natal)";

// T_NON_TEXT
const char* const non_text =
    R"(✏️ Пожалуйста, ответьте текстом на вопрос выше.
Или /cancel для отмены.)";

// T_SAVED
const char* const saved = R"(✅ <b>Данные успешно сохранены!</b>

Теперь вам доступны:
• /my_natal — посмотреть натальную карту
• /my_transit — персональные транзиты
• /subscribe — ежедневный прогноз
• /profile — просмотр сохранённых данных

🌟 Начните с команды /my_natal)";

// T_SAVE_FAILED
const char* const save_failed = R"(❌ Не удалось сохранить данные.

Нажмите «Да» ещё раз или /cancel для отмены.)";

// T_CANCELLED
const char* const cancelled = R"(❌ Настройка отменена.

Для повторной настройки используйте /natal)";

// T_EXPIRED
const char* const expired = R"(⌛ Время на ввод данных истекло.

Начните заново: /natal)";

// T_ST_PLACE
const char* const status_place = R"(🔍 Ищу место рождения…)";

// T_ST_LOCATION
const char* const status_location = R"(🔍 Ищу ближайший город…)";

// T_ST_SAVE
const char* const status_save = R"(💾 Сохраняю данные…)";

const char* const partner_name_prompt = R"(💞 <b>Добавление партнёра</b>

👤 <b>Как зовут партнёра?</b>
<i>Имя — до 32 символов, его увидите только вы.</i>

💡 Если не хотите указывать имя, нажмите «Пропустить».
Для отмены используйте /cancel)";

const char* const partner_name_long = R"(❌ Имя длиннее 32 символов.

Напишите короче, нажмите «Пропустить» или /cancel для отмены.)";

const char* const partner_date_prompt = R"(📅 <b>Введите дату рождения партнёра</b>
<i>Формат: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД</i>
<i>Пример: 15.03.1990 или 1990-03-15</i>)";

const char* const partner_future_birth = R"(❌ Указанный момент рождения ещё не наступил.

Проверьте дату и время и начните заново: /compat)";

const char* const partner_cancelled = R"(❌ Добавление партнёра отменено.

Список партнёров: /compat)";

const char* const partner_expired = R"(⌛ Время на ввод данных истекло.

Начните заново: /compat)";

const char* const partner_saved = R"(✅ <b>Данные партнёра сохранены.</b> Считаю совместимость…)";

const char* const partner_limit = R"(❌ Сохранено уже 10 партнёров.

Удалите кого-нибудь в /compat и добавьте снова.)";

const char* const status_partner_save = R"(💾 Сохраняю данные партнёра…)";

const char* const button_skip = "Пропустить";

const char* const button_unknown_time = "Не знаю время";
const char* const button_yes = "Да";
const char* const button_restart = "Нет, заново";
const char* const button_location = "📍 Отправить местоположение";
const char* const location_placeholder = "Город, страна";

namespace {

// T_TIME_PROMPT
constexpr const char* time_prompt_template = R"(✅ Дата рождения: {DD.MM.YYYY}

🕐 <b>Введите время рождения{whose}</b>
<i>Формат: ЧЧ:ММ (24-часовой формат)</i>
<i>Пример: 14:30 или 09:15</i>

💡 Если время неизвестно, нажмите «Не знаю время»: карта будет рассчитана на 12:00, без домов и углов.)";

// T_PLACE_PROMPT; {time} = HH:MM or place_prompt_unknown
constexpr const char* place_prompt_template = R"(✅ Время рождения: {time}

📍 <b>Введите место рождения{whose}</b>
<i>Город и при необходимости через запятую регион или страну</i>
<i>Пример: Москва или Троицк, Челябинская область</i>

💡 Или отправьте геопозицию кнопкой «📍 Отправить местоположение» — я найду ближайший город.)";
constexpr const char* place_prompt_unknown = "неизвестно (расчёт на 12:00)";

// T_CHOICE, and the line added when there are more than 5 matches
constexpr const char* choice_template = R"(🔍 <b>Найдено несколько мест.</b> Выберите нужное:

<i>Если нужного места нет, уточните название (например: Троицк, Москва) или отправьте геопозицию.</i>)";
constexpr const char* choice_more = R"(
<i>Показаны первые 5 из {N}.</i>)";

// T_CHOSEN
constexpr const char* chosen_template = "📍 Выбрано: {label}";

// T_CONFIRM; {time} = HH:MM or confirm_unknown, {nearest} = confirm_nearest or empty,
// {notes} = "\n" + note for each note
constexpr const char* confirm_template = R"(✅ <b>Проверьте введённые данные{whose}:</b>

📅 Дата: {DD.MM.YYYY}
🕐 Время: {time}
📍 Место: {label}{nearest}
🌍 Координаты: {lat}, {lon}
🕰 Часовой пояс: {zone} ({offset}){notes}

Всё верно?)";
constexpr const char* confirm_unknown = "неизвестно (расчёт на 12:00, без домов и углов)";
constexpr const char* confirm_nearest = " (ближайший город, {N} км)";

// clang-format 14 counts U+FE0F as a column of its own and re-wraps these lines on every run.
// clang-format off
// T_NOTE_GAP
constexpr const char* note_gap_template =
    "⚠️ Из-за перевода часов времени {HH:MM} в этот день не существовало; "
    "расчёт выполнен для {HH:MM shifted} по местному времени.";
// T_NOTE_OVERLAP
constexpr const char* note_overlap_template =
    "⚠️ Из-за перевода часов время {HH:MM} в этот день повторялось; "
    "выбран второй (более поздний) момент.";
// T_NOTE_FAR
constexpr const char* note_far_template =
    "⚠️ Ближайший город из справочника находится в {N} км от точки — "
    "проверьте часовой пояс.";
// clang-format on

using fill_values = std::initializer_list<std::pair<std::string_view, std::string_view>>;

std::string fill(std::string_view tpl, fill_values values) {
  std::string out;
  out.reserve(tpl.size() + 64);
  std::size_t i = 0;
  while (i < tpl.size()) {
    bool replaced = false;
    if (tpl[i] == '{') {
      for (const auto& [key, value] : values) {
        if (tpl.compare(i, key.size(), key) == 0) {
          out.append(value);
          i += key.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(tpl[i++]);
  }
  return out;
}

std::string coordinate(double v) {
  return fmt::format("{:.4f}", v);
}

std::string_view whose(bool partner) {
  return partner ? " партнёра" : "";
}

}  // namespace

std::string date_prompt_for(bool partner, bool restart_first) {
  return std::string(restart_first ? restart : "") + (partner ? partner_date_prompt : date_prompt);
}

std::string natal_start(bool has_birth_data) {
  return std::string(has_birth_data ? natal_existing : natal_new) + date_prompt;
}

std::string restart_prompt() {
  return date_prompt_for(false, true);
}

std::string time_prompt(std::string_view date, bool partner) {
  return fill(time_prompt_template,
              {{"{DD.MM.YYYY}", html::escape(date)}, {"{whose}", whose(partner)}});
}

std::string place_prompt(const std::optional<std::string>& time, bool partner) {
  return fill(place_prompt_template, {{"{time}", time ? html::escape(*time) : place_prompt_unknown},
                                      {"{whose}", whose(partner)}});
}

std::string choice(std::size_t total) {
  std::string out = choice_template;
  if (total > 5) out += fill(choice_more, {{"{N}", std::to_string(total)}});
  return out;
}

std::string chosen(std::string_view label) {
  return fill(chosen_template, {{"{label}", html::escape(label)}});
}

std::string note_gap(std::string_view time, std::string_view shifted_time) {
  return fill(note_gap_template,
              {{"{HH:MM}", html::escape(time)}, {"{HH:MM shifted}", html::escape(shifted_time)}});
}

std::string note_overlap(std::string_view time) {
  return fill(note_overlap_template, {{"{HH:MM}", html::escape(time)}});
}

std::string note_far(std::int64_t km) {
  return fill(note_far_template, {{"{N}", std::to_string(km)}});
}

std::string confirm(const confirm_view& view) {
  const std::string time = view.time ? html::escape(*view.time) : confirm_unknown;
  const std::string nearest =
      view.nearest_km ? fill(confirm_nearest, {{"{N}", std::to_string(*view.nearest_km)}}) : "";
  std::string notes;
  for (const auto& note : view.notes) notes += "\n" + note;
  return fill(confirm_template, {{"{DD.MM.YYYY}", html::escape(view.date)},
                                 {"{time}", time},
                                 {"{label}", html::escape(view.label)},
                                 {"{nearest}", nearest},
                                 {"{lat}", html::escape(coordinate(view.latitude))},
                                 {"{lon}", html::escape(coordinate(view.longitude))},
                                 {"{zone}", html::escape(view.zone)},
                                 {"{offset}", html::escape(view.offset)},
                                 {"{notes}", notes},
                                 {"{whose}", whose(view.partner)}});
}

}  // namespace nocturna::natal::texts
