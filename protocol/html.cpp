#include "protocol/html.hpp"

#include <algorithm>
#include <array>
#include <cstdint>

#include "protocol/utf16.hpp"

namespace nocturna::html {

namespace {

constexpr std::string_view prefix = "Bad Request: can't parse entities: ";

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower(c);
  return r;
}

std::string fail(std::string_view what) {
  std::string r(prefix);
  r += what;
  return r;
}

std::string quoted(std::string_view s) {
  std::string r = "\"";
  r += s;
  r += '"';
  return r;
}

bool is_supported_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 17> tags = {
      "b",          "strong", "i", "em",       "u",       "ins",  "s",   "strike",    "del",
      "tg-spoiler", "span",   "a", "tg-emoji", "tg-time", "code", "pre", "blockquote"};
  return std::find(tags.begin(), tags.end(), name) != tags.end();
}

enum class entity_result { none, ok, unsupported, bad_number };

// Matches an entity starting at h[pos] == '&'. On ok, `len` is its byte length and `cp` its value.
// `unsupported` reports a well-formed named entity Telegram does not know (`name` set);
// `bad_number` a numeric entity out of range; `none` an '&' that starts no entity at all.
entity_result match_entity(std::string_view h, std::size_t pos, std::size_t& len, char32_t& cp,
                           std::string_view& name) {
  std::size_t i = pos + 1;
  const std::size_t n = h.size();
  if (i < n && h[i] == '#') {
    ++i;
    bool hex = false;
    if (i < n && (h[i] == 'x' || h[i] == 'X')) {
      hex = true;
      ++i;
    }
    const std::size_t start = i;
    std::uint64_t value = 0;
    while (i < n && (hex ? is_hex(h[i]) : is_digit(h[i]))) {
      if (i - start < 12) {
        const char c = h[i];
        const unsigned d = is_digit(c) ? static_cast<unsigned>(c - '0')
                                       : static_cast<unsigned>(lower(c) - 'a' + 10);
        value = value * (hex ? 16 : 10) + d;
      } else {
        value = 0x7FFFFFFF;  // far too long: out of range
      }
      ++i;
    }
    if (i == start || i >= n || h[i] != ';') return entity_result::none;
    len = i + 1 - pos;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      return entity_result::bad_number;
    }
    cp = static_cast<char32_t>(value);
    return entity_result::ok;
  }
  const std::size_t start = i;
  if (i >= n || !is_alpha(h[i])) return entity_result::none;
  while (i < n && is_alnum(h[i]) && i - start < 32) ++i;
  if (i >= n || h[i] != ';') return entity_result::none;
  name = h.substr(start, i - start);
  len = i + 1 - pos;
  if (name == "lt") {
    cp = '<';
  } else if (name == "gt") {
    cp = '>';
  } else if (name == "amp") {
    cp = '&';
  } else if (name == "quot") {
    cp = '"';
  } else {
    return entity_result::unsupported;
  }
  return entity_result::ok;
}

// Telegram's error text for an '&' that does not start an entity it accepts (`r` is not ok).
std::string entity_error(entity_result r, std::string_view name, std::size_t offset) {
  if (r == entity_result::unsupported)
    return "Unsupported entity " + quoted(name) + " at byte offset " + std::to_string(offset);
  if (r == entity_result::bad_number)
    return "Invalid numeric entity at byte offset " + std::to_string(offset);
  return "Character \"&\" must be escaped as \"&amp;\" at byte offset " + std::to_string(offset);
}

enum class tok_kind { text, open, close };

struct token {
  tok_kind kind = tok_kind::text;
  std::size_t begin = 0;
  std::size_t end = 0;
  char32_t cp = 0;   // text: the decoded code point
  std::string name;  // open/close: lower-case tag name (empty for "</>")
};

// Walks HTML token by token. Strict mode checks Telegram's rules and stops at the first error;
// lenient mode never fails: anything that is not a well-formed tag or entity is literal text.
class scanner {
 public:
  scanner(std::string_view h, bool strict) : h_(h), strict_(strict) {}

