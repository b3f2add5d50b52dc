// The offline gazetteer on Debian's libgeonames (docs/integrations.md §3.4–§3.6) and its alias
// file.
#include "clients/geo/gazetteer.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <string>

#include "clients/geo/geo_aliases.hpp"
#include "clients/geo/geonames_source.hpp"
#include "clients/geo/place_text.hpp"
#include "clients/geo/string_pool.hpp"
#include "tests/support/same_place.hpp"

using namespace nocturna::geo;
using nocturna::testing::same_place;

namespace {

// One index per test process (reading libgeonames takes a few hundred ms).
const gazetteer& gaz() {
  static const std::shared_ptr<const gazetteer> g = [] {
    prepare_geonames_locale();
    return gazetteer::load(NOCTURNA_SOURCE_SHARE_DIR);
  }();
  return *g;
}

std::vector<std::string> labels(const search_result& r) {
  std::vector<std::string> out;
  for (const auto& p : r.matches) out.push_back(p.label());
  return out;
}

void check_single(const std::string& query, const std::string& label) {
  const auto r = gaz().search(query);
  std::string found;
  for (const auto& l : labels(r)) found += " | " + l;
  INFO("query " << query << " found" << found);
  CHECK(r.total == 1);
  REQUIRE(r.matches.size() == 1);
  CHECK(r.matches[0].label() == label);
}

}  // namespace

TEST_CASE("gazetteer: index is built and localised") {
  CHECK(gaz().size() > 24000);
  CHECK(gaz().localised());
}

TEST_CASE("gazetteer: Moscow in Russian and English") {
  const auto r = gaz().search("Москва");
  REQUIRE(r.total == 2);
  CHECK(labels(r) == std::vector<std::string>{"Москва, Россия", "Москва, Айдахо, США"});
  const place& m = r.matches[0];
  CHECK(m.zone == "Europe/Moscow");
  CHECK(std::fabs(m.latitude - 55.7522) < 1e-4);
  CHECK(std::fabs(m.longitude - 37.6156) < 1e-4);
  CHECK(m.country_code == "RU");
  CHECK(r.matches[1].zone == "America/Los_Angeles");
  const auto en = gaz().search("Moscow");
  REQUIRE(!en.matches.empty());
  CHECK(en.matches[0].label() == "Москва, Россия");
  for (const char* q : {"Москва, Россия", "Москва, RU", "Moscow, Russia", "  москва ,  россия ",
                        "МОСКВА, РОССИЯ.", "Москва, Россия!"})
    check_single(q, "Москва, Россия");
  CHECK(gaz().search("МОСКВА.").total == 2);
  CHECK(gaz().search("Москва!").total == 2);
}

TEST_CASE("gazetteer: Russian examples of docs/integrations.md 3.6") {
  CHECK(labels(gaz().search("Ростов")) ==
        std::vector<std::string>{"Ростов-на-Дону, Ростовская область, Россия",
                                 "Ростов, Ярославская область, Россия"});
  CHECK(labels(gaz().search("Лондон")) ==
        std::vector<std::string>{"Лондон, Англия, Британия", "Лондон, Онтарио, Канада"});
  const auto troitsk = gaz().search("Троицк");
  REQUIRE(troitsk.total == 2);
  CHECK(troitsk.matches[0].zone == "Asia/Yekaterinburg");
  CHECK(troitsk.matches[1].zone == "Europe/Moscow");
  check_single("Троицк, Москва", troitsk.matches[1].label());
  check_single("Орел", "Орёл, Орловская область, Россия");
  check_single("Орёл", "Орёл, Орловская область, Россия");
  check_single("Нью Йорк", "Нью-Йорк, США");
  check_single("Tver", "Тверь, Тверская область, Россия");
  check_single("Екатеринб", "Екатеринбург, Свердловская область, Россия");
  CHECK(gaz().search("Екатеринб").matches[0].zone == "Asia/Yekaterinburg");
  const auto murmansk = gaz().search("Мурманск");
  REQUIRE(murmansk.total == 1);
  CHECK(std::fabs(murmansk.matches[0].latitude - 68.9792) < 1e-4);
  check_single("Санкт-Петербург", "Санкт-Петербург, Россия");
  CHECK(gaz().search("Санкт-Петербург").matches[0].zone == "Europe/Moscow");
}

