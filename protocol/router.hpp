// What a session answers to one update, as a pure function (docs/behaviour.md §1, §4.1, §4.2): the
// list of Bot API calls to make, in order. The commands with more work to do are run by the
// session.
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

// The quick replies to a message: /start, /help, an unknown command, a private-only command in a
// group (protocol/command_table.hpp), the hint to a plain private text. Callback queries never come
// here: the session answers every press itself (actors/session.cpp run_callback).
std::vector<outgoing_call> route_message(const message& m, std::string_view bot_username,
                                         chat_memory& memory, std::int64_t now_ms);

// sendMessage with the bot's conventions: link previews off, HTML or plain, a reply in groups.
std::string send_message_body(std::int64_t chat_id, std::string_view text, bool html,
                              std::int64_t reply_to_message_id = 0,
                              std::string_view reply_markup = {});

}  // namespace nocturna::bot
