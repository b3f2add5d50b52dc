// Writing JSON with correct escaping; reading is simdjson's job (bot_json.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::json {

// `s` as a JSON string literal, quotes included. Control characters are \u-escaped, invalid UTF-8
// bytes become U+FFFD, so the output is always valid JSON.
std::string quote(std::string_view s);

// Builds one JSON object field by field: object().add("chat_id", 5).add("text", t).str().
class object {
 public:
  object& add(std::string_view key, std::string_view value);
  object& add(std::string_view key, const char* value) { return add(key, std::string_view(value)); }
  object& add(std::string_view key, const std::string& value) {
    return add(key, std::string_view(value));
  }
  object& add(std::string_view key, std::int64_t value);
  object& add(std::string_view key, int value) { return add(key, std::int64_t{value}); }
  object& add(std::string_view key, double value);
  object& add(std::string_view key, bool value);
  // `json` must already be valid JSON (a nested object or array).
  object& add_raw(std::string_view key, std::string_view json);
  std::string str() const;

 private:
  std::string body_;
};

// ["a","b"] from strings.
std::string string_array(const std::vector<std::string>& items);

}  // namespace nocturna::json