TEST_CASE("gazetteer: aliases") {
  for (const char* q : {"Питер", "СПб", "спб", "Спб", "Петербург", "Ленинград"})
    check_single(q, "Санкт-Петербург, Россия");
  check_single("Лондон, Великобритания", "Лондон, Англия, Британия");
  check_single("Лондон, UK", "Лондон, Англия, Британия");
  check_single("Мск", "Москва, Россия");  // canonical query with its own qualifier
}

TEST_CASE("gazetteer: at most N results, best first, total reported") {
  const auto r = gaz().search("San", 5);
  CHECK(r.matches.size() <= 5);
  CHECK(r.total >= r.matches.size());
  for (std::size_t i = 1; i < r.matches.size(); ++i)
    CHECK(r.matches[i - 1].population >= r.matches[i].population);
  CHECK(gaz().search("Москва", 1).matches.size() == 1);
  CHECK(gaz().search("Москва", 1).total == 2);
}

TEST_CASE("gazetteer: garbage input never matches and never crashes") {
  const std::string ten_kb(10 * 1024, 'x');
  std::string cyrillic_10kb;
  while (cyrillic_10kb.size() < 10 * 1024) cyrillic_10kb += "Москва ";
  for (const std::string& q :
       {std::string(""), std::string("   "), std::string(","), std::string(", Россия"),
        std::string("<b>Гор&од</b>"), std::string("&amp;"), std::string("<script>"),
        std::string("\"Москва\" & 'Тверь' <"), std::string("🌍"), std::string("🌍🌍🌍🌍"),
        std::string("😀 😃 😄"), ten_kb, cyrillic_10kb, std::string("\xff\xfe\xfd"),
        std::string("Моск\xd0"), std::string("a\0b", 3), std::string("...!!!"), std::string("-"),
        std::string("'")}) {
    INFO("query of " << q.size() << " bytes");
    const auto r = gaz().search(q);
    CHECK(r.total == 0);
    CHECK(r.matches.empty());
  }
}

TEST_CASE("gazetteer: nearest city") {
  const auto m = gaz().nearest(55.75, 37.62);
  REQUIRE(m);
  CHECK(m->city.label() == "Москва, Россия");
  CHECK(m->rounded_km() == 0);
  const auto p = gaz().nearest(0, -160);
  REQUIRE(p);
  CHECK(p->city.label() == "Пагопаго, Eastern District, Американское Самоа");
  CHECK(p->rounded_km() == 1977);
  CHECK_FALSE(gaz().nearest(91, 0));
  CHECK_FALSE(gaz().nearest(0, -180.5));
  CHECK_FALSE(gaz().nearest(NAN, 0));
  CHECK(gaz().nearest(90, 180));
  CHECK(gaz().nearest(-90, -180));
}

TEST_CASE("gazetteer: place text normalisation") {
  CHECK(normalise_place("  Ростов-на-Дону  ") == "ростов на дону");
  CHECK(normalise_place("ОРЁЛ") == "орел");
  CHECK(normalise_place("Нью   Йорк.") == "нью йорк");
  CHECK(normalise_place("Kazan’") == "kazan");
  CHECK(normalise_place("Île-de-France") == "île de france");
  CHECK(normalise_place("\xff") == "");
  CHECK(first_word("ростов на дону") == "ростов");
  CHECK(utf8_length("ёжик") == 4);
  CHECK(great_circle_km(0, 0, 0, 1) == doctest::Approx(111.195).epsilon(1e-4));
}

TEST_CASE("gazetteer: alias file format errors") {
  const auto ok = parse_aliases("# comment\n\nПитер\tСанкт-Петербург\r\nUK\tGB\n", "a.tsv");
  CHECK(ok.size() == 2);
  CHECK(ok.at("питер") == "санкт петербург");
  CHECK(ok.at("uk") == "gb");
  CHECK_THROWS_WITH_AS(parse_aliases("Питер Санкт-Петербург\n", "a.tsv"),
                       "a.tsv:1: expected exactly one tab between alias and canonical query",
                       alias_file_error);
  CHECK_THROWS_AS(parse_aliases("a\tb\tc\n", "a.tsv"), alias_file_error);
  CHECK_THROWS_WITH_AS(parse_aliases("СПб\tx\n#\nспб\ty\n", "f"), "f:3: alias listed twice: спб",
                       alias_file_error);
  CHECK_THROWS_AS(parse_aliases("\tx\n", "f"), alias_file_error);
  CHECK_THROWS_AS(load_aliases("/nonexistent/geo_aliases_ru.tsv"), alias_file_error);
}

