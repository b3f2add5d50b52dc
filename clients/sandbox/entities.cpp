#include "clients/sandbox/entities.hpp"

#include <cstdint>
#include <vector>

#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {
namespace {

struct code_point {
  char32_t value;
  std::size_t utf16_offset;
};

// Decodes UTF-8 leniently: an invalid byte becomes one U+FFFD.
std::vector<code_point> decode(std::string_view s) {
  std::vector<code_point> out;
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    char32_t cp = 0xFFFD;
    if (len == 0 || i + len > s.size()) {
      len = 1;
    } else {
      cp = len == 1 ? b : b & (0xFF >> (len + 1));
      for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back({cp, units});
    units += cp > 0xFFFF ? 2 : 1;
    i += len;
  }
  out.push_back({0, units});  // sentinel: end of text
  return out;
}

bool is_command_char(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Letters and digits of the scripts users write in; enough for Telegram's word-boundary rule.
bool is_word_char(char32_t c) {
  return is_command_char(c) || (c >= 0xC0 && c <= 0x24F) || (c >= 0x370 && c <= 0x52F);
}

bool blocks_command(char32_t c) {
  return is_word_char(c) || c == '/' || c == '<' || c == '>';
}

// Length (in code points) of the run of command characters starting at `i`.
std::size_t run_length(const std::vector<code_point>& cps, std::size_t i) {
  std::size_t n = 0;
  while (i + n + 1 < cps.size() && is_command_char(cps[i + n].value)) ++n;
  return n;
}

}  // namespace

std::string detect_entities(std::string_view text) {
  const auto cps = decode(text);
  const std::size_t count = cps.size() - 1;
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (cps[i].value != '/' || (i > 0 && blocks_command(cps[i - 1].value))) continue;
    std::size_t name = run_length(cps, i + 1);
    if (name == 0 || name > 64) continue;
    std::size_t end = i + 1 + name;
    if (cps[end].value == '@') {
      std::size_t user = run_length(cps, end + 1);
      if (user >= 3 && user <= 32) end += 1 + user;
    }
    if (end < count && blocks_command(cps[end].value)) continue;
    out += out.empty() ? "[" : ",";
    out +=
        json::object()
            .add("offset", static_cast<std::int64_t>(cps[i].utf16_offset))
            .add("length", static_cast<std::int64_t>(cps[end].utf16_offset - cps[i].utf16_offset))
            .add("type", "bot_command")
            .str();
    i = end - 1;
  }
  return out.empty() ? out : out + "]";
}

}  // namespace nocturna::sandbox