  bool next(token& t) {
    if (pos_ >= h_.size() || error_) return false;
    const char c = h_[pos_];
    if (c == '<') {
      if (strict_) return strict_tag(t);
      if (lenient_tag(t)) return true;
      return literal(t, '<', 1);
    }
    if (c == '&') {
      std::size_t len = 0;
      char32_t cp = 0;
      std::string_view name;
      const auto r = match_entity(h_, pos_, len, cp, name);
      if (r == entity_result::ok) return literal(t, cp, len);
      if (strict_) return set_error(entity_error(r, name, pos_));
      return literal(t, '&', 1);
    }
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) return literal(t, b, 1);
    char32_t cp = 0;
    const std::size_t n = decode_utf8(h_, pos_, cp);
    if (n == 0) {
      if (strict_) {
        return set_error("Text must be encoded in UTF-8, invalid byte at byte offset " +
                         std::to_string(pos_));
      }
      return literal(t, 0xFFFD, 1);
    }
    return literal(t, cp, n);
  }

  const std::optional<std::string>& error() const { return error_; }
  const std::vector<std::string>& open_tags() const { return stack_; }

 private:
  bool literal(token& t, char32_t cp, std::size_t len) {
    t.kind = tok_kind::text;
    t.name.clear();
    t.begin = pos_;
    t.end = pos_ + len;
    t.cp = cp;
    pos_ += len;
    return true;
  }

  bool set_error(std::string what) {
    error_ = fail(what);
    return false;
  }

  bool at_end(std::size_t i) const { return i >= h_.size(); }

  // Lenient: a start tag is '<' + letter ... '>' (quotes respected), an end tag '</' ... '>'.
  bool lenient_tag(token& t) {
    const std::size_t n = h_.size();
    std::size_t i = pos_ + 1;
    if (i < n && h_[i] == '/') {
      ++i;
      const std::size_t name_begin = i;
      while (i < n && !is_space(h_[i]) && h_[i] != '>' && h_[i] != '<') ++i;
      const std::size_t name_end = i;
      while (i < n && is_space(h_[i])) ++i;
      if (i >= n || h_[i] != '>') return false;
      t.kind = tok_kind::close;
      t.name = to_lower(h_.substr(name_begin, name_end - name_begin));
      t.begin = pos_;
      t.end = i + 1;
      pos_ = i + 1;
      return true;
    }
    if (i >= n || !is_alpha(h_[i])) return false;
    const std::size_t name_begin = i;
    while (i < n && !is_space(h_[i]) && h_[i] != '>' && h_[i] != '<') ++i;
    const std::size_t name_end = i;
    while (i < n && h_[i] != '>') {
      if (h_[i] == '<') return false;
      if (h_[i] == '"' || h_[i] == '\'') {
        const char q = h_[i];
        const std::size_t close = h_.find(q, i + 1);
        if (close == std::string_view::npos) return false;
        i = close + 1;
      } else {
        ++i;
      }
    }
    if (i >= n) return false;
    t.kind = tok_kind::open;
    t.name = to_lower(h_.substr(name_begin, name_end - name_begin));
    t.begin = pos_;
    t.end = i + 1;
    pos_ = i + 1;
    return true;
  }

  bool strict_tag(token& t) {
    const std::size_t n = h_.size();
    const std::size_t begin = pos_;
    const std::string off = std::to_string(begin);
    std::size_t i = pos_ + 1;
    if (i < n && h_[i] == '/') {
      if (stack_.empty()) return set_error("Unexpected end tag at byte offset " + off);
      i += 1;
      const std::size_t name_begin = i;
      while (i < n && !is_space(h_[i]) && h_[i] != '>') ++i;
      const std::string name = to_lower(h_.substr(name_begin, i - name_begin));
      while (i < n && is_space(h_[i])) ++i;
      if (i >= n || h_[i] != '>') return set_error("Unclosed end tag at byte offset " + off);
      if (!name.empty() && name != stack_.back()) {
        return set_error("Unmatched end tag at byte offset " + off + ", expected \"</" +
                         stack_.back() + ">\", found \"</" + name + ">\"");
      }
      t.kind = tok_kind::close;
      t.name = stack_.back();
      t.begin = begin;
      t.end = i + 1;
      stack_.pop_back();
      pos_ = i + 1;
      return true;
    }
    const std::size_t name_begin = i;
    while (i < n && !is_space(h_[i]) && h_[i] != '>') ++i;
    const std::string name = to_lower(h_.substr(name_begin, i - name_begin));
    if (!is_supported_tag(name)) {
      return set_error("Unsupported start tag " + quoted(name) + " at byte offset " + off);
    }
    if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);

    // Nesting: pre holds only code, code holds nothing, blockquotes do not nest.
    for (const auto& open : stack_) {
      if (open == "code") {
        return set_error("Tag " + quoted(name) + " can't be used inside \"code\" at byte offset " +
                         off);
      }
      if (open == "blockquote" && name == "blockquote") {
        return set_error("Blockquotes can't be nested at byte offset " + off);
      }
    }
    if (!stack_.empty() && stack_.back() == "pre" && name != "code") {
      return set_error("Tag " + quoted(name) + " can't be used inside \"pre\" at byte offset " +
                       off);
    }
    if (name == "pre" && std::find(stack_.begin(), stack_.end(), "pre") != stack_.end()) {
      return set_error("Tag \"pre\" can't be used inside \"pre\" at byte offset " + off);
    }

    bool has_spoiler_class = false;
    bool has_emoji_id = false;
    bool has_unix = false;
    while (true) {
      while (i < n && is_space(h_[i])) ++i;
      if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
      if (h_[i] == '>') break;
      const std::size_t attr_begin = i;
      while (i < n && !is_space(h_[i]) && h_[i] != '=' && h_[i] != '>') ++i;
      const std::string attr = to_lower(h_.substr(attr_begin, i - attr_begin));
      if (attr.empty()) {
        return set_error("Empty attribute name in the tag " + quoted(name) + " at byte offset " +
                         off);
      }
      while (i < n && is_space(h_[i])) ++i;
      if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
      std::optional<std::string> value;
      if (h_[i] == '=') {
        ++i;
        while (i < n && is_space(h_[i])) ++i;
        if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
        std::string v;
        if (h_[i] == '"' || h_[i] == '\'') {
          const char q = h_[i++];
          while (i < n && h_[i] != q) {
            if (h_[i] == '&') {
              std::size_t len = 0;
              char32_t cp = 0;
              std::string_view ename;
              const auto r = match_entity(h_, i, len, cp, ename);
              if (r == entity_result::ok) {
                append_utf8(v, cp);
                i += len;
                continue;
              }
              return set_error(entity_error(r, ename, i));
            }
            v.push_back(h_[i++]);
          }
          if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
          ++i;  // closing quote
          if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
        } else {
          const std::size_t token_begin = i;
          while (i < n && (is_alnum(h_[i]) || h_[i] == '.' || h_[i] == '-')) ++i;
          if (at_end(i)) return set_error("Unclosed start tag at byte offset " + off);
          if (i == token_begin || (!is_space(h_[i]) && h_[i] != '>')) {
            return set_error("Unexpected end of name token at byte offset " + std::to_string(i));
          }
          v = to_lower(h_.substr(token_begin, i - token_begin));
        }
        value = std::move(v);
      }

      bool ok = false;
      bool needs_value = true;
      if (name == "a" && attr == "href") {
        ok = true;
      } else if (name == "span" && attr == "class") {
        ok = value && *value == "tg-spoiler";
        has_spoiler_class = has_spoiler_class || ok;
        if (value && !ok) {
          return set_error("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + off);
        }
      } else if (name == "tg-emoji" && attr == "emoji-id") {
        ok = true;
        if (value) {
          has_emoji_id = !value->empty() && std::all_of(value->begin(), value->end(),
                                                        [](char c) { return is_digit(c); });
          if (!has_emoji_id) {
            return set_error("Invalid custom emoji identifier specified at byte offset " + off);
          }
        }
      } else if (name == "tg-time" && attr == "unix") {
        ok = true;
        if (value) {
          std::string_view s = *value;
          if (!s.empty() && s[0] == '-') s.remove_prefix(1);
          has_unix = !s.empty() && s.size() <= 19 &&
                     std::all_of(s.begin(), s.end(), [](char c) { return is_digit(c); });
          if (!has_unix) return set_error("Invalid Unix time specified at byte offset " + off);
        }
      } else if (name == "tg-time" && attr == "format") {
        ok = true;
      } else if (name == "code" && attr == "class") {
        ok =
            !stack_.empty() && stack_.back() == "pre" && value && value->rfind("language-", 0) == 0;
      } else if (name == "blockquote" && attr == "expandable") {
        ok = true;
        needs_value = false;
      }
      if (!ok) {
        return set_error("Unsupported attribute " + quoted(attr) + " in the tag " + quoted(name) +
                         " at byte offset " + off);
      }
      if (needs_value && !value) {
        return set_error("Expected equal sign in declaration of an attribute of the tag " +
                         quoted(name) + " at byte offset " + off);
      }
    }
    if (name == "span" && !has_spoiler_class) {
      return set_error("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + off);
    }
    if (name == "tg-emoji" && !has_emoji_id) {
      return set_error("Custom emoji entity must have attribute \"emoji-id\" at byte offset " +
                       off);
    }
    if (name == "tg-time" && !has_unix) {
      return set_error("Tag \"tg-time\" must have attribute \"unix\" at byte offset " + off);
    }
    t.kind = tok_kind::open;
    t.name = name;
    t.begin = begin;
    t.end = i + 1;
    stack_.push_back(name);
    pos_ = i + 1;
    return true;
  }

  std::string_view h_;
  bool strict_;
  std::size_t pos_ = 0;
  std::optional<std::string> error_;
  std::vector<std::string> stack_;
};