TEST_CASE("gazetteer: pure index built by hand") {
  place a;
  a.name = "Орёл";
  a.name_en = "Orel";
  a.region = "Орловская область";
  a.country = "Россия";
  a.country_code = "RU";
  a.zone = "Europe/Moscow";
  a.population = 10;
  place b = a;
  b.name = "Орёл";  // same label, smaller: dropped as a duplicate
  b.population = 5;
  const gazetteer g({a, b}, alias_table{{"орлик", "орел"}});
  const auto r = g.search("орлик");
  CHECK(r.total == 1);
  CHECK(g.search("ORE").total == 1);
  CHECK(g.search("OR").total == 0);  // prefixes need 3 characters
  CHECK_FALSE(g.localised());
}

namespace {

// The index as it was before it became compact (a std::string per field, the same steps of
// docs/integrations.md §3.4–§3.5): the compact one must answer exactly as this one does.
struct reference_index {
  struct entry {
    place city;
    std::string name, name_en, region, region_en, country, country_en, code;
  };
  std::vector<entry> entries;
  alias_table aliases;

  static bool prefixed(const std::string& s, const std::string& p) {
    return !p.empty() && s.size() >= p.size() && s.compare(0, p.size(), p) == 0;
  }
  static std::string trimmed(std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  }

  search_result search(const std::string& text, std::size_t limit = 5) const {
    search_result out;
    const std::string query = text.size() > 256 ? "" : normalise_place(text);
    if (query.empty()) return out;
    const auto comma = query.find(',');
    std::string city = trimmed(query.substr(0, comma));
    std::string qualifier = comma == std::string::npos ? "" : trimmed(query.substr(comma + 1));
    if (aliases.count(city)) {
      city = aliases.at(city);
      if (const auto c = city.find(','); c != std::string::npos) {
        if (qualifier.empty()) qualifier = trimmed(city.substr(c + 1));
        city = trimmed(city.substr(0, c));
      }
    }
    if (aliases.count(qualifier)) qualifier = aliases.at(qualifier);
    if (city.empty()) return out;
    std::vector<const entry*> found;
    for (const auto& e : entries)
      if (e.name == city || e.name_en == city || first_word(e.name) == city ||
          first_word(e.name_en) == city)
        found.push_back(&e);
    if (found.empty() && utf8_length(city) >= 3)
      for (const auto& e : entries)
        if (prefixed(e.name, city) || prefixed(e.name_en, city)) found.push_back(&e);
    std::vector<const entry*> kept;
    for (const entry* e : found)
      if (qualifier.empty() || prefixed(e->country, qualifier) ||
          prefixed(e->country_en, qualifier) || prefixed(e->region, qualifier) ||
          prefixed(e->region_en, qualifier) || prefixed(e->code, qualifier))
        kept.push_back(e);
    std::stable_sort(kept.begin(), kept.end(), [](const entry* a, const entry* b) {
      return a->city.population != b->city.population ? a->city.population > b->city.population
                                                      : a->city.name < b->city.name;
    });
    std::set<std::string> seen;
    for (const entry* e : kept)
      if (seen.insert(e->city.label()).second && ++out.total <= limit)
        out.matches.push_back(e->city);
    return out;
  }

  std::optional<nearest_place> nearest(double lat, double lon) const {
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return std::nullopt;
    std::optional<nearest_place> best;
    for (const auto& e : entries) {
      const double km = great_circle_km(lat, lon, e.city.latitude, e.city.longitude);
      if (!best || km < best->distance_km ||
          (km == best->distance_km && e.city.population > best->city.population))
        best = nearest_place{e.city, km};
    }
    return best;
  }
};

const reference_index& reference() {
  static const reference_index r = [] {
    gaz();  // prepares the locale for Russian names first
    reference_index out;
    out.aliases = load_aliases(std::string(NOCTURNA_SOURCE_SHARE_DIR) + "/" + alias_file_name);
    for (auto& c : read_geonames_cities())
      out.entries.push_back({c, normalise_place(c.name), normalise_place(c.name_en),
                             normalise_place(c.region), normalise_place(c.region_en),
                             normalise_place(c.country), normalise_place(c.country_en),
                             normalise_place(c.country_code)});
    return out;
  }();
  return r;
}

// The first `n` UTF-8 characters of `s`.
std::string first_chars(const std::string& s, std::size_t n) {
  std::size_t at = 0;
  for (std::size_t chars = 0; at < s.size() && chars < n; ++chars)
    for (++at; at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80;) ++at;
  return s.substr(0, at);
}

}  // namespace

