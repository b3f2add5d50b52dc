// JSON bodies of the Bot API calls a session makes besides sendMessage (router.hpp), with the
// bot's conventions: link previews off, HTML only when asked for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::bot {

// editMessageText; the message loses its inline keyboard unless `reply_markup` gives one.
std::string edit_text_body(std::int64_t chat_id, std::int64_t message_id, std::string_view text,
                           bool html, std::string_view reply_markup = {});
// editMessageReplyMarkup with an empty inline keyboard.
std::string clear_markup_body(std::int64_t chat_id, std::int64_t message_id);
std::string delete_message_body(std::int64_t chat_id, std::int64_t message_id);
// answerCallbackQuery; `text` shown as a toast when not empty.
std::string answer_callback_body(std::string_view callback_query_id, std::string_view text = {});
// sendPhoto by a file_id Telegram already has.
std::string send_photo_by_id_body(std::int64_t chat_id, std::string_view file_id,
                                  std::string_view caption_html, std::int64_t reply_to = 0);
// The reply_parameters object of a reply in a group (docs/behaviour.md §1.1).
std::string reply_parameters(std::int64_t message_id);
// {"remove_keyboard":true}
extern const char* const remove_keyboard;

// The file_id of the largest size in a sendPhoto result (a Message with "photo").
std::optional<std::string> parse_photo_file_id(std::string_view message_json);

}  // namespace nocturna::bot
