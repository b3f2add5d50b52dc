// Reading Bot API objects with simdjson's DOM API. Every function here is total: hostile or huge
// input yields nothing (with an error where the interface has one), never a crash or an exception.
#include <simdjson.h>

#include <array>
#include <string>

#include "protocol/bot_types.hpp"

namespace nocturna::bot {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::size_t max_document = 64u << 20;  // far above any real getUpdates batch

// One parser per thread: parse calls may come from any actor thread. An element obtained from it
// is valid only until the next parse on the same thread.
simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser(max_document);
  return parser;
}

bool parse_document(std::string_view json, element& out, std::string* error) {
  if (json.size() > max_document) {
    if (error) *error = "JSON document too large";
    return false;
  }
  auto err = thread_parser().parse(json.data(), json.size()).get(out);
  if (err) {
    if (error) *error = std::string("invalid JSON: ") + simdjson::error_message(err);
    return false;
  }
  return true;
}

enum class got { absent, ok, bad };

// A field's element; null counts as absent.
got field(object o, std::string_view key, element& out) {
  if (o.at_key(key).get(out)) return got::absent;
  if (out.is_null()) return got::absent;
  return got::ok;
}

got field_i64(object o, std::string_view key, std::int64_t& out) {
  element e;
  const got g = field(o, key, e);
  if (g != got::ok) return g;
  if (e.get(out)) return got::bad;
  return got::ok;
}

got field_str(object o, std::string_view key, std::string& out) {
  element e;
  const got g = field(o, key, e);
  if (g != got::ok) return g;
  std::string_view sv;
  if (e.get(sv)) return got::bad;
  out.assign(sv.data(), sv.size());
  return got::ok;
}

got field_bool(object o, std::string_view key, bool& out) {
  element e;
  const got g = field(o, key, e);
  if (g != got::ok) return g;
  if (e.get(out)) return got::bad;
  return got::ok;
}

got field_double(object o, std::string_view key, double& out) {
  element e;
  const got g = field(o, key, e);
  if (g != got::ok) return g;
  if (e.get(out)) return got::bad;
  return got::ok;
}

got field_obj(object o, std::string_view key, object& out) {
  element e;
  const got g = field(o, key, e);
  if (g != got::ok) return g;
  if (e.get(out)) return got::bad;
  return got::ok;
}

bool has_key(object o, std::string_view key) {
  element e;
  return field(o, key, e) == got::ok;
}

struct reader {
  std::string error;

  bool fail(std::string_view where, std::string_view what) {
    if (error.empty()) {
      error.assign(where);
      error += ": ";
      error += what;
    }
    return false;
  }

  bool req_i64(object o, std::string_view where, std::string_view key, std::int64_t& out) {
    switch (field_i64(o, key, out)) {
      case got::ok:
        return true;
      case got::absent:
        return fail(where, std::string(key) + " missing");
      default:
        return fail(where, std::string(key) + " is not a 64-bit integer");
    }
  }
  bool opt_i64(object o, std::string_view where, std::string_view key, std::int64_t& out) {
    if (field_i64(o, key, out) == got::bad) {
      return fail(where, std::string(key) + " is not a 64-bit integer");
    }
    return true;
  }
  bool opt_str(object o, std::string_view where, std::string_view key, std::string& out) {
    if (field_str(o, key, out) == got::bad)
      return fail(where, std::string(key) + " is not a string");
    return true;
  }
  bool req_str(object o, std::string_view where, std::string_view key, std::string& out) {
    switch (field_str(o, key, out)) {
      case got::ok:
        return true;
      case got::absent:
        return fail(where, std::string(key) + " missing");
      default:
        return fail(where, std::string(key) + " is not a string");
    }
  }
  bool opt_bool(object o, std::string_view where, std::string_view key, bool& out) {
    if (field_bool(o, key, out) == got::bad)
      return fail(where, std::string(key) + " is not a boolean");
    return true;
  }
  bool req_obj(object o, std::string_view where, std::string_view key, object& out) {
    switch (field_obj(o, key, out)) {
      case got::ok:
        return true;
      case got::absent:
        return fail(where, std::string(key) + " missing");
      default:
        return fail(where, std::string(key) + " is not an object");
    }
  }

  bool read_user(object o, std::string_view where, user& u) {
    return req_i64(o, where, "id", u.id) && opt_bool(o, where, "is_bot", u.is_bot) &&
           opt_str(o, where, "first_name", u.first_name) &&
           opt_str(o, where, "last_name", u.last_name) &&
           opt_str(o, where, "username", u.username) &&
           opt_str(o, where, "language_code", u.language_code);
  }

