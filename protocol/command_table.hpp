// Every command of the bot, once: its name, its line in the command menu, where it may run. The
// menu (protocol/command_menu.cpp), the router (protocol/router.cpp) and the session's dispatch
// (actors/session.cpp) all read this table; a new command is one row here plus its handler, and
// the compiler (-Werror=switch, no `default:`) names every switch over command_id that lacks it.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace nocturna::bot {

// In the order of the table (checked below).
enum class command_id {
  transit,
  transit_planets,
  transit_aspects,
  moon,
  natal,
  my_natal,
  my_transit,
  compat,
  subscribe,
  unsubscribe,
  settings,
  profile,
  clear_profile,
  help,
  cancel,
  start,
};

struct command_spec {
  command_id id;
  std::string_view name;       // as typed, lower-case, without '/'
  std::string_view menu_text;  // its description in the menu; empty: not in the menu
  bool private_only;           // refused with T_PRIVATE_ONLY in groups
  bool in_group_menu;          // also in the menu of group chats
};

// Rows in menu order: the menu lists them as they stand here.
inline constexpr std::array<command_spec, 16> command_table = {{
    {command_id::transit, "transit", "Текущая карта транзитов", false, true},
    {command_id::transit_planets, "transit_planets", "Позиции планет сейчас", false, true},
    {command_id::transit_aspects, "transit_aspects", "Аспекты планет сейчас", false, true},
    {command_id::moon, "moon", "Лунный календарь", false, true},
    {command_id::natal, "natal", "Настроить натальную карту", true, false},
    {command_id::my_natal, "my_natal", "Моя натальная карта", true, false},
    {command_id::my_transit, "my_transit", "Мои персональные транзиты", true, false},
    {command_id::compat, "compat", "Совместимость с партнёром", true, false},
    {command_id::subscribe, "subscribe", "Ежедневный прогноз", true, false},
    {command_id::unsubscribe, "unsubscribe", "Отключить ежедневный прогноз", true, false},
    {command_id::settings, "settings", "Система домов", true, false},
    {command_id::profile, "profile", "Мои данные", true, false},
    {command_id::clear_profile, "clear_profile", "Удалить мои данные", true, false},
    {command_id::help, "help", "Справка", false, true},
    {command_id::cancel, "cancel", "Отменить настройку", true, false},
    // Telegram's own start button: not in the menu.
    {command_id::start, "start", "", false, false},
}};

// Row i describes command_id(i), so every id has exactly one row and spec_of is an index.
constexpr bool rows_in_id_order() {
  for (std::size_t i = 0; i < command_table.size(); ++i)
    if (command_table[i].id != static_cast<command_id>(i)) return false;
  return command_table.size() == static_cast<std::size_t>(command_id::start) + 1;
}
static_assert(rows_in_id_order(), "command_table: one row per command_id, in enum order");

constexpr bool names_unique() {
  for (std::size_t i = 0; i < command_table.size(); ++i)
    for (std::size_t j = i + 1; j < command_table.size(); ++j)
      if (command_table[i].name == command_table[j].name) return false;
  return true;
}
static_assert(names_unique(), "command_table: two rows share a name");

constexpr const command_spec& spec_of(command_id id) {
  return command_table[static_cast<std::size_t>(id)];
}

// The row of a command name as protocol/commands.hpp match_command gives it; nullptr if unknown.
const command_spec* find_command(std::string_view name);

}  // namespace nocturna::bot
