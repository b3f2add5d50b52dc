// The interface texts (catalogue: docs/interpretations.md for the voice), verbatim (in raw literals
// each line break is a "\n" of the catalogue).
// Typography: the space before «—» and after a one-letter word («в», «и», «я», …) is U+00A0
// (non-breaking), as protocol/typography sets composed texts, so a phone never starts a line with
// a dash; the test "interface texts are typeset" checks every text.
#include "protocol/texts.hpp"

#include <string>

namespace nocturna::texts {

// T_START
const char* const start_template = R"(Привет, {mention}!

🌟 Я <b>Nocturna Bot</b> — ваш астрологический помощник.

<b>Мои возможности:</b>
• Натальные карты и персональные транзиты
• Текущие позиции планет и аспекты
• Ежедневный персональный прогноз
• Визуализация карт

<b>Основные команды:</b>
/natal — настроить натальную карту
/my_natal — посмотреть свою натальную карту
/my_transit — персональные транзиты
/transit — текущая карта транзитов
/subscribe — ежедневный прогноз
/help — все команды

Для персональных прогнозов сначала настройте натальную карту: /natal)";

// T_HELP
const char* const help = R"(📚 <b>Справка по командам</b>

<b>Персональные команды:</b>
/natal — настроить натальную карту
/my_natal — посмотреть натальную карту
/my_transit — персональные транзиты
/compat — совместимость с партнёром
/subscribe — ежедневный прогноз (например: /subscribe 08:30)
/unsubscribe — отключить ежедневный прогноз
/settings — система домов
/profile — просмотр сохранённых данных
/clear_profile — удалить свои данные
/cancel — прервать настройку

<b>Общие транзиты:</b>
/transit — текущая карта транзитов
/transit_planets — позиции планет
/transit_aspects — текущие аспекты
/moon — лунный календарь (например: /moon завтра или /moon 15.03.2025)

<b>О боте:</b>
Расчёты выполняются по швейцарским эфемеридам (Swiss Ephemeris). Данные о городах: GeoNames (CC BY 4.0).

<b>Приватность:</b>
Я храню только данные, необходимые для астрологических расчётов: дату, время и место рождения, а также ваши настройки. Вы можете удалить свои данные в любой момент: /clear_profile)";

// T_UNKNOWN_CMD
const char* const unknown_command = R"(🤷 Неизвестная команда.
Список команд: /help)";

// T_TEXT_HINT
const char* const text_hint = R"(ℹ️ Я понимаю только команды.
Список команд: /help)";

// T_CANCEL_NONE
const char* const cancel_none = R"(ℹ️ Сейчас нечего отменять.
Список команд: /help)";

// T_PRIVATE_ONLY
const char* const private_only = R"(🔒 Эта команда доступна только в личном чате с ботом.)";

// T_BUSY
const char* const busy = R"(🙏 Я ещё обрабатываю ваши предыдущие запросы. Пожалуйста, подождите.)";

// T_ERR_GENERIC
const char* const error_generic = R"(❌ Произошла ошибка при обработке команды.
Пожалуйста, попробуйте позже.)";

// T_STALE
const char* const stale = "Эта кнопка устарела.";

// T_ST_TRANSIT
const char* const status_transit = "⏳ Рассчитываю текущую карту транзитов…";
// T_ST_PLANETS
const char* const status_planets = "⏳ Рассчитываю текущие позиции планет…";
// T_ST_ASPECTS
const char* const status_aspects = "⏳ Рассчитываю текущие аспекты…";
// T_ST_NATAL
const char* const status_natal = "⏳ Строю вашу натальную карту…";
// T_ST_PTRANSIT
const char* const status_ptransit = "⏳ Рассчитываю персональные транзиты…";

// C_TRANSIT
const char* const context_transit = "❌ Не удалось рассчитать текущую карту транзитов.";
// C_PLANETS
const char* const context_planets = "❌ Не удалось рассчитать позиции планет.";
// C_ASPECTS
const char* const context_aspects = "❌ Не удалось рассчитать аспекты.";
// C_NATAL
const char* const context_natal = "❌ Не удалось построить натальную карту.";
// C_PTRANSIT
const char* const context_ptransit = "❌ Не удалось рассчитать персональные транзиты.";

// R_UNAVAILABLE
const char* const reason_unavailable =
    "Сервис расчётов временно недоступен. Пожалуйста, попробуйте позже.";
// R_INPUT
const char* const reason_input =
    "Расчёт для этих данных невозможен. Проверьте данные рождения: /profile";
// R_TIMEOUT
const char* const reason_timeout = "Превышено время ожидания. Пожалуйста, попробуйте позже.";
// R_INTERNAL
const char* const reason_internal = "Произошла внутренняя ошибка. Пожалуйста, попробуйте позже.";

