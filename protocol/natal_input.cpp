#include "protocol/natal_input.hpp"

#include <array>

#include "protocol/utf16.hpp"

namespace nocturna::natal {

namespace {

bool is_space_cp(char32_t cp) {
  switch (cp) {
    case U' ':
    case U'\t':
    case U'\n':
    case U'\v':
    case U'\f':
    case U'\r':
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:  // a byte-order mark pasted in front of the text
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

// Byte length of the whitespace code point at `pos`, 0 when there is none.
std::size_t space_at(std::string_view text, std::size_t pos) {
  char32_t cp;
  const std::size_t n = decode_utf8(text, pos, cp);
  return n != 0 && is_space_cp(cp) ? n : 0;
}

char32_t lower_cp(char32_t cp) {
  if (cp >= U'A' && cp <= U'Z') return cp + 0x20;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  return cp;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads 1..max_digits (at least min_digits) ASCII digits at `pos`.
bool read_number(std::string_view s, std::size_t& pos, std::size_t min_digits,
                 std::size_t max_digits, int& value) {
  std::size_t n = 0;
  value = 0;
  while (pos < s.size() && is_digit(s[pos]) && n < max_digits) {
    value = value * 10 + (s[pos] - '0');
    ++pos;
    ++n;
  }
  if (pos < s.size() && is_digit(s[pos])) return false;  // more digits than the form allows
  return n >= min_digits;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[static_cast<std::size_t>(m - 1)];
}

struct ymd {
  int y = 0, m = 0, d = 0;
};

// Howard Hinnant's civil_from_days: proleptic Gregorian date of a day count since 1970-01-01.
ymd civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool before(const ymd& a, const ymd& b) {
  if (a.y != b.y) return a.y < b.y;
  if (a.m != b.m) return a.m < b.m;
  return a.d < b.d;
}

std::string two(int v) {
  return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

std::string four(int v) {
  return two(v / 100) + two(v % 100);
}

bool is_lower_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

template <std::size_t N>
bool in_set(std::string_view text, const std::array<std::string_view, N>& words) {
  const std::string n = normalise(text);
  for (auto w : words) {
    if (n == w) return true;
  }
  return false;
}

}  // namespace

std::string_view trim(std::string_view text) {
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t n = space_at(text, begin);
    if (n == 0) break;
    begin += n;
  }
  std::size_t end = text.size();
  while (end > begin) {
    // Step back to the start of the last code point (continuation bytes are 10xxxxxx).
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80 &&
           end - start < 4) {
      --start;
    }
    const std::size_t n = space_at(text, start);
    if (n == 0 || start + n != end) break;
    end = start;
  }
  return text.substr(begin, end - begin);
}

std::string normalise(std::string_view text) {
  const std::string_view t = trim(text);
  std::string out;
  out.reserve(t.size());
  bool pending_space = false;
  std::size_t i = 0;
  while (i < t.size()) {
    char32_t cp;
    std::size_t n = decode_utf8(t, i, cp);
    if (n == 0) n = 1;  // cp is U+FFFD
    i += n;
    if (is_space_cp(cp)) {
      pending_space = true;
      continue;
    }
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    cp = lower_cp(cp);
    if (cp == 0x0451) cp = 0x0435;  // ё → е
    append_utf8(out, cp);
  }
  // "Да !" and "да!." both mean "да".
  while (!out.empty() && (out.back() == '.' || out.back() == '!' || out.back() == ' ')) {
    out.pop_back();
  }
  return out;
}

std::size_t code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    const std::size_t n = decode_utf8(text, i, cp);
    i += n == 0 ? 1 : n;
    ++count;
  }
  return count;
}

parsed_date parse_date(std::string_view text, std::int64_t now_utc) {
  const std::string_view s = trim(text);
  ymd date;
  bool matched = false;
  {
    std::size_t pos = 0;
    matched = read_number(s, pos, 1, 2, date.d) && expect(s, pos, '.') &&
              read_number(s, pos, 1, 2, date.m) && expect(s, pos, '.') &&
              read_number(s, pos, 4, 4, date.y) && pos == s.size();
  }
  if (!matched) {
    std::size_t pos = 0;
    matched = read_number(s, pos, 4, 4, date.y) && expect(s, pos, '-') &&
              read_number(s, pos, 1, 2, date.m) && expect(s, pos, '-') &&
              read_number(s, pos, 1, 2, date.d) && pos == s.size();
  }
  parsed_date out;
  if (!matched) return out;
  if (date.m < 1 || date.m > 12 || date.d < 1 || date.d > days_in_month(date.y, date.m)) {
    out.status = date_check::invalid;
    return out;
  }
  const ymd today = civil_from_days(floor_div(now_utc + 14 * 3600, 86400));
  if (before(date, ymd{1900, 1, 1}) || before(today, date)) {
    out.status = date_check::range;
    return out;
  }
  out.status = date_check::ok;
  out.iso = four(date.y) + "-" + two(date.m) + "-" + two(date.d);
  return out;
}

std::string display_date(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return std::string(iso);
  std::string out;
  out.append(iso.substr(8, 2)).push_back('.');
  out.append(iso.substr(5, 2)).push_back('.');
  out.append(iso.substr(0, 4));
  return out;
}

std::optional<std::string> parse_time(std::string_view text) {
  const std::string_view s = trim(text);
  int h = 0, m = 0, sec = 0;
  std::size_t pos = 0;
  if (!read_number(s, pos, 1, 2, h) || pos >= s.size()) return std::nullopt;
  const char sep = s[pos++];
  if (sep != ':' && sep != '.') return std::nullopt;
  if (!read_number(s, pos, 2, 2, m)) return std::nullopt;
  if (sep == ':' && pos < s.size()) {
    if (!expect(s, pos, ':') || !read_number(s, pos, 2, 2, sec)) return std::nullopt;
  }
  if (pos != s.size() || h > 23 || m > 59 || sec > 59) return std::nullopt;
  return two(h) + ":" + two(m);
}

bool is_unknown_time_word(std::string_view text) {
  static constexpr std::array<std::string_view, 3> words{"не знаю", "не знаю время", "неизвестно"};
  return in_set(text, words);
}

bool is_yes_word(std::string_view text) {
  static constexpr std::array<std::string_view, 9> words{
      "да", "д", "yes", "y", "ок", "ok", "сохранить", "верно", "все верно"};
  return in_set(text, words);
}

bool is_no_word(std::string_view text) {
  static constexpr std::array<std::string_view, 6> words{"нет", "н",      "no",
                                                         "n",   "заново", "нет, заново"};
  return in_set(text, words);
}

bool is_nonce(std::string_view text) {
  if (text.size() != 8) return false;
  for (char c : text) {
    if (!is_lower_hex(c)) return false;
  }
  return true;
}

std::string format_nonce(std::uint32_t random) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(8, '0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = hex[random & 0xF];
    random >>= 4;
  }
  return out;
}

