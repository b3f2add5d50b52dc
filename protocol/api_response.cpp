#include "protocol/api_response.hpp"

#include <simdjson.h>

#include <array>

namespace nocturna::bot {

namespace {

constexpr std::size_t max_body = 64u << 20;

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser(max_body);
  return parser;
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Case-insensitive substring search (ASCII folding; Telegram's descriptions are English).
bool contains(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && ascii_lower(haystack[i + j]) == ascii_lower(needle[j])) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

template <std::size_t N>
bool contains_any(std::string_view text, const std::array<std::string_view, N>& needles) {
  for (auto n : needles) {
    if (contains(text, n)) return true;
  }
  return false;
}

outcome by_status(int status) {
  if (status == 0 || status >= 500) return outcome::transient;
  if (status == 401) return outcome::unauthorized;
  if (status == 409) return outcome::conflict;
  if (status == 429) return outcome::flood;
  if (status >= 400) return outcome::rejected;
  return outcome::transient;  // a 2xx/3xx whose body is not Bot API JSON: a proxy hiccup
}

outcome by_error(int code, std::string_view description, bool has_migrate) {
  if (code == 401) return outcome::unauthorized;
  if (code == 409) return outcome::conflict;
  if (code == 429) return outcome::flood;
  if (code >= 500) return outcome::transient;
  if ((code == 400 || code == 403) && has_migrate) return outcome::migrated;
  if (code == 400 || code == 403) {
    static constexpr std::array<std::string_view, 1> not_modified = {"message is not modified"};
    static constexpr std::array<std::string_view, 5> done = {
        "message to edit not found", "message to delete not found", "message can't be deleted",
        "query is too old", "query id is invalid"};
    static constexpr std::array<std::string_view, 1> entities = {"can't parse entities"};
    static constexpr std::array<std::string_view, 2> too_long = {"message is too long",
                                                                 "caption is too long"};
    static constexpr std::array<std::string_view, 5> gone = {
        "chat not found", "bot was blocked by the user", "user is deactivated", "bot was kicked",
        "bot can't initiate conversation"};
    if (contains_any(description, not_modified)) return outcome::not_modified;
    if (contains_any(description, done)) return outcome::already_done;
    if (contains_any(description, entities)) return outcome::bad_entities;
    if (contains_any(description, too_long)) return outcome::too_long;
    if (contains_any(description, gone)) return outcome::chat_gone;
    return outcome::rejected;
  }
  if (code >= 400) return outcome::rejected;
  return by_status(code);
}

std::string body_excerpt(int status, std::string_view body) {
  std::string d = "HTTP " + std::to_string(status) + " without a Bot API response";
  if (!body.empty()) {
    d += ": ";
    const std::size_t n = std::min<std::size_t>(body.size(), 200);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(body[i]);
      d.push_back(c < 0x20 || c >= 0x7F ? '?' : static_cast<char>(c));
    }
  }
  return d;
}

}  // namespace

api_response classify_response(int http_status, std::string_view body) {
  api_response r;
  r.http_status = http_status;
  try {
    using simdjson::dom::element;
    using simdjson::dom::object;
    element doc;
    object o;
    element ok_el;
    bool ok = false;
    if (body.size() > max_body || thread_parser().parse(body.data(), body.size()).get(doc) ||
        doc.get(o) || o.at_key("ok").get(ok_el) || ok_el.get(ok)) {
      r.kind = by_status(http_status);
      r.error_code = http_status;
      r.description = body_excerpt(http_status, body);
      return r;
    }
    if (ok) {
      r.kind = outcome::ok;
      element result;
      if (!o.at_key("result").get(result)) {
        r.result_json = simdjson::minify(result);
      }
      return r;
    }
    std::int64_t code = 0;
    element e;
    if (!o.at_key("error_code").get(e)) {
      if (e.get(code)) code = 0;
    }
    if (code < 100 || code > 999) code = http_status;
    r.error_code = static_cast<int>(code);
    std::string_view desc;
    if (!o.at_key("description").get(e) && !e.get(desc)) r.description.assign(desc);
    object params;
    if (!o.at_key("parameters").get(e) && !e.get(params)) {
      std::int64_t v = 0;
      element p;
      if (!params.at_key("retry_after").get(p)) {
        double d = 0;
        if (!p.get(v)) {
          r.retry_after = v;
        } else if (!p.get(d) && d >= 0 && d < 1e9) {
          r.retry_after = static_cast<std::int64_t>(d + 0.999999);
        }
      }
      if (!params.at_key("migrate_to_chat_id").get(p) && !p.get(v)) r.migrate_to_chat_id = v;
    }
    if (r.retry_after && *r.retry_after < 0) r.retry_after = 0;
    r.kind = by_error(r.error_code, r.description, r.migrate_to_chat_id.has_value());
    return r;
  } catch (...) {
    r.kind = by_status(http_status);
    r.error_code = http_status;
    r.description = "unreadable response";
    return r;
  }
}

api_response network_failure(std::string what) {
  api_response r;
  r.kind = outcome::transient;
  r.http_status = 0;
  r.description = std::move(what);
  return r;
}

const char* outcome_name(outcome o) {
  switch (o) {
    case outcome::ok:
      return "ok";
    case outcome::not_modified:
      return "not_modified";
    case outcome::already_done:
      return "already_done";
    case outcome::bad_entities:
      return "bad_entities";
    case outcome::too_long:
      return "too_long";
    case outcome::chat_gone:
      return "chat_gone";
    case outcome::migrated:
      return "migrated";
    case outcome::rejected:
      return "rejected";
    case outcome::unauthorized:
      return "unauthorized";
    case outcome::conflict:
      return "conflict";
    case outcome::flood:
      return "flood";
    case outcome::transient:
      return "transient";
  }
  return "unknown";
}

}  // namespace nocturna::bot
