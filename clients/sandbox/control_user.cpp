// The control API's user side: messages, locations, edits, button presses and raw updates.
#include <httplib.h>

#include "clients/sandbox/control_handlers.hpp"
#include "clients/sandbox/entities.hpp"
#include "clients/sandbox/message_json.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::sandbox {
namespace {

// The user a control request acts as: "from" when given (missing fields defaulted), else the
// private chat's user, else id = chat id (1 in groups) and first name "Sandbox User".
user_info user_from(jsonu::element body, const chat_record* chat, std::int64_t chat_id) {
  user_info u;
  u.id = chat_id > 0 ? chat_id : 1;
  u.first_name = "Sandbox User";
  auto from = jsonu::get(body, "from");
  if (!from || !from->is_object()) {
    const bool has_user = chat && chat->info.type == "private" && chat->info.user.id != 0;
    return has_user ? chat->info.user : u;
  }
  u.id = jsonu::get_int(*from, "id").value_or(u.id);
  u.first_name = jsonu::get_string(*from, "first_name").value_or(u.first_name);
  u.last_name = jsonu::get_string(*from, "last_name").value_or("");
  u.username = jsonu::get_string(*from, "username").value_or("");
  u.language_code = jsonu::get_string(*from, "language_code").value_or("");
  return u;
}

// The chat a user message goes to, created on first use.
chat_record& user_chat(chat_world& w, jsonu::element body, std::int64_t chat_id) {
  const chat_record* existing = find_chat(w, chat_id);
  chat_info info;
  info.id = chat_id;
  info.type = jsonu::get_string(body, "chat_type")
                  .value_or(existing ? existing->info.type : default_chat_type(chat_id));
  info.title = jsonu::get_string(body, "chat_title").value_or("");
  if (info.type == "private") info.user = user_from(body, existing, chat_id);
  return ensure_chat(w, info);
}

// Stores a user message and queues its update; returns {"update_id","message_id"}.
control_reply post_user_message(sandbox_state& s, jsonu::element body, std::int64_t chat_id,
                                stored_message m) {
  return s.chats.modify([&](chat_world& w) {
    chat_record& chat = user_chat(w, body, chat_id);
    m.from = user_from(body, &chat, chat_id);
    m.date = unix_now();
    const stored_message& stored = append_message(chat, std::move(m));
    const std::string message = message_json(chat.info, stored, s.bot);
    auto update_id = s.updates.push(
        [&](std::int64_t id) { return update_json(id, "message", message); }, "message", chat_id);
    return ok_json(
        json::object().add("update_id", update_id).add("message_id", stored.message_id).str());
  });
}

bool has_button(const std::string& markup, const std::string& data) {
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (markup.empty() || !jsonu::parse(parser, markup, doc)) return false;
  auto rows = jsonu::get(doc, "inline_keyboard");
  if (!rows || !rows->is_array()) return false;
  for (auto row : rows->get_array()) {
    if (!row.is_array()) continue;
    for (auto button : row.get_array()) {
      if (jsonu::get_string(button, "callback_data") == data) return true;
    }
  }
  return false;
}

}  // namespace

control_reply send(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto chat_id = jsonu::get_int(b.doc, "chat_id");
  auto text = jsonu::get_string(b.doc, "text");
  if (!chat_id || *chat_id == 0) return fail(400, "chat_id (a non-zero integer) is required");
  if (!text || text->empty()) return fail(400, "text is required");
  if (!is_valid_utf8(*text) || utf16_length(*text) > 4096) {
    return fail(400, "text must be valid UTF-8 of at most 4096 UTF-16 units");
  }
  stored_message m;
  m.text = *text;
  m.entities_json = detect_entities(*text);
  if (auto reply_to = jsonu::get_int(b.doc, "reply_to_message_id"))
    m.reply_to_message_id = reply_to;
  return post_user_message(s, b.doc, *chat_id, std::move(m));
}

