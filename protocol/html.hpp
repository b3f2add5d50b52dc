// Telegram HTML parse mode: escaping, validation as strict as Telegram's, visible length and the
// tag-balanced splitter (docs/telegram.md §5).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::html {

// Escapes `&`, `<`, `>` and `"` so any value can be interpolated into text or an attribute.
std::string escape(std::string_view text);

// Checks `h` against Telegram's HTML rules (allowed tags and attributes, nesting, entities, valid
// UTF-8). Returns nothing when valid, else Telegram's error description, e.g.
// "Bad Request: can't parse entities: Unsupported start tag "foo" at byte offset 3".
std::optional<std::string> validate(std::string_view h);

// Tags removed and entities decoded: the text a user sees.
std::string to_plain(std::string_view h);

// UTF-16 code units of to_plain(h): how Telegram counts message length limits.
std::size_t visible_length(std::string_view h);

// Splits valid HTML into parts of at most `budget` visible UTF-16 units each, cutting at the best
// boundary (blank line, newline, sentence end, space), never inside a tag, an entity or a surrogate
// pair, closing and reopening tags so every part is valid on its own. Returns {h} when it fits.
std::vector<std::string> split(std::string_view h, std::size_t budget = 4000);

}  // namespace nocturna::html
