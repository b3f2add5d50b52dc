// The subset of Bot API types the bot reads (Update and what it contains), parsed with simdjson.
// Unknown fields are ignored; ids are int64 everywhere (docs/telegram.md §1). Members named like
// their types spell the type as bot::T (GCC rejects a member that changes the meaning of a name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::bot {

struct user {
  std::int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::string last_name;
  std::string username;
  std::string language_code;
};

struct chat {
  std::int64_t id = 0;
  std::string type;  // "private", "group", "supergroup", "channel"
  std::string title;
  std::string username;
  bool is_private() const { return type == "private"; }
};

struct message_entity {
  std::string type;         // "bot_command", "bold", ...
  std::int64_t offset = 0;  // UTF-16 units
  std::int64_t length = 0;  // UTF-16 units
};

struct location {
  double latitude = 0;
  double longitude = 0;
};

struct message {
  std::int64_t message_id = 0;
  std::int64_t date = 0;  // 0 = inaccessible message (callback queries on old messages)
  bot::chat chat;
  std::optional<user> from;
  std::optional<std::string> text;
  std::vector<message_entity> entities;
  std::optional<bot::location> location;
  std::optional<std::string> caption;
  bool has_media = false;   // photo, sticker, voice, document, ... (anything but text/location)
  bool is_service = false;  // pins, joins, title changes, ...
};

struct callback_query {
  std::string id;
  user from;
  std::optional<bot::message> message;  // absent or date==0 when inaccessible
  std::string data;
};

struct chat_member_updated {
  bot::chat chat;
  user from;
  std::string new_status;  // "member", "kicked", ...
};

// An inline query (issue 21): `@bot text` typed in any chat. It belongs to no chat.
struct inline_query {
  std::string id;
  user from;
  std::string query;
};

enum class update_kind {
  message,
  edited_message,
  callback_query,
  my_chat_member,
  inline_query,
  other
};

struct update {
  std::int64_t update_id = 0;
  update_kind kind = update_kind::other;
  std::optional<bot::message> message;  // for message and edited_message
  std::optional<bot::callback_query> callback_query;
  std::optional<chat_member_updated> my_chat_member;
  std::optional<bot::inline_query> inline_query;

  // The chat whose session handles this update; nothing for kinds without one.
  std::optional<std::int64_t> chat_id() const;
};

// Parses one Update object. On failure returns nothing and sets `error`.
std::optional<update> parse_update(std::string_view json, std::string* error = nullptr);

// One element of a getUpdates result: its raw JSON (kept as received, for the inbox) and the
// update_id when one could be read (a poison element may lack it).
struct raw_update {
  std::optional<std::int64_t> update_id;
  std::optional<std::int64_t> chat_id;  // when the element parses far enough to know it
  std::string json;
};

// Splits the `result` array of a getUpdates response into raw elements. Returns nothing when
// `result_json` is not an array.
std::optional<std::vector<raw_update>> split_updates(std::string_view result_json);

// The parts of a User object returned by getMe.
std::optional<user> parse_user(std::string_view json);

// The parts of a WebhookInfo result the bot reports.
struct webhook_info {
  std::string url;
  std::int64_t pending_update_count = 0;
  std::int64_t last_error_date = 0;
  std::string last_error_message;
};
std::optional<webhook_info> parse_webhook_info(std::string_view json);

// message_id of a Message result (sendMessage, sendPhoto, editMessageText).
std::optional<std::int64_t> parse_message_id(std::string_view json);

}  // namespace nocturna::bot
