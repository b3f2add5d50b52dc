// The texts of bot.md §9, verbatim (raw literals: each line break is a "\n" of the catalogue).
#include "protocol/texts.hpp"

namespace nocturna::texts {

// T_START
const char* const start_template = R"(Привет, {mention}!

🌟 Я <b>Nocturna Bot</b> — твой астрологический помощник.

<b>Мои возможности:</b>
• Натальные карты и персональные транзиты
• Текущие позиции планет и аспекты
• Ежедневный персональный прогноз
• Визуализация карт

<b>Основные команды:</b>
/natal - Настроить натальную карту
/my_natal - Посмотреть свою натальную карту
/my_transit - Персональные транзиты
/transit - Текущая карта транзитов
/subscribe - Ежедневный прогноз
/help - Все команды

Для персональных прогнозов сначала настройте натальную карту: /natal)";

// T_HELP
const char* const help = R"(📚 <b>Справка по командам</b>

<b>Персональные команды:</b>
/natal - Настроить натальную карту
/my_natal - Посмотреть натальную карту
/my_transit - Персональные транзиты
/subscribe - Ежедневный прогноз (например: /subscribe 08:30)
/unsubscribe - Отключить ежедневный прогноз
/settings - Система домов
/profile - Просмотр сохраненных данных
/clear_profile - Удалить свои данные
/cancel - Прервать настройку

<b>Общие транзиты:</b>
/transit - Текущая карта транзитов
/transit_planets - Позиции планет
/transit_aspects - Текущие аспекты

<b>О боте:</b>
Расчеты выполняются по Швейцарским эфемеридам (Swiss Ephemeris). Данные о городах: GeoNames (CC BY 4.0).

<b>Приватность:</b>
Мы храним только необходимые данные для астрологических расчетов: дату, время и место рождения, а также ваши настройки. Вы можете удалить свои данные в любой момент: /clear_profile)";

// T_UNKNOWN_CMD
const char* const unknown_command = R"(🤷 Неизвестная команда.
Список команд: /help)";

// T_TEXT_HINT
const char* const text_hint = R"(ℹ️ Я понимаю только команды.
Список команд: /help)";

// T_CANCEL_NONE
const char* const cancel_none = R"(ℹ️ Сейчас нечего отменять.
Список команд: /help)";

// T_PRIVATE_ONLY
const char* const private_only = R"(🔒 Эта команда доступна только в личном чате с ботом.)";

// T_BUSY
const char* const busy = R"(🙏 Я еще обрабатываю ваши предыдущие запросы. Пожалуйста, подождите.)";

// T_ERR_GENERIC
const char* const error_generic = R"(❌ Произошла ошибка при обработке команды.
Пожалуйста, попробуйте позже.)";

// T_STALE
const char* const stale = "Эта кнопка устарела.";

}  // namespace nocturna::texts