TEST_CASE("gazetteer: the compact index answers as the reference index on libgeonames") {
  const auto& ref = reference();
  REQUIRE(ref.entries.size() == gaz().size());
  std::vector<std::string> queries = {"",       "  ",         ",",
                                      "Москва", "San",        "Санкт-Петербург",
                                      "Ростов", "Лондон, UK", "Троицк, Москва",
                                      "Орел"};
  for (const auto& [alias, canonical] : ref.aliases) queries.push_back(alias);
  // Every 150th city (~160): its names whole, their first word, prefixes of 3 and 4 characters,
  // and the name narrowed by country, English region, ISO code and a wrong qualifier.
  for (std::size_t i = 0; i < ref.entries.size(); i += 150) {
    const place& c = ref.entries[i].city;
    for (const std::string& name : {c.name, c.name_en}) {
      queries.push_back(name);
      queries.push_back(std::string(first_word(normalise_place(name))));
      queries.push_back(first_chars(name, 3));
      queries.push_back(first_chars(name, 4));
    }
    queries.push_back(c.name + ", " + c.country);
    queries.push_back(c.name_en + ", " + c.region_en);
    queries.push_back(c.name + ", " + c.country_code);
    queries.push_back(c.name + ", Атлантида");
  }
  std::size_t compared = 0, matched = 0;
  for (const auto& q : queries) {
    for (std::size_t limit : {std::size_t{20}}) {
      const auto want = ref.search(q, limit);
      const auto got = gaz().search(q, limit);
      INFO("query [" << q << "] limit " << limit);
      REQUIRE(got.total == want.total);
      REQUIRE(got.matches.size() == want.matches.size());
      for (std::size_t m = 0; m < got.matches.size(); ++m)
        CHECK(same_place(got.matches[m], want.matches[m]));
      ++compared;
      matched += want.total > 0;
    }
  }
  CHECK(compared > 1500);
  CHECK(matched > compared / 2);  // the queries mostly find something: they test the matching

  // Nearest: a 30° grid with the poles and the date line, and points near every 500th city.
  std::vector<std::pair<double, double>> points;
  for (double lat = -90; lat <= 90; lat += 30)
    for (double lon = -180; lon <= 180; lon += 30) points.emplace_back(lat, lon);
  for (std::size_t i = 0; i < ref.entries.size(); i += 500) {
    const place& c = ref.entries[i].city;
    points.emplace_back(c.latitude, c.longitude);
    points.emplace_back(std::min(90.0, c.latitude + 0.37), std::max(-180.0, c.longitude - 0.21));
  }
  for (const auto& [lat, lon] : points) {
    const auto want = ref.nearest(lat, lon);
    const auto got = gaz().nearest(lat, lon);
    INFO("nearest " << lat << ", " << lon);
    REQUIRE(want.has_value());
    REQUIRE(got.has_value());
    CHECK(same_place(got->city, want->city));
    CHECK(got->distance_km == want->distance_km);
  }
}

TEST_CASE("gazetteer: the compact index of libgeonames stays a few MB") {
  // ~28 MB as std::strings per field; the countries', regions' and zones' texts are kept once.
  CHECK(gaz().memory_bytes() < 4u * 1024 * 1024);
  CHECK(gaz().memory_bytes() > 48u * gaz().size());  // at least the fixed rows
}

TEST_CASE("gazetteer: string pool") {
  string_pool pool;
  const auto moscow = pool.intern("Москва");
  const auto empty = pool.intern("");
  CHECK(pool.intern(std::string("Моск") + "ва") == moscow);
  CHECK(pool.intern("Moscow") != moscow);
  CHECK(pool.get(moscow) == "Москва");
  CHECK(pool.get(empty).empty());
  CHECK(pool.intern("") == empty);
  // Past the first look-up table's size (it grows) and with texts that share prefixes.
  std::vector<string_pool::id> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(pool.intern("city " + std::to_string(i)));
  CHECK(pool.size() == 5003);
  for (int i = 0; i < 5000; ++i) {
    CHECK(pool.get(ids[i]) == "city " + std::to_string(i));
    CHECK(pool.intern("city " + std::to_string(i)) == ids[i]);
  }
  const auto held = pool.bytes();
  pool.freeze();
  CHECK(pool.bytes() < held);  // the look-up table is gone
  CHECK(pool.get(ids[4999]) == "city 4999");
  CHECK(pool.intern("city 17") == ids[17]);  // still correct after freeze (table rebuilt)
  CHECK(pool.intern("Тверь") == 5003);
  CHECK(pool.get(moscow) == "Москва");
}
