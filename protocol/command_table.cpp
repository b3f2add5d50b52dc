#include "protocol/command_table.hpp"

namespace nocturna::bot {

const command_spec* find_command(std::string_view name) {
  for (const auto& spec : command_table)
    if (spec.name == name) return &spec;
  return nullptr;
}

}  // namespace nocturna::bot
