// Small JSON helpers for the sandbox: reading with simdjson's DOM, writing with json::quote.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::sandbox::jsonu {

using element = simdjson::dom::element;

// Parses `text` with `parser` (which owns the result). False when `text` is not JSON.
bool parse(simdjson::dom::parser& parser, std::string_view text, element& out);

// Compact JSON text of an element.
std::string minify(element e);

// Members of an object; nothing when absent or of another type.
std::optional<std::string> get_string(element obj, std::string_view key);
std::optional<std::int64_t> get_int(element obj, std::string_view key);
std::optional<double> get_number(element obj, std::string_view key);
std::optional<bool> get_bool(element obj, std::string_view key);
std::optional<element> get(element obj, std::string_view key);

// `s` as a JSON string literal, or `null` when absent.
std::string quote(std::string_view s);
std::string quote_or_null(const std::optional<std::string>& s);
// Raw JSON text, or `null` when empty.
std::string raw_or_null(const std::string& json);

}  // namespace nocturna::sandbox::jsonu
