// Loading and validation of the built-in interpreter's tables (bot.md §7.4).
#include "clients/interpret/meanings.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <vector>

namespace nocturna::interpret {

namespace {

constexpr int planet_count = 10;  // SUN..PLUTO
constexpr const char* element_keys[] = {"FIRE", "EARTH", "AIR", "WATER"};
constexpr astro::aspect_type aspect_types[] = {
    astro::aspect_type::conjunction, astro::aspect_type::opposition, astro::aspect_type::trine,
    astro::aspect_type::square, astro::aspect_type::sextile};

using table = std::map<std::string, std::string>;

struct table_rules {
  const char* file;
  std::vector<std::string> keys;
  std::size_t min_chars, max_chars;
  bool sentence;     // must end like a sentence: it is followed by other text in the output
  int placeholders;  // 0 none, 1 {A} once, 2 {A} and {B} once each
};

[[noreturn]] void fail(const std::string& path, int line, const std::string& what) {
  throw meanings_error(path + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " +
                       what);
}

// Code points, or nothing for malformed UTF-8 (which Telegram would reject in a message).
std::optional<std::size_t> utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return std::nullopt;
    i += len;
  }
  return n;
}

std::size_t occurrences(std::string_view s, std::string_view what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string_view::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

bool ends_sentence(std::string_view s) {
  for (std::string_view end : {".", "!", "?", "\xE2\x80\xA6"})
    if (s.size() >= end.size() && s.substr(s.size() - end.size()) == end) return true;
  return false;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(' ') - first + 1));
}

void check_text(const std::string& path, int line, const std::string& key, const std::string& text,
                const table_rules& r) {
  const auto length = utf8_length(text);
  if (!length) fail(path, line, key + ": the text is not valid UTF-8");
  if (*length < r.min_chars || *length > r.max_chars)
    fail(path, line,
         key + ": the text has " + std::to_string(*length) + " characters, expected " +
             std::to_string(r.min_chars) + "–" + std::to_string(r.max_chars));
  const std::size_t braces = occurrences(text, "{") + occurrences(text, "}");
  if (r.placeholders == 2) {
    if (occurrences(text, "{A}") != 1 || occurrences(text, "{B}") != 1 || braces != 4)
      fail(path, line, key + ": the template needs {A} and {B} exactly once each, no other braces");
  } else if (r.placeholders == 1) {
    if (occurrences(text, "{A}") != 1 || braces != 2)
      fail(path, line, key + ": the template needs {A} exactly once, no other braces");
  } else if (braces != 0) {
    fail(path, line, key + ": unexpected '{' or '}' (placeholders exist only in aspect tables)");
  }
  if (r.sentence && !ends_sentence(text))
    fail(path, line, key + ": the text must end a sentence (. ! ? …)");
}

table read_table(const std::string& dir, const table_rules& r) {
  const std::string path = dir + "/" + r.file;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, 0, "cannot read the table");
  const std::set<std::string> allowed(r.keys.begin(), r.keys.end());
  table t;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // editors' BOM
    if (!line.empty() && line.back() == '\r') line.pop_back();                // CRLF checkouts
    if (trim(line).empty() || line.front() == '#') continue;
    if (std::count(line.begin(), line.end(), '\t') != 1)
      fail(path, number, "expected KEY<TAB>text with exactly one tab");
    const auto tab = line.find('\t');
    const std::string key = trim(std::string_view(line).substr(0, tab));
    const std::string text = trim(std::string_view(line).substr(tab + 1));
    if (!allowed.count(key)) fail(path, number, "unknown key '" + key + "'");
    if (t.count(key)) fail(path, number, "key " + key + " listed twice");
    check_text(path, number, key, text, r);
    t.emplace(key, text);
  }
  std::vector<std::string> missing;
  for (const auto& k : r.keys)
    if (!t.count(k)) missing.push_back(k);
  if (!missing.empty())
    fail(path, 0,
         "missing key " + missing.front() +
             (missing.size() > 1 ? " (and " + std::to_string(missing.size() - 1) + " more)"
                                 : std::string()));
  return t;
}

std::vector<std::string> sign_keys() {
  std::vector<std::string> keys;
  for (int s = 0; s < 12; ++s) keys.emplace_back(astro::sign_api_name(s));
  return keys;
}

void check_sign(int sign) {
  if (sign < 0 || sign > 11) throw std::out_of_range("meanings: sign out of range");
}

}  // namespace