std::optional<callback_payload> parse_callback(std::string_view data) {
  // "n:" + 8 + ":" + 1 or 2 characters
  if (data.size() < 12 || data.size() > 13 || data.substr(0, 2) != "n:" || data[10] != ':') {
    return std::nullopt;
  }
  callback_payload p;
  p.nonce = std::string(data.substr(2, 8));
  if (!is_nonce(p.nonce)) return std::nullopt;
  const std::string_view tail = data.substr(11);
  if (tail == "t") {
    p.what = callback_payload::unknown_time;
  } else if (tail == "y") {
    p.what = callback_payload::yes;
  } else if (tail == "r") {
    p.what = callback_payload::restart;
  } else if (tail == "s") {
    p.what = callback_payload::skip_name;
  } else if (tail.size() == 2 && tail[0] == 'c' && tail[1] >= '0' && tail[1] <= '4') {
    p.what = callback_payload::choice;
    p.index = tail[1] - '0';
  } else {
    return std::nullopt;
  }
  return p;
}

std::string callback_data(const callback_payload& payload) {
  std::string out = "n:" + payload.nonce + ":";
  switch (payload.what) {
    case callback_payload::unknown_time:
      out += 't';
      break;
    case callback_payload::choice:
      out += 'c';
      out += std::to_string(payload.index);
      break;
    case callback_payload::yes:
      out += 'y';
      break;
    case callback_payload::restart:
      out += 'r';
      break;
    case callback_payload::skip_name:
      out += 's';
      break;
  }
  return out;
}

}  // namespace nocturna::natal
