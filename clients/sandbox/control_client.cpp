#include "clients/sandbox/control_client.hpp"

#include <httplib.h>

#include <stdexcept>

#include "clients/sandbox/json_util.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {
namespace {

struct parsed {
  simdjson::dom::parser parser;
  jsonu::element doc;
  explicit parsed(const std::string& text) {
    if (!jsonu::parse(parser, text, doc) || !doc.is_object()) {
      throw std::runtime_error("sandbox control API: unexpected answer: " + text.substr(0, 200));
    }
  }
};

std::string user_json_of(const user_info& u) {
  json::object o;
  o.add("id", u.id).add("first_name", u.first_name);
  if (!u.last_name.empty()) o.add("last_name", u.last_name);
  if (!u.username.empty()) o.add("username", u.username);
  if (!u.language_code.empty()) o.add("language_code", u.language_code);
  return o.str();
}

void add_send_options(json::object& o, const send_options& s) {
  if (s.from) o.add_raw("from", user_json_of(*s.from));
  if (!s.chat_type.empty()) o.add("chat_type", s.chat_type);
  if (!s.chat_title.empty()) o.add("chat_title", s.chat_title);
}

std::string compact_or_empty(jsonu::element obj, const char* key) {
  auto v = jsonu::get(obj, key);
  return v && !v->is_null() ? jsonu::minify(*v) : std::string();
}

transcript_message parse_message(jsonu::element m) {
  transcript_message t;
  t.message_id = jsonu::get_int(m, "message_id").value_or(0);
  t.from_bot = jsonu::get_string(m, "from") == std::optional<std::string>("bot");
  t.text = jsonu::get_string(m, "text");
  t.caption = jsonu::get_string(m, "caption");
  t.plain = jsonu::get_string(m, "plain").value_or("");
  t.parse_mode = jsonu::get_string(m, "parse_mode").value_or("");
  t.photo_file_id = jsonu::get_string(m, "photo_file_id").value_or("");
  t.reply_markup = compact_or_empty(m, "reply_markup");
  if (auto loc = jsonu::get(m, "location"); loc && loc->is_object()) {
    t.location = location_info{jsonu::get_number(*loc, "latitude").value_or(0),
                               jsonu::get_number(*loc, "longitude").value_or(0)};
  }
  t.edited = jsonu::get_bool(m, "edited").value_or(false);
  t.date = jsonu::get_int(m, "date").value_or(0);
  return t;
}

call_record parse_call(jsonu::element c) {
  call_record r;
  r.seq = jsonu::get_int(c, "seq").value_or(0);
  r.method = jsonu::get_string(c, "method").value_or("");
  r.chat_id = jsonu::get_int(c, "chat_id");
  r.params_json = compact_or_empty(c, "params");
  r.start_ms = jsonu::get_int(c, "start_ms").value_or(0);
  r.end_ms = jsonu::get_int(c, "end_ms").value_or(-1);
  r.status = static_cast<int>(jsonu::get_int(c, "status").value_or(0));
  r.description = jsonu::get_string(c, "description").value_or("");
  return r;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

std::vector<std::vector<inline_button>> transcript_message::keyboard() const {
  std::vector<std::vector<inline_button>> out;
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (reply_markup.empty() || !jsonu::parse(parser, reply_markup, doc)) return out;
  auto rows = jsonu::get(doc, "inline_keyboard");
  if (!rows || !rows->is_array()) return out;
  for (auto row : rows->get_array()) {
    if (!row.is_array()) continue;
    out.emplace_back();
    for (auto b : row.get_array()) {
      out.back().push_back(inline_button{jsonu::get_string(b, "text").value_or(""),
                                         jsonu::get_string(b, "callback_data").value_or(""),
                                         jsonu::get_string(b, "url").value_or("")});
    }
  }
  return out;
}

std::vector<std::string> transcript_message::button_data() const {
  std::vector<std::string> out;
  for (const auto& row : keyboard()) {
    for (const auto& b : row) {
      if (!b.callback_data.empty()) out.push_back(b.callback_data);
    }
  }
  return out;
}

std::vector<transcript_message> transcript::bot_messages() const {
  std::vector<transcript_message> out;
  for (const auto& m : messages) {
    if (m.from_bot) out.push_back(m);
  }
  return out;
}

std::optional<std::string> call_record::param_string(const std::string& name) const {
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (params_json.empty() || !jsonu::parse(parser, params_json, doc)) return std::nullopt;
  auto v = jsonu::get(doc, name);
  if (!v) return std::nullopt;
  std::string_view s;
  if (!v->get_string().get(s)) return std::string(s);
  return jsonu::minify(*v);
}

transcript parse_transcript(const std::string& json) {
  parsed p(json);
  transcript t;
  t.chat_id = jsonu::get_int(p.doc, "chat_id").value_or(0);
  t.version = jsonu::get_int(p.doc, "version").value_or(0);
  t.timed_out = jsonu::get_bool(p.doc, "timed_out").value_or(false);
  if (auto list = jsonu::get(p.doc, "messages"); list && list->is_array()) {
    for (auto m : list->get_array()) t.messages.push_back(parse_message(m));
  }
  return t;
}

call_page parse_calls(const std::string& json) {
  parsed p(json);
  call_page page;
  page.next = jsonu::get_int(p.doc, "next").value_or(0);
  if (auto list = jsonu::get(p.doc, "calls"); list && list->is_array()) {
    for (auto c : list->get_array()) page.calls.push_back(parse_call(c));
  }
  return page;
}

control_client::control_client(std::string base_url) : base_url_(std::move(base_url)) {
  while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string control_client::get(const std::string& path_and_query) {
  httplib::Client client(base_url_);
  client.set_read_timeout(std::chrono::seconds(150));
  auto res = client.Get(path_and_query.c_str());
  if (!res) {
    throw std::runtime_error("sandbox " + base_url_ + ": " + httplib::to_string(res.error()));
  }
  if (res->status / 100 != 2) {
    throw std::runtime_error("sandbox GET " + path_and_query + ": HTTP " +
                             std::to_string(res->status) + " " + res->body);
  }
  return res->body;
}

std::string control_client::post(const std::string& path, const std::string& json_body) {
  httplib::Client client(base_url_);
  client.set_read_timeout(std::chrono::seconds(30));
  auto res = client.Post(path.c_str(), json_body, "application/json");
  if (!res) {
    throw std::runtime_error("sandbox " + base_url_ + ": " + httplib::to_string(res.error()));
  }
  if (res->status / 100 != 2) {
    throw std::runtime_error("sandbox POST " + path + ": HTTP " + std::to_string(res->status) +
                             " " + res->body);
  }
  return res->body;
}

sent_message control_client::send(std::int64_t chat_id, const std::string& text,
                                  const send_options& o) {
  json::object body;
  body.add("chat_id", chat_id).add("text", text);
  add_send_options(body, o);
  parsed p(post("/sandbox/send", body.str()));
  return {jsonu::get_int(p.doc, "update_id").value_or(0),
          jsonu::get_int(p.doc, "message_id").value_or(0)};
}

sent_message control_client::location(std::int64_t chat_id, double latitude, double longitude,
                                      const send_options& o) {
  json::object body;
  body.add("chat_id", chat_id).add("latitude", latitude).add("longitude", longitude);
  add_send_options(body, o);
  parsed p(post("/sandbox/location", body.str()));
  return {jsonu::get_int(p.doc, "update_id").value_or(0),
          jsonu::get_int(p.doc, "message_id").value_or(0)};
}

pressed_button control_client::press(std::int64_t chat_id, std::int64_t message_id,
                                     const std::string& data, bool force) {
  json::object body;
  body.add("chat_id", chat_id).add("message_id", message_id).add("data", data).add("force", force);
  parsed p(post("/sandbox/press", body.str()));
  return {jsonu::get_int(p.doc, "update_id").value_or(0),
          jsonu::get_string(p.doc, "callback_query_id").value_or("")};
}

inline_asked control_client::inline_query(std::int64_t from_id, const std::string& query) {
  parsed p(
      post("/sandbox/inline", json::object().add("from_id", from_id).add("query", query).str()));
  return {jsonu::get_int(p.doc, "update_id").value_or(0),
          jsonu::get_string(p.doc, "inline_query_id").value_or("")};
}

inline_answer control_client::inline_answers(const std::string& inline_query_id) {
  parsed p(get("/sandbox/inline_answers?inline_query_id=" + inline_query_id));
  inline_answer a;
  a.answered = jsonu::get_bool(p.doc, "answered").value_or(false);
  if (auto r = jsonu::get(p.doc, "results")) a.results_json = jsonu::minify(*r);
  a.cache_time = jsonu::get_int(p.doc, "cache_time").value_or(0);
  a.is_personal = jsonu::get_bool(p.doc, "is_personal").value_or(false);
  return a;
}

std::int64_t control_client::edit(std::int64_t chat_id, std::int64_t message_id,
                                  const std::string& text) {
  json::object body;
  body.add("chat_id", chat_id).add("message_id", message_id).add("text", text);
  parsed p(post("/sandbox/edit", body.str()));
  return jsonu::get_int(p.doc, "update_id").value_or(0);
}

std::int64_t control_client::raw(const std::string& update_text) {
  parsed p(post("/sandbox/raw", update_text));
  return jsonu::get_int(p.doc, "update_id").value_or(0);
}

transcript control_client::get_transcript(std::int64_t chat_id) {
  return parse_transcript(get("/sandbox/transcript?chat_id=" + std::to_string(chat_id)));
}

transcript control_client::wait(std::int64_t chat_id, std::size_t bot_messages,
                                std::chrono::milliseconds timeout) {
  return parse_transcript(get("/sandbox/wait?chat_id=" + std::to_string(chat_id) +
                              "&bot_messages=" + std::to_string(bot_messages) +
                              "&timeout_ms=" + std::to_string(timeout.count())));
}

call_page control_client::calls(std::int64_t since, const std::string& method,
                                std::optional<std::int64_t> chat_id) {
  std::string path = "/sandbox/calls?since=" + std::to_string(since);
  if (!method.empty()) path += "&method=" + url_encode(method);
  if (chat_id) path += "&chat_id=" + std::to_string(*chat_id);
  return parse_calls(get(path));
}

sandbox_stats control_client::stats() {
  parsed p(get("/sandbox/stats"));
  sandbox_stats s;
  s.calls = jsonu::get_int(p.doc, "calls").value_or(0);
  s.max_in_flight = jsonu::get_int(p.doc, "max_in_flight").value_or(0);
  s.max_in_flight_per_chat = jsonu::get_int(p.doc, "max_in_flight_per_chat").value_or(0);
  s.pending_updates = jsonu::get_int(p.doc, "pending_updates").value_or(0);
  s.webhook_url = jsonu::get_string(p.doc, "webhook_url").value_or("");
  return s;
}

void control_client::add_fault(const fault& f) {
  json::object body;
  body.add("method", f.method)
      .add("count", f.count)
      .add("error_code", f.error_code)
      .add("delay_ms", f.delay_ms);
  if (!f.description.empty()) body.add("description", f.description);
  if (f.chat_id) body.add("chat_id", *f.chat_id);
  if (f.retry_after) body.add("retry_after", *f.retry_after);
  if (f.migrate_to_chat_id) body.add("migrate_to_chat_id", *f.migrate_to_chat_id);
  if (f.raw_body) body.add("raw_body", *f.raw_body);
  if (f.trickle_ms > 0) body.add("trickle_ms", f.trickle_ms);
  post("/sandbox/faults", body.str());
}

void control_client::clear_faults() {
  httplib::Client client(base_url_);
  auto res = client.Delete("/sandbox/faults");
  if (!res || res->status / 100 != 2)
    throw std::runtime_error("sandbox DELETE /sandbox/faults failed");
}

void control_client::reset() {
  post("/sandbox/reset", "{}");
}

std::string control_client::photo(const std::string& file_id) {
  return get("/sandbox/photo/" + url_encode(file_id));
}

}  // namespace nocturna::sandbox
