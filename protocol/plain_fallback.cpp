#include "protocol/plain_fallback.hpp"

#include <simdjson.h>

#include "protocol/html.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::bot {

std::optional<std::string> as_plain_text_call(std::string_view json_body) {
  simdjson::dom::parser parser;
  simdjson::dom::object fields;
  if (parser.parse(json_body.data(), json_body.size()).get(fields)) return std::nullopt;
  bool had_parse_mode = false;
  json::object out;
  for (auto field : fields) {
    auto key = field.key;
    if (key == "parse_mode") {
      had_parse_mode = true;
      continue;
    }
    std::string_view text;
    if ((key == "text" || key == "caption") && !field.value.get(text)) {
      out.add(key, html::to_plain(text));
      continue;
    }
    out.add_raw(key, simdjson::minify(field.value));
  }
  if (!had_parse_mode) return std::nullopt;
  return out.str();
}

}  // namespace nocturna::bot
