#include "protocol/call_bodies.hpp"

#include <simdjson.h>

#include "protocol/json_writer.hpp"

namespace nocturna::bot {

const char* const remove_keyboard = R"({"remove_keyboard":true})";

std::string reply_parameters(std::int64_t message_id) {
  return json::object()
      .add("message_id", message_id)
      .add("allow_sending_without_reply", true)
      .str();
}

std::string edit_text_body(std::int64_t chat_id, std::int64_t message_id, std::string_view text,
                           bool html, std::string_view reply_markup) {
  json::object body;
  body.add("chat_id", chat_id).add("message_id", message_id).add("text", text);
  if (html) body.add("parse_mode", "HTML");
  body.add_raw("link_preview_options", R"({"is_disabled":true})");
  if (!reply_markup.empty()) body.add_raw("reply_markup", reply_markup);
  return body.str();
}

std::string clear_markup_body(std::int64_t chat_id, std::int64_t message_id) {
  return json::object()
      .add("chat_id", chat_id)
      .add("message_id", message_id)
      .add_raw("reply_markup", R"({"inline_keyboard":[]})")
      .str();
}

std::string delete_message_body(std::int64_t chat_id, std::int64_t message_id) {
  return json::object().add("chat_id", chat_id).add("message_id", message_id).str();
}

std::string answer_callback_body(std::string_view callback_query_id, std::string_view text) {
  json::object body;
  body.add("callback_query_id", callback_query_id);
  if (!text.empty()) body.add("text", text);
  return body.str();
}

std::string send_photo_by_id_body(std::int64_t chat_id, std::string_view file_id,
                                  std::string_view caption_html, std::int64_t reply_to) {
  json::object body;
  body.add("chat_id", chat_id).add("photo", file_id).add("caption", caption_html);
  body.add("parse_mode", "HTML");
  if (reply_to != 0) body.add_raw("reply_parameters", reply_parameters(reply_to));
  return body.str();
}

std::optional<std::string> parse_photo_file_id(std::string_view message_json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(message_json.data(), message_json.size()).get(doc)) return std::nullopt;
  simdjson::dom::array sizes;
  if (doc["photo"].get_array().get(sizes)) return std::nullopt;
  std::optional<std::string> largest;
  for (auto size : sizes) {  // Telegram lists the sizes smallest first
    std::string_view id;
    if (!size["file_id"].get_string().get(id)) largest = std::string(id);
  }
  return largest;
}

}  // namespace nocturna::bot
