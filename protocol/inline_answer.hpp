// The answer to an inline query (issue 21): article cards whose message is a report text, fitted
// into input_message_content's 4,096 characters, as the answerInlineQuery body. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::bot {

struct inline_card {
  std::string id;           // "sky", "moon", "forecast"
  std::string title;        // «Небо сейчас»
  std::string description;  // one line under the title [plain]
  std::string text_html;    // the message the card sends
};

// Telegram's limit of message_text (characters after entities parsing).
constexpr std::size_t inline_text_limit = 4096;
// How long Telegram may serve the answer from its cache (seconds): the sky changes by the minute.
constexpr int inline_cache_time_s = 30;

// `html` as is when it fits `limit` visible characters; else its first paragraphs (split at blank
// lines) that fit with «…» and a link to the bot (https://t.me/<bot_username>) after them.
std::string fit_inline_text(const std::string& html, std::string_view bot_username,
                            std::size_t limit = inline_text_limit);

// {"inline_query_id":…,"results":[article…],"cache_time":…,"is_personal":…}; each article's
// message is HTML without link previews.
std::string answer_inline_query_body(std::string_view query_id,
                                     const std::vector<inline_card>& cards, int cache_time,
                                     bool is_personal);

}  // namespace nocturna::bot
