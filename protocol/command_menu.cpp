#include "protocol/command_menu.hpp"

#include <utility>

#include "protocol/json_writer.hpp"

namespace nocturna::bot {
namespace {

using entry = std::pair<const char*, const char*>;

const std::vector<entry> private_menu = {
    {"transit", "Текущая карта транзитов"},
    {"transit_planets", "Позиции планет сейчас"},
    {"transit_aspects", "Аспекты планет сейчас"},
    {"moon", "Лунный календарь"},
    {"natal", "Настроить натальную карту"},
    {"my_natal", "Моя натальная карта"},
    {"my_transit", "Мои персональные транзиты"},
    {"compat", "Совместимость с партнёром"},
    {"subscribe", "Ежедневный прогноз"},
    {"unsubscribe", "Отключить ежедневный прогноз"},
    {"settings", "Система домов"},
    {"profile", "Мои данные"},
    {"clear_profile", "Удалить мои данные"},
    {"help", "Справка"},
    {"cancel", "Отменить настройку"},
};

const std::vector<const char*> group_commands = {"transit", "transit_planets", "transit_aspects",
                                                 "moon", "help"};

std::string commands_json(const std::vector<entry>& entries) {
  std::string out = "[";
  for (const auto& [name, description] : entries) {
    if (out.size() > 1) out += ',';
    out += json::object().add("command", name).add("description", description).str();
  }
  return out + "]";
}

}  // namespace

std::vector<std::string> command_menu_bodies() {
  std::vector<entry> group;
  for (const auto* name : group_commands)
    for (const auto& e : private_menu)
      if (std::string(e.first) == name) group.push_back(e);
  return {
      json::object().add_raw("commands", commands_json(private_menu)).str(),
      json::object()
          .add_raw("commands", commands_json(group))
          .add_raw("scope", R"({"type":"all_group_chats"})")
          .str(),
  };
}

}  // namespace nocturna::bot