  bool read_chat(object o, std::string_view where, chat& c) {
    return req_i64(o, where, "id", c.id) && opt_str(o, where, "type", c.type) &&
           opt_str(o, where, "title", c.title) && opt_str(o, where, "username", c.username);
  }

  bool read_location(object o, std::string_view where, location& l) {
    if (field_double(o, "latitude", l.latitude) != got::ok) return fail(where, "bad latitude");
    if (field_double(o, "longitude", l.longitude) != got::ok) return fail(where, "bad longitude");
    return true;
  }

  bool read_entities(object o, std::string_view where, std::vector<message_entity>& out) {
    element e;
    if (field(o, "entities", e) != got::ok) return true;
    array arr;
    if (e.get(arr)) return fail(where, "entities is not an array");
    for (element item : arr) {
      object eo;
      if (item.get(eo)) return fail(where, "entity is not an object");
      message_entity me;
      if (!req_str(eo, "entity", "type", me.type) || !req_i64(eo, "entity", "offset", me.offset) ||
          !req_i64(eo, "entity", "length", me.length)) {
        return false;
      }
      if (me.offset < 0 || me.length < 0) return fail(where, "negative entity offset or length");
      out.push_back(std::move(me));
    }
    return true;
  }

  bool read_message(object o, std::string_view where, message& m) {
    if (!req_i64(o, where, "message_id", m.message_id) || !opt_i64(o, where, "date", m.date)) {
      return false;
    }
    object co;
    if (!req_obj(o, where, "chat", co) || !read_chat(co, "chat", m.chat)) return false;
    object fo;
    switch (field_obj(o, "from", fo)) {
      case got::ok:
        m.from.emplace();
        if (!read_user(fo, "from", *m.from)) return false;
        break;
      case got::bad:
        return fail(where, "from is not an object");
      default:
        break;
    }
    std::string s;
    switch (field_str(o, "text", s)) {
      case got::ok:
        m.text = std::move(s);
        break;
      case got::bad:
        return fail(where, "text is not a string");
      default:
        break;
    }
    s.clear();
    switch (field_str(o, "caption", s)) {
      case got::ok:
        m.caption = std::move(s);
        break;
      case got::bad:
        return fail(where, "caption is not a string");
      default:
        break;
    }
    if (!read_entities(o, where, m.entities)) return false;

    object lo;
    switch (field_obj(o, "location", lo)) {
      case got::ok:
        m.location.emplace();
        if (!read_location(lo, "location", *m.location)) return false;
        break;
      case got::bad:
        return fail(where, "location is not an object");
      default:
        break;
    }
    object vo;
    switch (field_obj(o, "venue", vo)) {
      case got::ok:
        if (!m.location) {
          if (!req_obj(vo, "venue", "location", lo)) return false;
          m.location.emplace();
          if (!read_location(lo, "venue.location", *m.location)) return false;
        }
        break;
      case got::bad:
        return fail(where, "venue is not an object");
      default:
        break;
    }

    static constexpr std::array<std::string_view, 16> media = {
        "photo",   "sticker", "voice", "video", "document", "audio",   "animation",  "video_note",
        "contact", "poll",    "dice",  "game",  "story",    "invoice", "paid_media", "giveaway"};
    for (auto key : media) {
      if (has_key(o, key)) {
        m.has_media = true;
        break;
      }
    }
    static constexpr std::array<std::string_view, 34> service = {
        "new_chat_members",
        "left_chat_member",
        "new_chat_title",
        "new_chat_photo",
        "delete_chat_photo",
        "group_chat_created",
        "supergroup_chat_created",
        "channel_chat_created",
        "message_auto_delete_timer_changed",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "pinned_message",
        "successful_payment",
        "refunded_payment",
        "users_shared",
        "chat_shared",
        "connected_website",
        "write_access_allowed",
        "proximity_alert_triggered",
        "boost_added",
        "chat_background_set",
        "forum_topic_created",
        "forum_topic_edited",
        "forum_topic_closed",
        "forum_topic_reopened",
        "general_forum_topic_hidden",
        "general_forum_topic_unhidden",
        "giveaway_created",
        "giveaway_completed",
        "video_chat_scheduled",
        "video_chat_started",
        "video_chat_ended",
        "video_chat_participants_invited",
        "web_app_data"};
    for (auto key : service) {
      if (has_key(o, key)) {
        m.is_service = true;
        break;
      }
    }
    return true;
  }

