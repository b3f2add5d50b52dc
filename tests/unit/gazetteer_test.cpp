// The offline gazetteer on Debian's libgeonames (docs/integrations.md §3.4–§3.6) and its alias
// file.
#include "clients/geo/gazetteer.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "clients/geo/geo_aliases.hpp"
#include "clients/geo/geonames_source.hpp"
#include "clients/geo/place_text.hpp"

using namespace nocturna::geo;

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
