// The Bot API's methods and their fields, read from api.min.json, and the check every request goes
// through: unknown fields, missing required fields, basic types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/sandbox/request_params.hpp"
#include "clients/sandbox/text_util.hpp"

namespace nocturna::sandbox {

struct field_spec {
  std::string name;
  std::vector<std::string> types;  // "Integer", "String", "Array of String", "InputFile", …
  bool required = false;
};

struct method_spec {
  std::string name;  // canonical case, e.g. "sendMessage"
  std::vector<field_spec> fields;
  const field_spec* field(std::string_view name) const;
};

class api_schema {
 public:
  // Throws std::runtime_error when the file cannot be read or is not the expected JSON.
  static api_schema load_file(const std::string& path);
  static api_schema parse(std::string_view json);

  // Case-insensitive, like Telegram's method names.
  const method_spec* find(std::string_view method) const;
  std::size_t size() const { return methods_.size(); }

 private:
  std::map<std::string, method_spec> methods_;  // by lower-case name
};

// Unknown fields, missing required fields (Telegram's wording where it has one, e.g.
// "Bad Request: chat_id is empty") and basic types. Returns a "Bad Request: …" description.
std::optional<std::string> check_params(const method_spec& method, const param_map& params);

}  // namespace nocturna::sandbox
