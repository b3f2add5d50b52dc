// The entities Telegram detects in a user's plain text. Only bot_command is needed by the bot.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::sandbox {

// A JSON array of the bot_command entities in `text` ("/cmd" or "/cmd@bot" at a word start),
// offsets and lengths in UTF-16 code units; "" when there is none.
std::string detect_entities(std::string_view text);

}  // namespace nocturna::sandbox