bool is_ws(char32_t cp) {
  return cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r';
}

// A code point that continues the previous grapheme: cutting before it splits what users see as
// one character (ZWJ sequences, variation selectors, skin tones, combining marks, keycaps, tags).
bool is_extender(char32_t cp) {
  return cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
         (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0x0300 && cp <= 0x036F) ||
         (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

bool is_regional_indicator(char32_t cp) {
  return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

std::string close_tag(const std::string& name) {
  return "</" + name + ">";
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> validate(std::string_view h) {
  try {
    scanner s(h, true);
    token t;
    while (s.next(t)) {
    }
    if (s.error()) return s.error();
    if (!s.open_tags().empty()) {
      return fail("Can't find end tag corresponding to start tag " + quoted(s.open_tags().back()));
    }
    return std::nullopt;
  } catch (...) {
    return fail("internal error while parsing");
  }
}

std::string to_plain(std::string_view h) {
  std::string out;
  out.reserve(h.size());
  scanner s(h, false);
  token t;
  while (s.next(t)) {
    if (t.kind != tok_kind::text) continue;
    if (t.cp < 0x80) {
      out.push_back(static_cast<char>(t.cp));
    } else {
      append_utf8(out, t.cp);
    }
  }
  return out;
}

std::size_t visible_length(std::string_view h) {
  std::size_t units = 0;
  scanner s(h, false);
  token t;
  while (s.next(t)) {
    if (t.kind == tok_kind::text) units += utf16_units(t.cp);
  }
  return units;
}

std::vector<std::string> split(std::string_view h, std::size_t budget) {
  if (budget == 0) budget = 1;
  if (visible_length(h) <= budget) return {std::string(h)};

  // Compact tokens: one per code point, so keep them small; tag names live in `names`.
  struct ctok {
    std::size_t begin;
    std::size_t end;
    char32_t cp;
    std::uint32_t name;  // index into names (tags only)
    tok_kind kind;
  };
  std::vector<ctok> toks;
  std::vector<std::string> names;
  {
    toks.reserve(h.size() + 1);  // at most one token per byte; untouched pages cost nothing
    scanner s(h, false);
    token t;
    while (s.next(t)) {
      std::uint32_t name = 0;
      if (t.kind != tok_kind::text) {
        name = static_cast<std::uint32_t>(names.size());
        names.push_back(std::move(t.name));
      }
      toks.push_back(ctok{t.begin, t.end, t.cp, name, t.kind});
    }
  }
  const std::size_t n = toks.size();

  // Lenient tag stack: a close tag pops its match (and anything opened above it), else is ignored.
  auto apply = [&](std::vector<std::size_t>& stack, std::size_t k) {
    const ctok& t = toks[k];
    if (t.kind == tok_kind::open) {
      stack.push_back(k);
    } else if (t.kind == tok_kind::close && !stack.empty()) {
      if (names[t.name].empty()) {
        stack.pop_back();
        return;
      }
      for (std::size_t j = stack.size(); j-- > 0;) {
        if (names[toks[stack[j]].name] == names[t.name]) {
          stack.resize(j);
          return;
        }
      }
    }
  };
  auto is_text = [&](std::size_t k) { return toks[k].kind == tok_kind::text; };
  auto is_visible = [&](std::size_t k) { return is_text(k) && !is_ws(toks[k].cp); };

  std::vector<std::string> parts;
  std::vector<std::size_t> stack;  // open tags at `a`
  std::size_t a = 0;
  while (a < n) {
    std::size_t first = a;
    while (first < n && !is_visible(first)) ++first;
    if (first >= n) break;  // only whitespace and tags remain

    // Walk forward collecting cut candidates until the budget is exceeded.
    enum { space = 0, sentence = 1, newline = 2, blank = 3 };
    std::array<std::size_t, 4> best{0, 0, 0, 0};
    std::size_t hard = 0;
    std::size_t units = 0;
    // Leading whitespace of the whole text is kept, so it counts; a run that leaves no room for
    // one visible character is dropped like the whitespace at a cut (found by tests/fuzz).
    bool drop_lead = false;
    if (a == 0) {
      for (std::size_t k = 0; k < first; ++k) {
        if (is_text(k)) units += utf16_units(toks[k].cp);
      }
      if (units >= budget) {
        units = 0;
        drop_lead = true;
      }
    }
    std::size_t stop = n;
    std::size_t prev_visible = n;  // last visible text token
    std::size_t newlines = 0;      // in the whitespace run since prev_visible
    bool in_ws_run = false;
    char32_t prev_cp = 0;
    std::size_t ri_run = 0;  // consecutive regional indicators before the current token
    for (std::size_t k = first; k < n; ++k) {
      if (!is_text(k)) continue;
      const char32_t cp = toks[k].cp;
      if (is_ws(cp)) {
        if (k != first) {
          in_ws_run = true;
          if (cp == '\n') ++newlines;
        }
        units += utf16_units(cp);
        prev_cp = cp;
        ri_run = 0;
        continue;
      }
      if (k != first) {
        if (in_ws_run) {
          const char32_t before = toks[prev_visible].cp;
          int cls = space;
          if (newlines >= 2) {
            cls = blank;
          } else if (newlines == 1) {
            cls = newline;
          } else if (before == '.' || before == '!' || before == '?') {
            cls = sentence;
          }
          best[cls] = k;
        }
        const bool joined =
            is_extender(cp) || prev_cp == 0x200D || (is_regional_indicator(cp) && ri_run % 2 == 1);
        if (!joined) hard = k;
      }
      if (units + utf16_units(cp) > budget) {
        stop = k;
        break;
      }
      units += utf16_units(cp);
      ri_run = is_regional_indicator(cp) ? ri_run + 1 : 0;
      prev_cp = cp;
      prev_visible = k;
      in_ws_run = false;
      newlines = 0;
    }

    std::size_t cut = n;
    if (stop < n) {
      cut = 0;
      for (int cls = blank; cls >= space && cut == 0; --cls) cut = best[cls];
      if (cut == 0) cut = hard;
      if (cut == 0) cut = stop > first ? stop : stop + 1;  // nothing better: overflow by one
      // Open tags and whitespace just before the cut belong to the next part.
      while (cut > first + 1 && (toks[cut - 1].kind == tok_kind::open ||
                                 (is_text(cut - 1) && is_ws(toks[cut - 1].cp)))) {
        --cut;
      }
    }

    // Emit tokens [a, cut): reopened tags, dropped whitespace at the cuts, closing tags.
    std::string part;
    for (const std::size_t k : stack) {
      part.append(h.substr(toks[k].begin, toks[k].end - toks[k].begin));
    }
    std::size_t last_visible = first;
    for (std::size_t k = first; k < cut; ++k) {
      if (is_visible(k)) last_visible = k;
    }
    const bool cut_before = a > 0;
    const bool cut_after = cut < n;
    // Trailing whitespace of the last part goes too when keeping it would exceed the budget.
    const bool drop_tail = cut_after || units > budget;
    for (std::size_t k = a; k < cut; ++k) {
      if (is_text(k) &&
          (((cut_before || drop_lead) && k < first) || (drop_tail && k > last_visible)))
        continue;
      part.append(h.substr(toks[k].begin, toks[k].end - toks[k].begin));
      apply(stack, k);
    }
    if (cut_after) {
      for (std::size_t j = stack.size(); j-- > 0;) part += close_tag(names[toks[stack[j]].name]);
    }
    parts.push_back(std::move(part));
    a = cut;
  }
  if (parts.empty()) parts.emplace_back(h);
  return parts;
}

}  // namespace nocturna::html