std::string error_text(std::string_view context, std::string_view reason) {
  std::string out(context);
  out += "\n\n";
  out += reason;
  return out;
}

// T_NO_NATAL
const char* const no_natal = R"(❌ У вас ещё не настроена натальная карта.

Используйте /natal для настройки.)";

// T_NO_ASPECTS
const char* const no_aspects = "Мажорных аспектов в пределах орбов нет.";

// T_PT_NONE
const char* const pt_none =
    R"(ℹ️ Сейчас нет значимых транзитных аспектов к вашей натальной карте.)";

// T_PROFILE_NONE
const char* const profile_none = R"(❌ У вас ещё нет сохранённых данных.

Используйте /natal для настройки натальной карты.)";

// T_CLEAR_NONE
const char* const clear_none =
    R"(ℹ️ У вас нет сохранённых данных для удаления.)";

// T_CLEAR_ASK
const char* const clear_ask = R"(⚠️ <b>Удалить все ваши данные?</b>

Будут удалены дата, время и место рождения, натальная карта, настройки и подписка на прогноз. Отменить удаление будет невозможно.)";

// T_CLEAR_DONE
const char* const clear_done = R"(✅ <b>Ваши данные удалены</b>

Вы можете настроить новую натальную карту с помощью /natal)";

// T_CLEAR_KEPT
const char* const clear_kept = "Удаление отменено. Ваши данные сохранены.";

// T_CLEAR_FAILED
const char* const clear_failed = R"(❌ Не удалось удалить данные.

Пожалуйста, попробуйте позже.)";

// T_SET_CHANGED
std::string set_changed(std::string_view label) {
  return "Система домов: " + std::string(label);
}

// T_SET_SAME
std::string set_same(std::string_view label) {
  return "Уже выбрано: " + std::string(label);
}

// T_SET_FAILED
const char* const set_failed = "Не удалось сохранить настройку. Попробуйте позже.";

// T_SUB_NEED_NATAL
const char* const sub_need_natal =
    "❌ Для ежедневного прогноза сначала настройте натальную карту: /natal";

// T_SUB_BAD_TIME
const char* const sub_bad_time = R"(❌ Неверный формат времени.

Укажите время в формате ЧЧ:ММ, например: /subscribe 08:30)";

// T_UNSUB_OK
const char* const unsub_ok = R"(🔕 Ежедневный прогноз отключён.

Включить снова: /subscribe)";

// T_UNSUB_NONE
const char* const unsub_none = R"(ℹ️ У вас нет активной подписки.

Оформить: /subscribe)";

// T_HDR_DAY
const char* const header_day = "📖 <b>Интерпретация дня</b>\n\n";
// T_HDR_NATAL
const char* const header_natal = "📖 <b>Интерпретация натальной карты</b>\n\n";
// T_HDR_PT
const char* const header_pt = "📖 <b>Интерпретация персональных транзитов</b>\n\n";
// T_HDR_DAY_SHORT
const char* const header_day_short = "📖 <b>Интерпретация дня (кратко)</b>\n\n";
// T_HDR_NATAL_SHORT
const char* const header_natal_short = "📖 <b>Интерпретация натальной карты (кратко)</b>\n\n";
// T_HDR_PT_SHORT
const char* const header_pt_short = "📖 <b>Интерпретация персональных транзитов (кратко)</b>\n\n";

// T_INTERP_NOTE
const char* const interp_note =
    "\n\n<i>Подробная интерпретация сейчас недоступна — показана краткая.</i>";

// T_ST_MOON
const char* const status_moon = "⏳ Рассчитываю лунный календарь…";

// C_MOON
const char* const context_moon = "❌ Не удалось рассчитать лунный календарь.";

// T_MOON_FORMAT
const char* const moon_bad_format =
    R"(❌ Не понимаю дату.

Укажите дату в формате ДД.ММ.ГГГГ, например: /moon 15.03.2025
Или: /moon завтра)";

// T_MOON_INVALID
const char* const moon_bad_date =
    R"(❌ Такой даты не существует.

Укажите дату в формате ДД.ММ.ГГГГ, например: /moon 15.03.2025)";

// T_MOON_RANGE
const char* const moon_out_of_range =
    R"(❌ Лунный календарь доступен для дат с 01.01.1900 по 31.12.2100.)";

// T_MOON_DEFAULT_PLACE
const char* const moon_default_place =
    "<i>Место рождения не сохранено — расчёт для места по умолчанию. Указать своё: /natal</i>";

// T_MOON_NO_RISE
const char* const moon_no_rise = "не определяется — здесь Луна сейчас восходит не каждые сутки";

// T_HDR_MOON_SHORT
const char* const header_moon_short = "📖 <b>Лунный день и фаза (кратко)</b>\n\n";
// the LLM's text of /moon
const char* const header_moon = "📖 <b>Лунный день и фаза</b>\n\n";

}  // namespace nocturna::texts
