#include "protocol/llm_sanitize.hpp"

#include <utility>
#include <vector>

#include "protocol/html.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::llm {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n';
}

// Bytes of multi-byte UTF-8 count as letters: `_` inside a Russian word is then not a marker.
bool is_word_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Valid UTF-8 with `\n` line ends and no control characters, so that whatever follows can work
// byte-wise on ASCII markers and Telegram never sees a byte it rejects.
std::string clean_characters(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp;
    const std::size_t n = decode_utf8(raw, i, cp);
    i += n == 0 ? 1 : n;
    if (cp == '\r') {
      out.push_back('\n');
      if (i < raw.size() && raw[i] == '\n') ++i;
    } else if (cp == '\n' || cp == 0x2028 || cp == 0x2029) {
      out.push_back('\n');
    } else if (cp == '\t') {
      out.push_back(' ');
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF) {
      continue;
    } else {
      append_utf8(out, cp);
    }
  }
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const auto nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.push_back(text.substr(start));
      return lines;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

bool is_fence(std::string_view line) {
  return trim(line).substr(0, 3) == "```";
}

// `^#{1,6}\s` on the left-trimmed line (trailing whitespace is already gone, so `##` alone counts).
bool is_heading(std::string_view line) {
  std::size_t hashes = 0;
  while (hashes < line.size() && line[hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return false;
  return hashes == line.size() || line[hashes] == ' ';
}

// `^\s*([-*_]\s*){3,}$`
bool is_rule(std::string_view line) {
  int marks = 0;
  for (const char c : line) {
    if (c == '-' || c == '*' || c == '_') {
      ++marks;
    } else if (c != ' ') {
      return false;
    }
  }
  return marks >= 3;
}

// Removes `*` left over after pairing; a lone ` * ` takes one of its spaces with it.
void append_without_stars(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '*') {
      out.push_back(s[i]);
      continue;
    }
    const bool space_before = out.empty() || out.back() == ' ' || out.back() == '\n';
    if (space_before && i + 1 < s.size() && s[i + 1] == ' ') ++i;
  }
}

// Italics inside one span that holds no tags: `*x*` and `_x_` with non-space next to both markers,
// on one line; `_` only at word edges so snake_case stays as it is.
std::string italicise(std::string_view s) {
  std::string out;
  std::string pending;  // plain text not yet flushed through the `*` filter
  auto flush = [&] {
    append_without_stars(out, pending);
    pending.clear();
  };
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    const char m = s[i];
    bool opener = false;
    if (m == '*') {
      opener = i + 1 < n && !is_space(s[i + 1]) && s[i + 1] != '*';
    } else if (m == '_') {
      opener = (i == 0 || !is_word_byte(s[i - 1])) && i + 1 < n && !is_space(s[i + 1]) &&
               s[i + 1] != '_';
    }
    std::size_t close = std::string_view::npos;
    if (opener) {
      for (std::size_t j = i + 2; j < n && s[j] != '\n'; ++j) {
        if (s[j] != m || is_space(s[j - 1]) || s[j - 1] == m) continue;
        if (m == '_' && j + 1 < n && is_word_byte(s[j + 1])) continue;
        close = j;
        break;
      }
    }
    if (close == std::string_view::npos) {
      pending.push_back(m);
      ++i;
      continue;
    }
    std::string inner;
    append_without_stars(inner, s.substr(i + 1, close - i - 1));
    if (trim(inner).empty()) {
      pending += inner;
    } else {
      flush();
      out += "<i>" + inner + "</i>";
    }
    i = close + 1;
  }
  flush();
  return out;
}

// One paragraph, already escaped: bold first, then italics inside and between the bold spans,
// so a tag never crosses another or the paragraph.
std::string mark_up(std::string_view p) {
  std::string out;
  std::string plain;
  const std::size_t n = p.size();
  for (std::size_t i = 0; i < n;) {
    const char m = p[i];
    if ((m == '*' || m == '_') && i + 1 < n && p[i + 1] == m) {
      const char marker[] = {m, m, '\0'};
      const auto close = p.find(marker, i + 2);
      bool paired = close != std::string_view::npos && close > i + 2 && !is_space(p[i + 2]) &&
                    !is_space(p[close - 1]);
      if (paired && m == '_') {
        paired =
            (i == 0 || !is_word_byte(p[i - 1])) && (close + 2 >= n || !is_word_byte(p[close + 2]));
      }
      if (paired) {
        const std::string inner = italicise(p.substr(i + 2, close - i - 2));
        out += italicise(plain);
        plain.clear();
        if (trim(inner).empty()) {
          out += inner;
        } else {
          out += "<b>" + inner + "</b>";
        }
        i = close + 2;
        continue;
      }
      plain += marker;
      i += 2;
      continue;
    }
    plain.push_back(m);
    ++i;
  }
  out += italicise(plain);

  // Marker removal can empty a line or leave edge spaces; tags never sit on an empty line.
  std::string tidy;
  for (const auto line : split_lines(out)) {
    const auto t = trim(line);
    if (t.empty()) continue;
    if (!tidy.empty()) tidy.push_back('\n');
    tidy.append(t);
  }
  return tidy;
}