  bool read_callback(object o, callback_query& q) {
    object fo;
    if (!req_str(o, "callback_query", "id", q.id) || !req_obj(o, "callback_query", "from", fo) ||
        !read_user(fo, "callback_query.from", q.from) ||
        !opt_str(o, "callback_query", "data", q.data)) {
      return false;
    }
    object mo;
    switch (field_obj(o, "message", mo)) {
      case got::ok:
        q.message.emplace();
        return read_message(mo, "callback_query.message", *q.message);
      case got::bad:
        return fail("callback_query", "message is not an object");
      default:
        return true;
    }
  }

  bool read_member(object o, chat_member_updated& c) {
    object co, fo, mo;
    return req_obj(o, "my_chat_member", "chat", co) &&
           read_chat(co, "my_chat_member.chat", c.chat) &&
           req_obj(o, "my_chat_member", "from", fo) &&
           read_user(fo, "my_chat_member.from", c.from) &&
           req_obj(o, "my_chat_member", "new_chat_member", mo) &&
           req_str(mo, "new_chat_member", "status", c.new_status);
  }

  bool read_inline(object o, inline_query& q) {
    object fo;
    return req_str(o, "inline_query", "id", q.id) && req_obj(o, "inline_query", "from", fo) &&
           read_user(fo, "inline_query.from", q.from) &&
           opt_str(o, "inline_query", "query", q.query);
  }

  bool read_update(element doc, update& u) {
    object o;
    if (doc.get(o)) return fail("update", "not a JSON object");
    if (!req_i64(o, "update", "update_id", u.update_id)) return false;
    object po;
    got g = field_obj(o, "message", po);
    if (g == got::ok || g == got::bad) {
      if (g == got::bad) return fail("update", "message is not an object");
      u.kind = update_kind::message;
      u.message.emplace();
      return read_message(po, "message", *u.message);
    }
    g = field_obj(o, "edited_message", po);
    if (g == got::ok || g == got::bad) {
      if (g == got::bad) return fail("update", "edited_message is not an object");
      u.kind = update_kind::edited_message;
      u.message.emplace();
      return read_message(po, "edited_message", *u.message);
    }
    g = field_obj(o, "callback_query", po);
    if (g == got::ok || g == got::bad) {
      if (g == got::bad) return fail("update", "callback_query is not an object");
      u.kind = update_kind::callback_query;
      u.callback_query.emplace();
      return read_callback(po, *u.callback_query);
    }
    g = field_obj(o, "my_chat_member", po);
    if (g == got::ok || g == got::bad) {
      if (g == got::bad) return fail("update", "my_chat_member is not an object");
      u.kind = update_kind::my_chat_member;
      u.my_chat_member.emplace();
      return read_member(po, *u.my_chat_member);
    }
    g = field_obj(o, "inline_query", po);
    if (g == got::ok || g == got::bad) {
      if (g == got::bad) return fail("update", "inline_query is not an object");
      u.kind = update_kind::inline_query;
      u.inline_query.emplace();
      return read_inline(po, *u.inline_query);
    }
    u.kind = update_kind::other;
    return true;
  }
};

// The chat of an update that failed to parse, read as far as possible.
std::optional<std::int64_t> loose_chat_id(element doc) {
  object o;
  if (doc.get(o)) return std::nullopt;
  object p, q;
  std::int64_t id = 0;
  for (std::string_view key : {"message", "edited_message"}) {
    if (field_obj(o, key, p) == got::ok && field_obj(p, "chat", q) == got::ok &&
        field_i64(q, "id", id) == got::ok) {
      return id;
    }
  }
  if (field_obj(o, "callback_query", p) == got::ok) {
    object m, c;
    if (field_obj(p, "message", m) == got::ok && field_obj(m, "chat", c) == got::ok &&
        field_i64(c, "id", id) == got::ok) {
      return id;
    }
    if (field_obj(p, "from", q) == got::ok && field_i64(q, "id", id) == got::ok) return id;
  }
  if (field_obj(o, "my_chat_member", p) == got::ok && field_obj(p, "chat", q) == got::ok &&
      field_i64(q, "id", id) == got::ok) {
    return id;
  }
  return std::nullopt;
}

bool is_json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
  return s;
}

