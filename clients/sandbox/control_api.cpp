#include "clients/sandbox/control_api.hpp"

#include <httplib.h>

#include <functional>

#include "clients/sandbox/entities.hpp"
#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/message_json.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::sandbox {
namespace {

struct control_reply {
  int status = 200;
  std::string body;
};

control_reply ok_json(std::string body) { return {200, std::move(body)}; }

control_reply fail(int status, const std::string& error) {
  return {status, json::object().add("ok", false).add("error", error).str()};
}

// A JSON request body, parsed; `error` set when it is not a JSON object.
struct json_body {
  simdjson::dom::parser parser;
  jsonu::element doc;
  bool ok = false;
  explicit json_body(const std::string& text) {
    ok = jsonu::parse(parser, text.empty() ? "{}" : text, doc) && doc.is_object();
  }
};

std::optional<std::int64_t> query_int(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  const std::string v = req.get_param_value(name);
  try {
    std::size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size()) return std::nullopt;
    return n;
  } catch (...) {
    return std::nullopt;
  }
}

// The user a control request acts as: "from" when given, else the chat's user (private chats) or
// a default user.
user_info user_from(jsonu::element body, const chat_record* chat, std::int64_t chat_id) {
  user_info u;
  if (chat && chat->info.type == "private" && chat->info.user.id != 0) u = chat->info.user;
  if (u.id == 0) {
    u.id = chat_id > 0 ? chat_id : 1;
    u.first_name = "Sandbox User";
  }
  if (auto from = jsonu::get(body, "from"); from && from->is_object()) {
    u.id = jsonu::get_int(*from, "id").value_or(u.id);
    u.first_name = jsonu::get_string(*from, "first_name").value_or(u.first_name);
    u.last_name = jsonu::get_string(*from, "last_name").value_or(u.last_name);
    u.username = jsonu::get_string(*from, "username").value_or(u.username);
    u.language_code = jsonu::get_string(*from, "language_code").value_or(u.language_code);
  }
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
  if (auto reply_to = jsonu::get_int(b.doc, "reply_to_message_id")) m.reply_to_message_id = reply_to;
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

control_reply press(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto chat_id = jsonu::get_int(b.doc, "chat_id");
  auto message_id = jsonu::get_int(b.doc, "message_id");
  auto data = jsonu::get_string(b.doc, "data");
  if (!chat_id || !message_id || !data) return fail(400, "chat_id, message_id and data are required");
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
    const std::string message =
        inaccessible ? json::object()
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
    auto update_id = s.updates.push(
        [&](std::int64_t id) { return update_json(id, "callback_query", query); },
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
    auto update_id = s.updates.push(
        [&](std::int64_t id) { return update_json(id, "edited_message", message); },
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

control_reply transcript(sandbox_state& s, const httplib::Request& req) {
  auto chat_id = query_int(req, "chat_id");
  if (!chat_id) return fail(400, "chat_id is required");
  return s.chats.read([&](const chat_world& w) {
    return ok_json(transcript_json(*chat_id, find_chat(w, *chat_id)));
  });
}

control_reply wait(sandbox_state& s, const httplib::Request& req) {
  auto chat_id = query_int(req, "chat_id");
  if (!chat_id) return fail(400, "chat_id is required");
  const auto wanted = static_cast<std::size_t>(std::max<std::int64_t>(0, query_int(req, "bot_messages").value_or(1)));
  const auto timeout = std::clamp<std::int64_t>(query_int(req, "timeout_ms").value_or(5000), 0, 120000);
  auto enough = [&](const chat_world& w) {
    auto it = w.chats.find(*chat_id);
    return it != w.chats.end() && bot_message_count(it->second) >= wanted;
  };
  const bool done = s.chats.wait_for(enough, std::chrono::milliseconds(timeout));
  return s.chats.read([&](const chat_world& w) {
    return ok_json(transcript_json(*chat_id, find_chat(w, *chat_id),
                                   std::string("\"timed_out\":") + (done ? "false" : "true")));
  });
}

control_reply calls(sandbox_state& s, const httplib::Request& req) {
  return ok_json(s.calls.calls_json(query_int(req, "since").value_or(0),
                                    req.get_param_value("method"), query_int(req, "chat_id")));
}

control_reply stats(sandbox_state& s, const httplib::Request&) {
  const call_stats c = s.calls.stats();
  return ok_json(json::object()
                     .add("calls", c.calls)
                     .add("max_in_flight", c.max_in_flight)
                     .add("max_in_flight_per_chat", c.max_in_flight_per_chat)
                     .add("pending_updates", static_cast<std::int64_t>(s.updates.pending()))
                     .add("webhook_url", s.updates.info().url)
                     .add("faults", static_cast<std::int64_t>(s.faults.size()))
                     .str());
}

control_reply add_fault(sandbox_state& s, const httplib::Request& req) {
  std::string error;
  auto f = parse_fault(req.body.empty() ? "{}" : req.body, error);
  if (!f) return fail(400, error);
  s.faults.add(*f);
  return ok_json(json::object().add("ok", true).add("faults", static_cast<std::int64_t>(s.faults.size())).str());
}

control_reply clear_faults(sandbox_state& s, const httplib::Request&) {
  s.faults.clear();
  return ok_json("{\"ok\":true}");
}

control_reply reset(sandbox_state& s, const httplib::Request&) {
  s.chats.reset();
  s.updates.reset();
  s.calls.reset();
  s.faults.clear();
  s.limits.reset();
  return ok_json("{\"ok\":true}");
}

control_reply chats(sandbox_state& s, const httplib::Request&) {
  return s.chats.read([&](const chat_world& w) {
    std::string list = "[";
    for (const auto& [id, c] : w.chats) {
      if (list.size() > 1) list += ',';
      list += json::object()
                  .add("chat_id", id)
                  .add("type", c.info.type)
                  .add("title", c.info.type == "private" ? c.info.user.first_name : c.info.title)
                  .add("messages", static_cast<std::int64_t>(c.messages.size()))
                  .add("version", c.version)
                  .str();
    }
    return ok_json("{\"chats\":" + list + "]}");
  });
}

control_reply commands(sandbox_state& s, const httplib::Request&) {
  return ok_json("{\"commands\":" + s.commands_json() + "}");
}

using control_handler = std::function<control_reply(sandbox_state&, const httplib::Request&)>;

httplib::Server::Handler wrap(sandbox_state& s, control_handler h) {
  return [&s, h](const httplib::Request& req, httplib::Response& res) {
    control_reply r = h(s, req);
    res.status = r.status;
    res.set_content(r.body, "application/json");
  };
}

void serve_photo(sandbox_state& s, const httplib::Request& req, httplib::Response& res) {
  auto photo = s.photos.bytes_of(req.matches[1]);
  if (!photo) {
    res.status = 404;
    res.set_content(fail(404, "unknown file_id").body, "application/json");
    return;
  }
  res.set_header("Cache-Control", "max-age=86400");
  res.set_content(photo->first, photo->second.c_str());
}

}  // namespace

void register_control_api(httplib::Server& server, sandbox_state& s) {
  server.Post("/sandbox/send", wrap(s, send));
  server.Post("/sandbox/press", wrap(s, press));
  server.Post("/sandbox/location", wrap(s, location));
  server.Post("/sandbox/edit", wrap(s, edit));
  server.Post("/sandbox/raw", wrap(s, raw));
  server.Get("/sandbox/transcript", wrap(s, transcript));
  server.Get("/sandbox/wait", wrap(s, wait));
  server.Get("/sandbox/calls", wrap(s, calls));
  server.Get("/sandbox/stats", wrap(s, stats));
  server.Get("/sandbox/chats", wrap(s, chats));
  server.Get("/sandbox/commands", wrap(s, commands));
  server.Post("/sandbox/faults", wrap(s, add_fault));
  server.Delete("/sandbox/faults", wrap(s, clear_faults));
  server.Post("/sandbox/reset", wrap(s, reset));
  server.Get(R"(/sandbox/photo/([A-Za-z0-9_\-]+))",
             [&s](const httplib::Request& req, httplib::Response& res) { serve_photo(s, req, res); });
}

}  // namespace nocturna::sandbox
