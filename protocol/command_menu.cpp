#include "protocol/command_menu.hpp"

#include "protocol/command_table.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::bot {
namespace {

// The table's menu rows (those of the group menu only when `groups`), in table order.
std::string commands_json(bool groups) {
  std::string out = "[";
  for (const auto& spec : command_table) {
    if (spec.menu_text.empty() || (groups && !spec.in_group_menu)) continue;
    if (out.size() > 1) out += ',';
    out += json::object().add("command", spec.name).add("description", spec.menu_text).str();
  }
  return out + "]";
}

}  // namespace

std::vector<std::string> command_menu_bodies() {
  return {
      json::object().add_raw("commands", commands_json(false)).str(),
      json::object()
          .add_raw("commands", commands_json(true))
          .add_raw("scope", R"({"type":"all_group_chats"})")
          .str(),
  };
}

}  // namespace nocturna::bot