// The top-level elements of a JSON array, as raw text, without parsing them: one malformed
// element must not hide the others. Nothing when `s` is not an array.
std::optional<std::vector<std::string_view>> split_array(std::string_view s) {
  s = trim(s);
  if (s.size() < 2 || s.front() != '[') return std::nullopt;
  std::vector<std::string_view> out;
  std::size_t i = 1;
  const std::size_t n = s.size();
  while (i < n && is_json_space(s[i])) ++i;
  if (i < n && s[i] == ']') return i + 1 == n ? std::optional(out) : std::nullopt;
  while (i < n) {
    const std::size_t start = i;
    std::size_t depth = 0;
    bool end_of_array = false;
    while (i < n) {
      const char c = s[i];
      if (c == '"') {
        ++i;
        while (i < n && s[i] != '"') i += (s[i] == '\\') ? 2 : 1;
        if (i >= n) return std::nullopt;
        ++i;
        continue;
      }
      if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          if (c != ']') return std::nullopt;
          end_of_array = true;
          break;
        }
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
      ++i;
    }
    if (i >= n) return std::nullopt;
    const std::string_view elem = trim(s.substr(start, i - start));
    if (elem.empty()) return std::nullopt;
    out.push_back(elem);
    ++i;  // past ',' or ']'
    if (end_of_array) return i == n ? std::optional(std::move(out)) : std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::int64_t> update::chat_id() const {
  switch (kind) {
    case update_kind::message:
    case update_kind::edited_message:
      if (message) return message->chat.id;
      return std::nullopt;
    case update_kind::callback_query:
      if (!callback_query) return std::nullopt;
      if (callback_query->message && callback_query->message->chat.id != 0) {
        return callback_query->message->chat.id;
      }
      return callback_query->from.id;
    case update_kind::my_chat_member:
      if (my_chat_member) return my_chat_member->chat.id;
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::optional<update> parse_update(std::string_view json, std::string* error) {
  try {
    element doc;
    if (!parse_document(json, doc, error)) return std::nullopt;
    reader r;
    update u;
    if (!r.read_update(doc, u)) {
      if (error) *error = r.error;
      return std::nullopt;
    }
    return u;
  } catch (const std::exception& e) {
    if (error) *error = std::string("exception while parsing: ") + e.what();
  } catch (...) {
    if (error) *error = "exception while parsing";
  }
  return std::nullopt;
}

std::optional<std::vector<raw_update>> split_updates(std::string_view result_json) {
  try {
    auto elems = split_array(result_json);
    if (!elems) return std::nullopt;
    std::vector<raw_update> out;
    out.reserve(elems->size());
    for (const auto elem : *elems) {
      raw_update ru;
      ru.json.assign(elem.data(), elem.size());
      element doc;
      if (parse_document(elem, doc, nullptr)) {
        object o;
        std::int64_t id = 0;
        if (!doc.get(o) && field_i64(o, "update_id", id) == got::ok) ru.update_id = id;
        reader r;
        update u;
        if (r.read_update(doc, u)) {
          ru.chat_id = u.chat_id();
        } else {
          ru.chat_id = loose_chat_id(doc);
        }
      }
      out.push_back(std::move(ru));
    }
    return out;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<user> parse_user(std::string_view json) {
  try {
    element doc;
    if (!parse_document(json, doc, nullptr)) return std::nullopt;
    object o;
    if (doc.get(o)) return std::nullopt;
    reader r;
    user u;
    if (!r.read_user(o, "user", u)) return std::nullopt;
    return u;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<std::int64_t> parse_message_id(std::string_view json) {
  try {
    element doc;
    if (!parse_document(json, doc, nullptr)) return std::nullopt;
    object o;
    if (doc.get(o)) return std::nullopt;
    std::int64_t id = 0;
    if (field_i64(o, "message_id", id) != got::ok) return std::nullopt;
    return id;
  } catch (...) {
    return std::nullopt;
  }
}

std::optional<webhook_info> parse_webhook_info(std::string_view json) {
  try {
    element doc;
    if (!parse_document(json, doc, nullptr)) return std::nullopt;
    object o;
    if (doc.get(o)) return std::nullopt;
    webhook_info info;
    std::string_view text;
    if (!o["url"].get(text)) info.url = std::string(text);
    if (!o["last_error_message"].get(text)) info.last_error_message = std::string(text);
    field_i64(o, "pending_update_count", info.pending_update_count);
    field_i64(o, "last_error_date", info.last_error_date);
    return info;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace nocturna::bot
