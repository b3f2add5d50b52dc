#include "protocol/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "protocol/utf16.hpp"

namespace nocturna::json {

namespace {

void append_quoted(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    char32_t cp;
    const std::size_t n = decode_utf8(s, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else if (cp == 0x2028 || cp == 0x2029) {
      // Valid JSON either way; escaped so the output is also safe inside JavaScript.
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
      i += n;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  out.push_back('"');
}

void append_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  if (res.ec != std::errc{}) {
    out += "null";
    return;
  }
  out.append(buf, res.ptr);
}

}  // namespace

std::string quote(std::string_view s) {
  std::string out;
  append_quoted(out, s);
  return out;
}

object& object::add(std::string_view key, std::string_view value) {
  if (!body_.empty()) body_.push_back(',');
  append_quoted(body_, key);
  body_.push_back(':');
  append_quoted(body_, value);
  return *this;
}

object& object::add(std::string_view key, std::int64_t value) {
  if (!body_.empty()) body_.push_back(',');
  append_quoted(body_, key);
  body_.push_back(':');
  body_ += std::to_string(value);
  return *this;
}

object& object::add(std::string_view key, double value) {
  if (!body_.empty()) body_.push_back(',');
  append_quoted(body_, key);
  body_.push_back(':');
  append_double(body_, value);
  return *this;
}

object& object::add(std::string_view key, bool value) {
  if (!body_.empty()) body_.push_back(',');
  append_quoted(body_, key);
  body_.push_back(':');
  body_ += value ? "true" : "false";
  return *this;
}

object& object::add_raw(std::string_view key, std::string_view json) {
  if (!body_.empty()) body_.push_back(',');
  append_quoted(body_, key);
  body_.push_back(':');
  if (json.empty()) {
    body_ += "null";
  } else {
    body_.append(json);
  }
  return *this;
}

std::string object::str() const {
  return "{" + body_ + "}";
}

std::string string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    append_quoted(out, items[i]);
  }
  out.push_back(']');
  return out;
}

}  // namespace nocturna::json
