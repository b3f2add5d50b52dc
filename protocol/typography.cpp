#include "protocol/typography.hpp"

namespace nocturna::typography {

namespace {

// One-letter Russian words (prepositions, conjunctions, «я»), both cases, as UTF-8.
bool one_letter_word(std::string_view w) {
  static constexpr std::string_view words[] = {"в", "к", "с", "о", "у", "и", "а", "я",
                                               "В", "К", "С", "О", "У", "И", "А", "Я"};
  for (auto x : words)
    if (w == x) return true;
  return false;
}

bool word_start_boundary(std::string_view out) {
  if (out.empty()) return true;
  const char last = out.back();
  if (last == ' ' || last == '\n' || last == '(' || last == '"') return true;
  for (std::string_view before : {"\xC2\xA0", "\xC2\xAB"})  // NBSP, «
    if (out.size() >= before.size() && out.substr(out.size() - before.size()) == before)
      return true;
  return false;
}

}  // namespace

std::string typeset(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "...") == 0) {
      out += "\xE2\x80\xA6";
      i += 3;
      continue;
    }
    // " — " → NBSP + "— "
    if (text[i] == ' ' && text.compare(i + 1, 3, "\xE2\x80\x94") == 0) {
      out += nbsp;
      i += 1;
      continue;
    }
    if (text[i] == ' ') {
      // The word just written: a one-letter word at a word boundary keeps its neighbour.
      std::size_t start = out.size();
      while (start > 0 && static_cast<unsigned char>(out[start - 1]) >= 0x80 &&
             !(start >= 2 && out.compare(start - 2, 2, nbsp) == 0) &&
             !(start >= 2 && out.compare(start - 2, 2, "\xC2\xAB") == 0))
        --start;
      const std::string_view word = std::string_view(out).substr(start);
      if (!word.empty() && one_letter_word(word) &&
          word_start_boundary(std::string_view(out).substr(0, start))) {
        out += nbsp;
        ++i;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace nocturna::typography
