#include "clients/sandbox/json_util.hpp"

#include "protocol/json_writer.hpp"

namespace nocturna::sandbox::jsonu {

bool parse(simdjson::dom::parser& parser, std::string_view text, element& out) {
  return !parser.parse(text.data(), text.size(), true).get(out);
}

std::string minify(element e) {
  return simdjson::minify(e);
}

std::optional<element> get(element obj, std::string_view key) {
  element value;
  if (!obj.is_object() || obj.at_key(key).get(value)) return std::nullopt;
  return value;
}

std::optional<std::string> get_string(element obj, std::string_view key) {
  auto value = get(obj, key);
  std::string_view s;
  if (!value || value->get_string().get(s)) return std::nullopt;
  return std::string(s);
}

std::optional<std::int64_t> get_int(element obj, std::string_view key) {
  auto value = get(obj, key);
  std::int64_t i = 0;
  if (!value || value->get_int64().get(i)) return std::nullopt;
  return i;
}

std::optional<double> get_number(element obj, std::string_view key) {
  auto value = get(obj, key);
  double d = 0;
  if (!value || !value->is_number() || value->get_double().get(d)) return std::nullopt;
  return d;
}

std::optional<bool> get_bool(element obj, std::string_view key) {
  auto value = get(obj, key);
  bool b = false;
  if (!value || value->get_bool().get(b)) return std::nullopt;
  return b;
}

std::string quote(std::string_view s) {
  return json::quote(s);
}

std::string quote_or_null(const std::optional<std::string>& s) {
  return s ? json::quote(*s) : std::string("null");
}

std::string raw_or_null(const std::string& json) {
  return json.empty() ? "null" : json;
}

}  // namespace nocturna::sandbox::jsonu