std::string cap_length(std::string text, std::size_t cap) {
  if (cap == 0 || html::visible_length(text) <= cap) return text;
  const std::string ellipsis = "…";
  // The splitter may overflow its budget by one code point when nothing better exists.
  for (std::size_t budget = cap > 1 ? cap - 1 : 1; budget > 0; --budget) {
    std::string head = html::split(text, budget).front();
    if (html::visible_length(head) + 1 <= cap || budget == 1) return head + ellipsis;
  }
  return ellipsis;
}

bool is_terminal(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

// Whether the text ends a sentence, looking past closing quotes, brackets, Markdown markers and
// a trailing emoji.
bool ends_sentence(std::string_view text) {
  std::vector<char32_t> cps;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const auto n = decode_utf8(text, i, cp);
    i += n == 0 ? 1 : n;
    cps.push_back(cp);
  }
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) {
    const char32_t cp = *it;
    if (is_terminal(cp)) return true;
    const bool skippable = cp == ' ' || cp == '\n' || cp == '*' || cp == '_' || cp == '"' ||
                           cp == '\'' || cp == ')' || cp == 0xBB || cp == 0x201D || cp == 0xFE0F ||
                           cp == 0x200D || cp >= 0x2100;
    if (!skippable) return false;
  }
  return false;
}

}  // namespace

std::string sanitize_llm_text(std::string_view raw, std::size_t cap) {
  const std::string text = clean_characters(raw);
  auto lines = split_lines(text);

  std::size_t first = 0, last = lines.size();
  while (first < last && trim(lines[first]).empty()) ++first;
  while (last > first && trim(lines[last - 1]).empty()) --last;
  if (first < last && is_fence(lines[first])) ++first;
  if (last > first && is_fence(lines[last - 1])) --last;

  // A heading or a rule separates what is around it, so it becomes a paragraph break.
  std::vector<std::string> paragraphs;
  std::string current;
  auto end_paragraph = [&] {
    if (current.empty()) return;
    std::string marked = mark_up(html::escape(current));
    if (!marked.empty()) paragraphs.push_back(std::move(marked));
    current.clear();
  };
  for (std::size_t k = first; k < last; ++k) {
    auto line = trim(lines[k]);
    if (line.empty() || is_heading(line) || is_rule(line)) {
      end_paragraph();
      continue;
    }
    std::string item;
    if (line.size() >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ') {
      item = "• ";
      item.append(trim(line.substr(2)));
    } else {
      item.assign(line);
    }
    if (!current.empty()) current.push_back('\n');
    current += item;
  }
  end_paragraph();

  std::string out;
  for (const auto& p : paragraphs) {
    if (!out.empty()) out += "\n\n";
    out += p;
  }
  return cap_length(std::move(out), cap);
}

std::string drop_unfinished_tail(std::string_view raw) {
  std::string text;
  text.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\r') {
      text.push_back('\n');
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      text.push_back(raw[i]);
    }
  }
  while (!text.empty() && is_space(text.back())) text.pop_back();
  if (text.empty() || ends_sentence(text)) return text;

  // Start of the last paragraph: after the last line break that follows a blank line.
  const auto lines = split_lines(text);
  std::size_t offset = 0, last_para = std::string::npos;
  bool blank_before = false;
  for (const auto line : lines) {
    const bool blank = trim(line).empty();
    if (!blank && blank_before && offset > 0) last_para = offset;
    blank_before = blank;
    offset += line.size() + 1;
  }
  if (last_para != std::string::npos) {
    std::string head = text.substr(0, last_para);
    while (!head.empty() && is_space(head.back())) head.pop_back();
    return head;
  }

  // One paragraph: keep up to its last sentence end (with closing quotes and brackets).
  std::size_t cut = std::string::npos;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp;
    const auto n = decode_utf8(text, i, cp);
    const std::size_t next = i + (n == 0 ? 1 : n);
    if (is_terminal(cp) && next < text.size() && is_space(text[next])) cut = next;
    i = next;
  }
  if (cut == std::string::npos) return text;
  return text.substr(0, cut);
}

}  // namespace nocturna::llm
