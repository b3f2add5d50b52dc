// Loading and validation of the built-in interpreter's tables (docs/interpretations.md).
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
constexpr astro::body personal_last = astro::body::mars;
constexpr const char* family_keys[] = {"CONJUNCTION", "HARMONY", "TENSION"};
constexpr const char* duration_keys[] = {"HOURS", "DAYS", "WEEKS", "MONTHS"};
constexpr astro::aspect_type aspect_types[] = {
    astro::aspect_type::conjunction, astro::aspect_type::opposition, astro::aspect_type::trine,
    astro::aspect_type::square, astro::aspect_type::sextile};
constexpr const char* case_names[] = {"nom", "gen", "dat", "acc", "ins", "pre"};

using table = std::map<std::string, std::vector<std::string>>;

struct table_rules {
  const char* file;
  std::vector<std::string> keys;
  std::size_t min_chars, max_chars;
  bool sentence;  // must end like a sentence: it is followed by other text in the output
  std::size_t min_variants = 1;
  bool variants = false;                // a key may be listed on several lines
  std::vector<std::string> required{};  // placeholders every text has exactly once
  std::vector<std::string> allowed{};   // further placeholders a text may have
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

// Every `{…}` of the text must be a placeholder the table knows; the required ones exactly once.
void check_placeholders(const std::string& path, int line, const std::string& key,
                        const std::string& text, const table_rules& r) {
  for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
    const auto close = text.find('}', open);
    if (close == std::string::npos) fail(path, line, key + ": '{' without '}'");
    const std::string name = text.substr(open, close - open + 1);
    const bool known = std::count(r.required.begin(), r.required.end(), name) +
                           std::count(r.allowed.begin(), r.allowed.end(), name) >
                       0;
    if (!known) fail(path, line, key + ": unknown placeholder " + name);
  }
  if (occurrences(text, "}") != occurrences(text, "{")) fail(path, line, key + ": unmatched '}'");
  for (const auto& name : r.required)
    if (occurrences(text, name) != 1) fail(path, line, key + ": the text needs " + name + " once");
}

void check_text(const std::string& path, int line, const std::string& key, const std::string& text,
                const table_rules& r) {
  const auto length = utf8_length(text);
  if (!length) fail(path, line, key + ": the text is not valid UTF-8");
  if (*length < r.min_chars || *length > r.max_chars)
    fail(path, line,
         key + ": the text has " + std::to_string(*length) + " characters, expected " +
             std::to_string(r.min_chars) + "–" + std::to_string(r.max_chars));
  check_placeholders(path, line, key, text, r);
  if (r.sentence && !ends_sentence(text))
    fail(path, line, key + ": the text must end a sentence (. ! ? …)");
  // Typography is the program's (protocol/typography.hpp): the tables hold plain spaces, «…»
  // quotes and real dashes, never a hyphen or three dots in their place.
  if (text.find(" - ") != std::string::npos || text.find("...") != std::string::npos)
    fail(path, line, key + ": write «—» for a dash and «…» for three dots");
}

table read_table(const std::string& dir, const table_rules& r) {
  const std::string path = dir + "/" + r.file;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, 0, "cannot read the table");
  const std::set<std::string> allowed(r.keys.begin(), r.keys.end());
  table t;
  std::set<std::string> seen;
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
    if (t.count(key) && !r.variants) fail(path, number, "key " + key + " listed twice");
    check_text(path, number, key, text, r);
    if (!seen.insert(text).second) fail(path, number, key + ": the same text is listed twice");
    t[key].push_back(text);
  }
  std::vector<std::string> missing;
  for (const auto& k : r.keys)
    if (!t.count(k)) missing.push_back(k);
  if (!missing.empty())
    fail(path, 0,
         "missing key " + missing.front() +
             (missing.size() > 1 ? " (and " + std::to_string(missing.size() - 1) + " more)"
                                 : std::string()));
  for (const auto& [key, texts] : t)
    if (texts.size() < r.min_variants)
      fail(path, 0,
           key + ": " + std::to_string(texts.size()) + " variants, expected at least " +
               std::to_string(r.min_variants));
  return t;
}

std::string single(const table& t, const std::string& key) {
  return t.at(key).front();
}

std::vector<std::string> sign_keys() {
  std::vector<std::string> keys;
  for (int s = 0; s < 12; ++s) keys.emplace_back(astro::sign_api_name(s));
  return keys;
}

void check_sign(int sign) {
  if (sign < 0 || sign > 11) throw std::out_of_range("meanings: sign out of range");
}

