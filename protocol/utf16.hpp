#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna {

// Length of UTF-8 text in UTF-16 code units (a code point above U+FFFF counts 2). Invalid bytes
// count one unit each, as their replacement character would.
std::size_t utf16_length(std::string_view utf8);

// True when `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

// Decodes the code point starting at byte `pos` of `text` (pos < text.size()). Returns the number
// of bytes of a well-formed sequence (1–4) and stores the code point in `cp`; returns 0 for an
// invalid or truncated sequence (overlong forms, surrogates and values above U+10FFFF included),
// in which case `cp` is U+FFFD and the caller should skip one byte.
std::size_t decode_utf8(std::string_view text, std::size_t pos, char32_t& cp);

// UTF-16 code units of one code point (2 above U+FFFF, else 1).
inline std::size_t utf16_units(char32_t cp) {
  return cp > 0xFFFF ? 2 : 1;
}

// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates and values above U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

// Byte offset in `utf8` where the UTF-16 offset `units` falls; nothing when it lies past the end
// or inside a surrogate pair.
std::optional<std::size_t> utf16_to_byte_offset(std::string_view utf8, std::size_t units);

}  // namespace nocturna
