#include "protocol/chat_migration.hpp"

#include <simdjson.h>

#include "protocol/json_writer.hpp"

namespace nocturna::bot {

std::optional<std::string> with_chat_id(std::string_view json_body, std::int64_t chat_id) {
  simdjson::dom::parser parser;
  simdjson::dom::object fields;
  if (parser.parse(json_body.data(), json_body.size()).get(fields)) return std::nullopt;
  bool had_chat_id = false;
  json::object out;
  for (auto field : fields) {
    if (field.key == "chat_id") {
      had_chat_id = true;
      out.add("chat_id", chat_id);
    } else {
      out.add_raw(field.key, simdjson::minify(field.value));
    }
  }
  if (!had_chat_id) return std::nullopt;
  return out.str();
}

bool set_chat_id_field(std::vector<std::pair<std::string, std::string>>& fields,
                       std::int64_t chat_id) {
  bool found = false;
  for (auto& [name, value] : fields)
    if (name == "chat_id") {
      value = std::to_string(chat_id);
      found = true;
    }
  return found;
}

}  // namespace nocturna::bot