control_reply location(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto chat_id = jsonu::get_int(b.doc, "chat_id");
  auto lat = jsonu::get_number(b.doc, "latitude");
  auto lon = jsonu::get_number(b.doc, "longitude");
  if (!chat_id || *chat_id == 0) return fail(400, "chat_id (a non-zero integer) is required");
  if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
    return fail(400, "latitude (-90..90) and longitude (-180..180) are required");
  }
  stored_message m;
  m.location = location_info{*lat, *lon};
  return post_user_message(s, b.doc, *chat_id, std::move(m));
}

control_reply press(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto chat_id = jsonu::get_int(b.doc, "chat_id");
  auto message_id = jsonu::get_int(b.doc, "message_id");
  auto data = jsonu::get_string(b.doc, "data");
  if (!chat_id || !message_id || !data)
    return fail(400, "chat_id, message_id and data are required");
  const bool force = jsonu::get_bool(b.doc, "force").value_or(false);
  const bool inaccessible = jsonu::get_bool(b.doc, "inaccessible").value_or(false);
  return s.chats.modify([&](chat_world& w) {
    chat_record* chat = find_chat(w, *chat_id);
    if (!chat) return fail(404, "chat not found");
    stored_message* m = find_message(*chat, *message_id);
    if (!m || !m->from_bot) return fail(404, "no bot message with this message_id in the chat");
    if (!force && !has_button(m->reply_markup, *data)) {
      return fail(400, "the message has no inline button with this callback_data (use force)");
    }
    const std::string query_id = std::to_string(4400000000000000000LL + w.next_query++);
    w.open_queries[query_id] = *chat_id;
    const std::string message = inaccessible ? json::object()
                                                   .add_raw("chat", chat_json(chat->info))
                                                   .add("message_id", m->message_id)
                                                   .add("date", 0)
                                                   .str()
                                             : message_json(chat->info, *m, s.bot);
    const std::string query = json::object()
                                  .add("id", query_id)
                                  .add_raw("from", user_json(user_from(b.doc, chat, *chat_id)))
                                  .add_raw("message", message)
                                  .add("chat_instance", std::to_string(*chat_id * 7 + 3))
                                  .add("data", *data)
                                  .str();
    auto update_id =
        s.updates.push([&](std::int64_t id) { return update_json(id, "callback_query", query); },
                       "callback_query", *chat_id);
    return ok_json(
        json::object().add("update_id", update_id).add("callback_query_id", query_id).str());
  });
}

control_reply edit(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto chat_id = jsonu::get_int(b.doc, "chat_id");
  auto message_id = jsonu::get_int(b.doc, "message_id");
  auto text = jsonu::get_string(b.doc, "text");
  if (!chat_id || !message_id || !text || text->empty()) {
    return fail(400, "chat_id, message_id and text are required");
  }
  return s.chats.modify([&](chat_world& w) {
    chat_record* chat = find_chat(w, *chat_id);
    stored_message* m = chat ? find_message(*chat, *message_id) : nullptr;
    if (!m || m->from_bot || !m->text) return fail(404, "no user text message with this id");
    m->text = *text;
    m->entities_json = detect_entities(*text);
    m->edit_date = unix_now();
    ++chat->version;
    const std::string message = message_json(chat->info, *m, s.bot);
    auto update_id =
        s.updates.push([&](std::int64_t id) { return update_json(id, "edited_message", message); },
                       "edited_message", *chat_id);
    return ok_json(json::object().add("update_id", update_id).str());
  });
}

control_reply raw(sandbox_state& s, const httplib::Request& req) {
  const update_facts facts = inspect_update(req.body);
  return s.chats.modify([&](chat_world& w) {
    if (facts.chat_id && *facts.chat_id != 0) {
      chat_info info{*facts.chat_id,
                     facts.chat_type.empty() ? default_chat_type(*facts.chat_id) : facts.chat_type,
                     facts.chat_title,
                     {}};
      if (info.type == "private") {
        info.user.id = *facts.chat_id;
        info.user.first_name = facts.chat_first_name;
      }
      if (!find_chat(w, info.id)) ensure_chat(w, info);
    }
    return ok_json(json::object().add("update_id", s.updates.push_raw(req.body)).str());
  });
}

}  // namespace nocturna::sandbox
