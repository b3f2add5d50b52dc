// libFuzzer target: HTML escaping, validation, plain-text conversion and splitting. Escaped text
// always validates; every part of a split of valid HTML validates and fits its budget.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/html.hpp"
#include "protocol/utf16.hpp"

namespace html = nocturna::html;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t budget = 16 + data[0] * 16;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto escaped = html::escape(text);
  // Escaped text of valid UTF-8 (all text from Telegram is) must always be valid HTML.
  if (nocturna::is_valid_utf8(text) && html::validate(escaped)) {
    std::fprintf(stderr, "escaped text rejected: %s\n", html::validate(escaped)->c_str());
    std::abort();
  }
  (void)html::to_plain(text);
  (void)html::visible_length(text);
  for (std::string_view source : {text, std::string_view(escaped)}) {
    if (html::validate(source)) continue;  // split is only defined on valid HTML
    // Whitespace alone is never sent (Telegram refuses an empty text): split returns it whole.
    const auto plain = html::to_plain(source);
    if (plain.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    for (const auto& part : html::split(source, budget)) {
      if (html::validate(part)) std::abort();
      if (html::visible_length(part) > budget) std::abort();
    }
  }
  return 0;
}