element element_of_sign(int sign) {
  check_sign(sign);
  // The zodiac cycles fire, earth, air, water from Aries on.
  return static_cast<element>(sign % 4);
}

meanings meanings::load(const std::string& share_dir) {
  const std::string dir = share_dir + "/" + meanings_dir_name;
  meanings m;

  std::vector<std::string> keys;
  for (int p = 0; p < planet_count; ++p)
    for (int s = 0; s < 12; ++s)
      keys.push_back(std::string(astro::body_api_name(static_cast<astro::body>(p))) + "." +
                     astro::sign_api_name(s));
  const table pis = read_table(dir, {"planet_in_sign.tsv", keys, 60, 250, true, 0});
  for (int p = 0; p < planet_count; ++p)
    for (int s = 0; s < 12; ++s)
      m.planet_in_sign_[p][s] =
          pis.at(std::string(astro::body_api_name(static_cast<astro::body>(p))) + "." +
                 astro::sign_api_name(s));

  const table moon = read_table(dir, {"moon_day.tsv", sign_keys(), 60, 250, true, 0});
  const table asc = read_table(dir, {"asc_in_sign.tsv", sign_keys(), 60, 250, true, 0});
  for (int s = 0; s < 12; ++s) {
    m.moon_day_[s] = moon.at(astro::sign_api_name(s));
    m.asc_in_sign_[s] = asc.at(astro::sign_api_name(s));
  }

  keys.clear();
  for (auto t : aspect_types) keys.emplace_back(astro::aspect_name(t));
  const table asp = read_table(dir, {"aspect.tsv", keys, 30, 200, true, 2});
  const table same = read_table(dir, {"aspect_same.tsv", keys, 30, 200, true, 1});
  for (auto t : aspect_types) {
    m.aspect_[static_cast<int>(t)] = asp.at(astro::aspect_name(t));
    m.aspect_same_[static_cast<int>(t)] = same.at(astro::aspect_name(t));
  }

  keys.clear();
  for (int p = 0; p < planet_count; ++p)
    keys.emplace_back(astro::body_api_name(static_cast<astro::body>(p)));
  for (auto b : {astro::body::mean_node, astro::body::mean_lilith, astro::body::chiron})
    keys.emplace_back(astro::body_api_name(b));
  keys.emplace_back("ASC");
  keys.emplace_back("MC");
  m.theme_ = read_table(dir, {"theme.tsv", keys, 2, 40, false, 0});

  const table el = read_table(dir, {"element_advice.tsv",
                                    {std::begin(element_keys), std::end(element_keys)},
                                    150,
                                    400,
                                    true,
                                    0});
  for (int e = 0; e < 4; ++e) m.element_advice_[e] = el.at(element_keys[e]);

  m.retro_mercury_ = read_table(dir, {"retro_mercury.tsv", {"TEXT"}, 60, 250, true, 0}).at("TEXT");
  const table infl = read_table(dir, {"influence.tsv", {"APPLYING", "SEPARATING"}, 5, 80, true, 0});
  m.applying_ = infl.at("APPLYING");
  m.separating_ = infl.at("SEPARATING");
  m.bi_no_transits_ =
      read_table(dir, {"bi_no_transits.tsv", {"TEXT"}, 20, 250, true, 0}).at("TEXT");
  return m;
}

const std::string& meanings::planet_in_sign(astro::body planet, int sign) const {
  const int p = static_cast<int>(planet);
  if (p < 0 || p >= planet_count) throw std::out_of_range("meanings: not a planet SUN..PLUTO");
  check_sign(sign);
  return planet_in_sign_[p][sign];
}

const std::string& meanings::moon_day(int sign) const {
  check_sign(sign);
  return moon_day_[sign];
}

const std::string& meanings::asc_in_sign(int sign) const {
  check_sign(sign);
  return asc_in_sign_[sign];
}

const std::string& meanings::aspect_template(astro::aspect_type t) const {
  return aspect_.at(static_cast<std::size_t>(t));
}

const std::string& meanings::same_point_template(astro::aspect_type t) const {
  return aspect_same_.at(static_cast<std::size_t>(t));
}

const std::string* meanings::theme(const astro::aspect_point& p) const {
  const auto it = theme_.find(p.api_name());
  return it == theme_.end() ? nullptr : &it->second;
}

const std::string& meanings::element_advice(element e) const {
  return element_advice_.at(static_cast<std::size_t>(e));
}

}  // namespace nocturna::interpret
