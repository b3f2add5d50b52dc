// The command menu of docs/behaviour.md §6: the bodies of the two setMyCommands calls made at
// start-up.
#pragma once

#include <string>
#include <vector>

namespace nocturna::bot {

// Default scope (every command), then all group chats (the sky commands and /help).
std::vector<std::string> command_menu_bodies();

}  // namespace nocturna::bot
