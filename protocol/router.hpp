// What a session answers to one update, as a pure function (bot.md §1, §4.1, §4.2): the list of
// Bot API calls to make, in order. Later issues add commands and the /natal dialogue here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/bot_types.hpp"

namespace nocturna::bot {

struct outgoing_call {
  std::string method;
  std::string json_body;
};

// Per-chat memory the router keeps between updates (rate of hints).
struct chat_memory {
  std::int64_t last_hint_ms = -1;  // when T_TEXT_HINT was last sent (ms); -1 = never
};

std::vector<outgoing_call> route_update(const update& u, std::string_view bot_username,
                                        chat_memory& memory, std::int64_t now_ms);

// sendMessage with the bot's conventions: link previews off, HTML or plain, a reply in groups.
std::string send_message_body(std::int64_t chat_id, std::string_view text, bool html,
                              std::int64_t reply_to_message_id = 0,
                              std::string_view reply_markup = {});

}  // namespace nocturna::bot
