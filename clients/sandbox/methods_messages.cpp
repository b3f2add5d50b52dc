// sendMessage, sendPhoto, the edit methods, deleteMessage and sendChatAction.
#include <algorithm>
#include <cctype>
#include <set>

#include "clients/sandbox/bot_methods.hpp"
#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/markup.hpp"
#include "clients/sandbox/message_json.hpp"
#include "protocol/html.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::sandbox {
namespace {

constexpr std::size_t max_text = 4096;
constexpr std::size_t max_caption = 1024;

const char* const chat_not_found = "Bad Request: chat not found";
const char* const edit_not_found = "Bad Request: message to edit not found";
const char* const not_modified =
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message";

// What makes a text or caption: the source as sent and its parse mode.
struct formatted {
  std::optional<std::string> source;
  std::string parse_mode;
};

bool all_space(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// Telegram's checks of a text or caption: parse mode, entities, length after entity parsing.
std::optional<std::string> check_formatted(const formatted& f, std::size_t limit, bool is_caption) {
  const std::string text = f.source.value_or("");
  const std::string mode = lower(f.parse_mode);
  if (!mode.empty() && mode != "html" && mode != "markdownv2" && mode != "markdown") {
    return std::string("Bad Request: unsupported parse_mode");
  }
  if (!is_valid_utf8(text)) return std::string("Bad Request: text must be encoded in UTF-8");
  std::size_t length = 0;
  std::string plain = text;
  if (mode == "html") {
    if (auto err = html::validate(text)) return err;
    length = html::visible_length(text);
    plain = html::to_plain(text);
  } else {
    length = utf16_length(text);
  }
  if (!is_caption && (length == 0 || all_space(plain))) {
    return std::string("Bad Request: message text is empty");
  }
  if (length > limit) {
    return std::string(is_caption ? "Bad Request: message caption is too long"
                                  : "Bad Request: message is too long");
  }
  return std::nullopt;
}

formatted text_of(const param_map& p, const char* field) {
  return formatted{string_param(p, field), string_param(p, "parse_mode").value_or("")};
}

// The reply_markup parameter checked and normalised ("" when absent).
markup_result markup_of(const param_map& p, bool inline_only) {
  if (!find_param(p, "reply_markup")) return {};
  auto json = json_param(p, "reply_markup");
  if (!json) return {"", "Bad Request: can't parse reply keyboard markup JSON object"};
  return check_reply_markup(*json, inline_only);
}

// The chat a call addresses: an integer id, or "@username" of a private chat's user. Groups
// (negative ids) exist as soon as the bot writes to them; private chats only once a user wrote.
chat_record* resolve_chat(chat_world& w, const param_map& p) {
  if (auto id = int_param(p, "chat_id")) {
    if (chat_record* c = find_chat(w, *id)) return c;
    if (*id < 0) return &ensure_chat(w, chat_info{*id, default_chat_type(*id), "", {}});
    return nullptr;
  }
  const std::string name = string_param(p, "chat_id").value_or("");
  if (name.size() < 2 || name[0] != '@') return nullptr;
  for (auto& [id, c] : w.chats) {
    if (lower(c.info.user.username) == lower(name.substr(1))) return &c;
  }
  return nullptr;
}

std::optional<std::int64_t> reply_target(const param_map& p, bool& allow_missing) {
  allow_missing = false;
  auto json = json_param(p, "reply_parameters");
  if (!json) return std::nullopt;
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (!jsonu::parse(parser, *json, doc)) return std::nullopt;
  allow_missing = jsonu::get_bool(doc, "allow_sending_without_reply").value_or(false);
  return jsonu::get_int(doc, "message_id");
}

// Stores a new bot message in the addressed chat and returns the Message.
api_reply post_bot_message(sandbox_state& s, const param_map& p, stored_message m) {
  bool allow_missing = false;
  auto reply_to = reply_target(p, allow_missing);
  return s.chats.modify([&](chat_world& w) {
    chat_record* chat = resolve_chat(w, p);
    if (!chat) return bad_request(chat_not_found);
    if (reply_to && !find_message(*chat, *reply_to)) {
      if (!allow_missing) return bad_request("Bad Request: message to be replied not found");
      reply_to.reset();
    }
    m.from_bot = true;
    m.date = unix_now();
    m.reply_to_message_id = reply_to;
    const stored_message& stored = append_message(*chat, std::move(m));
    return api_ok(message_json(chat->info, stored, s.bot));
  });
}

// The photo sizes of the `photo` parameter: an uploaded file, "attach://name" or a file_id.
std::optional<std::vector<photo_size>> photo_of(sandbox_state& s, const param_map& p,
                                                std::string& error) {
  const param_value* v = find_param(p, "photo");
  if (v && v->k != param_value::kind::file) {
    const std::string id = as_string(*v).value_or("");
    if (id.rfind("attach://", 0) == 0) {
      v = find_param(p, id.substr(9));
    } else {
      if (auto sizes = s.photos.sizes_of(id)) return sizes;
      error = "Bad Request: wrong file identifier/HTTP URL specified";
      return std::nullopt;
    }
  }
  if (!v || v->k != param_value::kind::file) {
    error = "Bad Request: there is no photo in the request";
    return std::nullopt;
  }
  const auto info = sniff_image(v->data);
  if (auto err = check_photo(v->data, info)) {
    error = *err;
    return std::nullopt;
  }
  return s.photos.add(v->data, *info);
}

// The message an edit method addresses, or the error to answer.
struct edit_target {
  chat_record* chat = nullptr;
  stored_message* message = nullptr;
  std::optional<api_reply> error;
};

std::optional<api_reply> check_edit_ids(const param_map& p) {
  if (find_param(p, "inline_message_id")) {
    return bad_request("Bad Request: inline messages are not supported by the sandbox");
  }
  if (!find_param(p, "chat_id")) return bad_request("Bad Request: chat_id is empty");
  if (!int_param(p, "message_id")) {
    return bad_request("Bad Request: message identifier is not specified");
  }
  return std::nullopt;
}

edit_target find_edit_target(chat_world& w, const param_map& p) {
  edit_target t;
  t.chat = resolve_chat(w, p);
  if (!t.chat) {
    t.error = bad_request(chat_not_found);
    return t;
  }
  t.message = find_message(*t.chat, int_param(p, "message_id").value_or(0));
  if (!t.message) {
    t.error = bad_request(edit_not_found);
  } else if (!t.message->from_bot) {
    t.error = bad_request("Bad Request: message can't be edited");
  }
  return t;
}

// Applies `change` to the addressed bot message under the lock; `change` returns an error or
// nothing after updating the message in place.
template <class Change>
api_reply edit_bot_message(sandbox_state& s, const param_map& p, Change&& change) {
  if (auto err = check_edit_ids(p)) return *err;
  return s.chats.modify([&](chat_world& w) {
    edit_target t = find_edit_target(w, p);
    if (t.error) return *t.error;
    stored_message updated = *t.message;
    if (auto err = change(updated)) return bad_request(*err);
    updated.edit_date = unix_now();
    *t.message = std::move(updated);
    ++t.chat->version;
    return api_ok(message_json(t.chat->info, *t.message, s.bot));
  });
}

bool same_content(const stored_message& a, const stored_message& b) {
  return a.text == b.text && a.caption == b.caption && lower(a.parse_mode) == lower(b.parse_mode) &&
         a.reply_markup == b.reply_markup;
}

const std::set<std::string>& chat_actions() {
  static const std::set<std::string> actions = {
      "typing",        "upload_photo",      "record_video",     "upload_video",
      "record_voice",  "upload_voice",      "upload_document",  "choose_sticker",
      "find_location", "record_video_note", "upload_video_note"};
  return actions;
}

}  // namespace

api_reply send_message(sandbox_state& s, const param_map& p) {
  const formatted text = text_of(p, "text");
  if (auto err = check_formatted(text, max_text, false)) return bad_request(*err);
  const markup_result markup = markup_of(p, false);
  if (markup.error) return bad_request(*markup.error);
  stored_message m;
  m.text = text.source;
  m.parse_mode = text.parse_mode;
  m.reply_markup = markup.json;
  return post_bot_message(s, p, std::move(m));
}

api_reply send_photo(sandbox_state& s, const param_map& p) {
  const formatted caption = text_of(p, "caption");
  if (auto err = check_formatted(caption, max_caption, true)) return bad_request(*err);
  const markup_result markup = markup_of(p, false);
  if (markup.error) return bad_request(*markup.error);
  std::string error;
  auto sizes = photo_of(s, p, error);
  if (!sizes) return bad_request(error);
  stored_message m;
  m.photo = std::move(*sizes);
  if (caption.source && !caption.source->empty()) m.caption = caption.source;
  m.parse_mode = caption.parse_mode;
  m.reply_markup = markup.json;
  return post_bot_message(s, p, std::move(m));
}

api_reply edit_message_text(sandbox_state& s, const param_map& p) {
  const formatted text = text_of(p, "text");
  if (auto err = check_formatted(text, max_text, false)) return bad_request(*err);
  const markup_result markup = markup_of(p, true);
  if (markup.error) return bad_request(*markup.error);
  return edit_bot_message(s, p, [&](stored_message& m) -> std::optional<std::string> {
    if (!m.text) return std::string("Bad Request: there is no text in the message to edit");
    stored_message before = m;
    m.text = text.source;
    m.parse_mode = text.parse_mode;
    m.reply_markup = markup.json;  // an edit without reply_markup removes the inline keyboard
    if (same_content(before, m)) return std::string(not_modified);
    return std::nullopt;
  });
}

api_reply edit_message_caption(sandbox_state& s, const param_map& p) {
  const formatted caption = text_of(p, "caption");
  if (auto err = check_formatted(caption, max_caption, true)) return bad_request(*err);
  const markup_result markup = markup_of(p, true);
  if (markup.error) return bad_request(*markup.error);
  return edit_bot_message(s, p, [&](stored_message& m) -> std::optional<std::string> {
    if (m.photo.empty())
      return std::string("Bad Request: there is no caption in the message to edit");
    stored_message before = m;
    m.caption = caption.source && !caption.source->empty() ? caption.source : std::nullopt;
    m.parse_mode = caption.parse_mode;
    m.reply_markup = markup.json;
    if (same_content(before, m)) return std::string(not_modified);
    return std::nullopt;
  });
}

api_reply edit_message_reply_markup(sandbox_state& s, const param_map& p) {
  const markup_result markup = markup_of(p, true);
  if (markup.error) return bad_request(*markup.error);
  return edit_bot_message(s, p, [&](stored_message& m) -> std::optional<std::string> {
    if (m.reply_markup == markup.json) return std::string(not_modified);
    m.reply_markup = markup.json;
    return std::nullopt;
  });
}

api_reply delete_message(sandbox_state& s, const param_map& p) {
  const std::int64_t message_id = int_param(p, "message_id").value_or(0);
  return s.chats.modify([&](chat_world& w) {
    chat_record* chat = resolve_chat(w, p);
    if (!chat) return bad_request(chat_not_found);
    if (chat->messages.erase(message_id) == 0) {
      return bad_request("Bad Request: message to delete not found");
    }
    ++chat->version;
    return api_ok("true");
  });
}

api_reply send_chat_action(sandbox_state& s, const param_map& p) {
  if (!chat_actions().count(string_param(p, "action").value_or(""))) {
    return bad_request("Bad Request: wrong parameter action in request");
  }
  const bool found = s.chats.modify([&](chat_world& w) { return resolve_chat(w, p) != nullptr; });
  return found ? api_ok("true") : bad_request(chat_not_found);
}

}  // namespace nocturna::sandbox
