#include "clients/sandbox/message_json.hpp"

#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/text_util.hpp"
#include "protocol/html.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {
namespace {

void add_if(json::object& o, const char* key, const std::string& value) {
  if (!value.empty()) o.add(key, value);
}

std::string photo_json(const std::vector<photo_size>& sizes) {
  std::string out = "[";
  for (const auto& p : sizes) {
    if (out.size() > 1) out += ',';
    out += json::object()
               .add("file_id", p.file_id)
               .add("file_unique_id", p.file_unique_id)
               .add("width", p.width)
               .add("height", p.height)
               .add("file_size", p.file_size)
               .str();
  }
  return out + "]";
}

std::string location_json(const location_info& l) {
  return json::object().add("latitude", l.latitude).add("longitude", l.longitude).str();
}

// Message.reply_markup carries inline keyboards only.
bool is_inline_keyboard(const std::string& markup) {
  return markup.rfind("{\"inline_keyboard\"", 0) == 0;
}

}  // namespace

bool is_html_mode(const std::string& parse_mode) {
  return lower(parse_mode) == "html";
}

std::string user_json(const user_info& u) {
  json::object o;
  o.add("id", u.id).add("is_bot", false).add("first_name", u.first_name);
  add_if(o, "last_name", u.last_name);
  add_if(o, "username", u.username);
  add_if(o, "language_code", u.language_code);
  return o.str();
}

std::string bot_user_json(const bot_identity& b) {
  return json::object()
      .add("id", b.id)
      .add("is_bot", true)
      .add("first_name", b.first_name)
      .add("username", b.username)
      .str();
}

std::string chat_json(const chat_info& c) {
  json::object o;
  o.add("id", c.id);
  if (c.type == "private") {
    o.add("first_name", c.user.first_name);
    add_if(o, "last_name", c.user.last_name);
    add_if(o, "username", c.user.username);
  } else {
    o.add("title", c.title.empty() ? std::string("Sandbox group") : c.title);
  }
  o.add("type", c.type);
  return o.str();
}

std::string visible_text(const std::string& text, const std::string& parse_mode) {
  return is_html_mode(parse_mode) ? html::to_plain(text) : text;
}

std::string message_json(const chat_info& chat, const stored_message& m, const bot_identity& bot) {
  json::object o;
  o.add("message_id", m.message_id);
  o.add_raw("from", m.from_bot ? bot_user_json(bot) : user_json(m.from));
  o.add_raw("chat", chat_json(chat));
  o.add("date", m.date);
  if (m.edited()) o.add("edit_date", m.edit_date);
  if (m.reply_to_message_id) {
    o.add_raw("reply_to_message",
              json::object().add("message_id", *m.reply_to_message_id).add("date", m.date).str());
  }
  if (m.text) o.add("text", visible_text(*m.text, m.parse_mode));
  if (!m.entities_json.empty()) o.add_raw("entities", m.entities_json);
  if (!m.photo.empty()) o.add_raw("photo", photo_json(m.photo));
  if (m.caption) o.add("caption", visible_text(*m.caption, m.parse_mode));
  if (m.location) o.add_raw("location", location_json(*m.location));
  if (is_inline_keyboard(m.reply_markup)) o.add_raw("reply_markup", m.reply_markup);
  return o.str();
}

std::string update_json(std::int64_t update_id, const std::string& kind,
                        const std::string& object_json) {
  return json::object().add("update_id", update_id).add_raw(kind, object_json).str();
}

std::string transcript_message_json(const stored_message& m) {
  json::object o;
  o.add("message_id", m.message_id);
  o.add("from", m.from_bot ? "bot" : "user");
  o.add_raw("text", jsonu::quote_or_null(m.text));
  o.add_raw("caption", jsonu::quote_or_null(m.caption));
  const std::string* source = m.text ? &*m.text : (m.caption ? &*m.caption : nullptr);
  o.add_raw("plain", source ? jsonu::quote(visible_text(*source, m.parse_mode)) : "null");
  o.add_raw("parse_mode", m.parse_mode.empty() ? "null" : jsonu::quote(m.parse_mode));
  o.add_raw("photo_file_id", m.photo.empty() ? "null" : jsonu::quote(m.photo.back().file_id));
  o.add_raw("reply_markup", jsonu::raw_or_null(m.reply_markup));
  o.add_raw("location", m.location ? location_json(*m.location) : "null");
  o.add("edited", m.edited());
  o.add("date", m.date);
  return o.str();
}

std::string transcript_json(std::int64_t chat_id, const chat_record* chat,
                            const std::string& extra_fields) {
  std::string messages = "[";
  if (chat) {
    for (const auto& [id, m] : chat->messages) {
      if (messages.size() > 1) messages += ',';
      messages += transcript_message_json(m);
    }
  }
  messages += "]";
  json::object o;
  o.add("chat_id", chat_id);
  o.add("version", chat ? chat->version : std::int64_t{0});
  o.add_raw("messages", messages);
  std::string out = o.str();
  if (!extra_fields.empty()) out.insert(out.size() - 1, "," + extra_fields);
  return out;
}

}  // namespace nocturna::sandbox