std::string planet_key(int p) {
  return astro::body_api_name(static_cast<astro::body>(p));
}

std::string pair_key(astro::body a, astro::body b, family f) {
  if (b < a) std::swap(a, b);
  return std::string(astro::body_api_name(a)) + "+" + astro::body_api_name(b) + "." + family_key(f);
}

// forms.tsv: "nom|gen|dat|acc|ins|pre|g".
std::map<std::string, noun_forms> parse_forms(const std::string& path, const table& t) {
  std::map<std::string, noun_forms> out;
  for (const auto& [key, texts] : t) {
    std::vector<std::string> parts;
    std::string part;
    for (char c : texts.front() + "|") {
      if (c != '|') {
        part += c;
        continue;
      }
      parts.push_back(trim(part));
      part.clear();
    }
    if (parts.size() != 7) fail(path, 0, key + ": expected 6 cases and a gender separated by '|'");
    noun_forms f;
    for (std::size_t i = 0; i < 6; ++i) {
      if (parts[i].empty()) fail(path, 0, key + ": empty case " + case_names[i]);
      f.forms[i] = parts[i];
    }
    if (parts[6] == "m")
      f.gender = ru::gender::masculine;
    else if (parts[6] == "f")
      f.gender = ru::gender::feminine;
    else if (parts[6] == "n")
      f.gender = ru::gender::neuter;
    else
      fail(path, 0, key + ": gender must be m, f or n");
    out.emplace(key, f);
  }
  return out;
}

}  // namespace

family family_of(astro::aspect_type t) {
  switch (t) {
    case astro::aspect_type::conjunction:
      return family::conjunction;
    case astro::aspect_type::trine:
    case astro::aspect_type::sextile:
      return family::harmony;
    default:
      return family::tension;
  }
}

const char* family_key(family f) {
  return family_keys[static_cast<int>(f)];
}

duration duration_of(astro::body transiting) {
  switch (transiting) {
    case astro::body::moon:
      return duration::hours;
    case astro::body::sun:
    case astro::body::mercury:
    case astro::body::venus:
    case astro::body::mars:
      return duration::days;
    case astro::body::jupiter:
    case astro::body::saturn:
      return duration::weeks;
    default:
      return duration::months;
  }
}

bool pair_family_possible(astro::body a, astro::body b, family f) {
  if (b < a) std::swap(a, b);
  if (a == b || a > personal_last || b > astro::body::pluto) return false;
  using astro::body;
  if (a == body::sun && (b == body::mercury || b == body::venus)) return f == family::conjunction;
  if (a == body::mercury && b == body::venus) return f != family::tension;
  return true;
}

