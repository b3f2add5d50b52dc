// How the sender treats each Bot API method (docs/telegram.md §6.2, §6.3).
#pragma once

#include <chrono>
#include <string_view>

namespace nocturna::bot {

// sendMessage, sendPhoto, editMessage*: take per-chat (and per-group) tokens besides the overall.
bool counts_per_chat(std::string_view method);

// answerCallbackQuery does not change message order: it skips the chat's FIFO, so a pressed
// button stops spinning even while the chat's replies wait for their limits. sendChatAction keeps
// its place in the FIFO: one in flight beside the reply could reach Telegram after it and show
// "typing…" under the answer for 5 s.
bool skips_chat_fifo(std::string_view method);

// Safe to repeat after a read timeout: edit*, deleteMessage, answerCallbackQuery,
// sendChatAction, set*, get*. Never sendMessage/sendPhoto (they may have been delivered).
bool is_idempotent(std::string_view method);

// The per-call deadline: 60 s for sendPhoto, 30 s for everything else.
std::chrono::milliseconds default_deadline(std::string_view method);

}  // namespace nocturna::bot
