// How the sender treats each Bot API method (telegram.md §6.2, §6.3).
#pragma once

#include <chrono>
#include <string_view>

namespace nocturna::bot {

// sendMessage, sendPhoto, editMessage*: take per-chat (and per-group) tokens besides the overall.
bool counts_per_chat(std::string_view method);

// answerCallbackQuery and sendChatAction do not change message order: they skip the chat's FIFO.
bool skips_chat_fifo(std::string_view method);

// Safe to repeat after a read timeout: edit*, deleteMessage, answerCallbackQuery,
// sendChatAction, set*, get*. Never sendMessage/sendPhoto (they may have been delivered).
bool is_idempotent(std::string_view method);

// The per-call deadline: 60 s for sendPhoto, 30 s for everything else.
std::chrono::milliseconds default_deadline(std::string_view method);

}  // namespace nocturna::bot