meanings meanings::load(const std::string& share_dir) {
  const std::string dir = share_dir + "/" + meanings_dir_name;
  meanings m;

  std::vector<std::string> keys;
  for (int p = 0; p < planet_count; ++p)
    for (int s = 0; s < 12; ++s) keys.push_back(planet_key(p) + "." + astro::sign_api_name(s));
  const table pis = read_table(dir, {"planet_in_sign.tsv", keys, 60, 250, true});
  for (int p = 0; p < planet_count; ++p)
    for (int s = 0; s < 12; ++s)
      m.planet_in_sign_[p][s] = single(pis, planet_key(p) + "." + astro::sign_api_name(s));

  const table moon = read_table(dir, {"moon_day.tsv", sign_keys(), 60, 250, true});
  const table asc = read_table(dir, {"asc_in_sign.tsv", sign_keys(), 60, 250, true});
  for (int s = 0; s < 12; ++s) {
    m.moon_day_[s] = single(moon, astro::sign_api_name(s));
    m.asc_in_sign_[s] = single(asc, astro::sign_api_name(s));
  }

  keys.clear();
  for (int d = 1; d <= lunar_day_count; ++d) keys.push_back("DAY" + std::to_string(d));
  const table lunar = read_table(dir, {"lunar_day.tsv", keys, 60, 250, true});
  for (int d = 1; d <= lunar_day_count; ++d)
    m.lunar_day_[d - 1] = single(lunar, "DAY" + std::to_string(d));
  m.moon_phase_ =
      read_table(dir, {"moon_phase.tsv",
                       {"NEW_MOON", "WAXING_CRESCENT", "FIRST_QUARTER", "WAXING_GIBBOUS",
                        "FULL_MOON", "WANING_GIBBOUS", "LAST_QUARTER", "WANING_CRESCENT"},
                       60,
                       250,
                       true});

  std::vector<std::string> points;
  for (int p = 0; p < planet_count; ++p) points.push_back(planet_key(p));
  points.insert(points.end(), {"ASC", "MC"});
  keys = points;
  keys.insert(keys.end(), {"NORTH_NODE", "LILITH", "CHIRON", "DSC", "IC"});
  for (auto t : aspect_types) keys.emplace_back(astro::aspect_name(t));
  m.forms_ = parse_forms(dir + "/forms.tsv", read_table(dir, {"forms.tsv", keys, 11, 200, false}));

  keys.clear();
  for (int a = 0; a < planet_count; ++a)
    for (int b = a + 1; b < planet_count; ++b)
      for (auto f : {family::conjunction, family::harmony, family::tension})
        if (pair_family_possible(static_cast<astro::body>(a), static_cast<astro::body>(b), f))
          keys.push_back(pair_key(static_cast<astro::body>(a), static_cast<astro::body>(b), f));
  m.pair_ = read_table(dir, {"pair.tsv", keys, 60, 260, true, 2, true});

  keys.clear();
  std::vector<std::string> transit_names;
  for (const char* c : case_names) transit_names.push_back(std::string("{T.") + c + "}");
  for (int p = 0; p < planet_count; ++p)
    for (const char* f : family_keys) keys.push_back(planet_key(p) + "." + f);
  m.transit_ =
      read_table(dir, {"transit.tsv", keys, 40, 260, true, 3, true, {"{N}"}, transit_names});
  m.natal_point_ = read_table(dir, {"natal_point.tsv", points, 10, 90, false, 2, true});

  keys.clear();
  for (const char* d : duration_keys)
    for (const char* a : {"APPLYING", "SEPARATING"}) keys.push_back(std::string(d) + "." + a);
  m.duration_ = read_table(dir, {"duration.tsv", keys, 20, 160, true, 5, true});

  keys.clear();
  for (const char* area : {"EMOTIONS", "ATTRACTION", "COMMUNICATION", "VALUES", "STABILITY"})
    for (const char* v : {"HARMONY", "TENSION", "NEUTRAL"})
      keys.push_back(std::string(area) + "." + v);
  m.synastry_ = read_table(dir, {"synastry.tsv", keys, 60, 260, true, 2, true});

  m.advice_ = read_table(dir, {"advice.tsv", {"TEXT"}, 100, 400, true, 28, true}).at("TEXT");
  m.retro_mercury_ =
      single(read_table(dir, {"retro_mercury.tsv", {"TEXT"}, 60, 250, true}), "TEXT");
  m.bi_no_transits_ =
      single(read_table(dir, {"bi_no_transits.tsv", {"TEXT"}, 20, 250, true}), "TEXT");
  return m;
}

const std::vector<std::string>& meanings::synastry_texts(const std::string& key) const {
  auto it = synastry_.find(key);
  if (it == synastry_.end()) throw std::out_of_range("meanings: no synastry key " + key);
  return it->second;
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

const std::string& meanings::lunar_day(int number) const {
  if (number < 1 || number > lunar_day_count)
    throw std::out_of_range("meanings: lunar day out of range");
  return lunar_day_[number - 1];
}

const std::string& meanings::moon_phase(const std::string& key) const {
  return moon_phase_.at(key).front();
}

const std::string& meanings::asc_in_sign(int sign) const {
  check_sign(sign);
  return asc_in_sign_[sign];
}

const noun_forms* meanings::forms(const std::string& key) const {
  const auto it = forms_.find(key);
  return it == forms_.end() ? nullptr : &it->second;
}

const std::vector<std::string>* meanings::pair_texts(astro::body a, astro::body b, family f) const {
  if (!pair_family_possible(a, b, f)) return nullptr;
  const auto it = pair_.find(pair_key(a, b, f));
  return it == pair_.end() ? nullptr : &it->second;
}

const std::vector<std::string>* meanings::transit_texts(astro::body transiting, family f) const {
  const int p = static_cast<int>(transiting);
  if (p < 0 || p >= planet_count) return nullptr;
  const auto it = transit_.find(planet_key(p) + "." + family_key(f));
  return it == transit_.end() ? nullptr : &it->second;
}

const std::vector<std::string>* meanings::natal_point(const astro::aspect_point& p) const {
  const auto it = natal_point_.find(p.api_name());
  return it == natal_point_.end() ? nullptr : &it->second;
}

const std::vector<std::string>& meanings::duration_texts(duration d, bool applying) const {
  return duration_.at(std::string(duration_keys[static_cast<int>(d)]) +
                      (applying ? ".APPLYING" : ".SEPARATING"));
}

}  // namespace nocturna::interpret
