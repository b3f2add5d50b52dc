// Recognising commands as Telegram does (docs/behaviour.md §1.2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "protocol/bot_types.hpp"

namespace nocturna::bot {

struct command {
  std::string name;  // lower-case, without '/' and '@suffix'
  std::string args;  // the rest of the text, trimmed
};

enum class command_match { none, ours, other_bot };

// A message is a command when its text starts with a bot_command entity at offset 0. A command
// with an @suffix that is not `bot_username` (case-insensitive) is other_bot and must be ignored.
command_match match_command(const message& m, std::string_view bot_username, command* out);

}  // namespace nocturna::bot
