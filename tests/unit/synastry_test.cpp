// Compatibility (protocol/synastry.hpp, astro::synastry_aspects): the inter-aspects of two fixed
// charts from the embedded Swiss Ephemeris engine, the area summary and the report text.
#include "protocol/synastry.hpp"

#include <doctest/doctest.h>

#include <cstdio>

#include "clients/astro/aspects.hpp"
#include "protocol/compat_texts.hpp"
#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/typography.hpp"
#include "tests/unit/astro_fixtures.hpp"

using namespace nocturna;
using astro::testing::build_ok;
using astro::testing::dt;

namespace {

// A: 1990-03-15 14:30 Europe/Moscow, Moscow. B: 1992-07-04 08:15 Europe/Moscow, Saint Petersburg.
const astro::chart& chart_a(bool time_known = true) {
  static const astro::chart known = build_ok(astro::chart_request::at_local(
      dt(1990, 3, 15, 14, 30), "Europe/Moscow", 55.7522, 37.6156, true));
  static const astro::chart unknown = build_ok(astro::chart_request::at_local(
      dt(1990, 3, 15, 14, 30), "Europe/Moscow", 55.7522, 37.6156, false));
  return time_known ? known : unknown;
}

const astro::chart& chart_b(bool time_known = true) {
  static const astro::chart known = build_ok(astro::chart_request::at_local(
      dt(1992, 7, 4, 8, 15), "Europe/Moscow", 59.9386, 30.3141, true));
  static const astro::chart unknown = build_ok(astro::chart_request::at_local(
      dt(1992, 7, 4, 8, 15), "Europe/Moscow", 59.9386, 30.3141, false));
  return time_known ? known : unknown;
}

std::string point(const astro::aspect_point& p) {
  return p.api_name();
}

// "SUN trine MOON 1.2345": what the expected lists below are written in.
std::vector<std::string> described(const std::vector<astro::aspect>& list) {
  std::vector<std::string> out;
  char orb[32];
  for (const auto& a : list) {
    std::snprintf(orb, sizeof orb, "%.4f", a.orb);
    out.push_back(point(a.p1) + " " + astro::aspect_name(a.type) + " " + point(a.p2) + " " + orb);
  }
  return out;
}

astro::aspect make(astro::body a, astro::body b, astro::aspect_type t, double orb = 1) {
  astro::aspect x;
  x.p1.id = a;
  x.p2.id = b;
  x.type = t;
  x.orb = orb;
  return x;
}

}  // namespace

// The full lists, computed by the embedded engine (libswe 2.10.03, the Swiss Ephemeris files) and
// cross-checked once: `swetest -b15.3.1990 -ut11:30 -p0123456789 -fPl -head` and
// `swetest -b4.7.1992 -ut04:15 ...` (and `-house` for the angles) gave the same longitudes to
// 1e-7°, so these are swetest-derived positions. First the user's point, then the partner's.
const std::vector<std::string> both_times_known = {
    "PLUTO sextile NEPTUNE 0.0999",
    "NEPTUNE trine MARS 0.1026",
    "PLUTO square SATURN 0.1660",
    "PLUTO trine VENUS 0.4532",
    "VENUS opposition MERCURY 0.6819",
    "MOON sextile JUPITER 0.7245",
    "MERCURY trine PLUTO 0.8359",
    "ASC conjunction ASC 0.9704",
    "URANUS trine JUPITER 1.0042",
    "MOON square MERCURY 1.0614",
    "PLUTO sextile URANUS 1.4345",
    "ASC square MARS 1.4476",
    "ASC opposition SATURN 1.8138",
    "NEPTUNE opposition SUN 1.8522",
    "NEPTUNE conjunction URANUS 1.8903",
    "JUPITER sextile MOON 2.0719",
    "ASC trine MC 2.2490",
    "PLUTO conjunction PLUTO 2.7243",
    "MOON trine SUN 2.9418",
    "PLUTO square ASC 2.9503",
    "SATURN sextile PLUTO 2.9921",
    "MERCURY trine VENUS 3.1071",
    "URANUS opposition SUN 3.2215",
    "NEPTUNE conjunction NEPTUNE 3.4247",
    "PLUTO opposition MARS 3.4274",
    "MERCURY sextile NEPTUNE 3.4604",
    "NEPTUNE square MC 3.5940",
    "NEPTUNE opposition VENUS 3.7780",
    "NEPTUNE trine JUPITER 4.0695",
    "SUN trine PLUTO 4.2770",
    "MOON opposition MARS 4.6914",
    "ASC square PLUTO 4.7041",
    "URANUS trine MARS 4.9711",
    "VENUS square MARS 5.0709",
    "MOON square ASC 5.1686",
    "PLUTO trine SUN 5.1770",
    "SATURN opposition VENUS 5.2633",
    "SATURN square MC 5.4473",
    "VENUS opposition ASC 5.5481",
    "MARS opposition MERCURY 5.6115",
    "SATURN conjunction NEPTUNE 5.6165",
    "URANUS trine MOON 5.7692",
    "MC conjunction MC 6.8640",
    "URANUS conjunction URANUS 6.9641",
    "SATURN conjunction URANUS 7.1509",
    "ASC conjunction MERCURY 7.2004",
};

const std::vector<std::string> partner_time_unknown = {
    "NEPTUNE trine MARS 0.0091",
    "PLUTO sextile NEPTUNE 0.0957",
    "PLUTO square SATURN 0.1744",
    "VENUS opposition MERCURY 0.5187",
    "PLUTO trine VENUS 0.6453",
    "MOON sextile JUPITER 0.7491",
    "MERCURY trine PLUTO 0.8381",
    "MOON square MERCURY 0.8982",
    "URANUS trine JUPITER 1.0288",
    "PLUTO sextile URANUS 1.4408",
    "NEPTUNE opposition SUN 1.7032",
    "NEPTUNE conjunction URANUS 1.8840",
    "PLUTO conjunction PLUTO 2.7221",
    "MERCURY trine VENUS 2.9150",
    "SATURN sextile PLUTO 2.9943",
    "MOON trine SUN 3.0908",
    "PLUTO opposition MARS 3.3157",
    "URANUS opposition SUN 3.3705",
    "NEPTUNE conjunction NEPTUNE 3.4205",
    "MERCURY sextile NEPTUNE 3.4646",
    "URANUS trine MOON 3.4782",
    "MOON sextile MOON 3.7579",
    "NEPTUNE opposition VENUS 3.9701",
    "NEPTUNE trine JUPITER 4.0450",
    "SUN trine PLUTO 4.2792",
    "MOON opposition MARS 4.8031",
    "PLUTO trine SUN 5.0280",
    "SATURN opposition VENUS 5.0712",
    "URANUS trine MARS 5.0829",
    "VENUS square MARS 5.1826",
    "SATURN conjunction NEPTUNE 5.6207",
    "MARS opposition MERCURY 5.7747",
    "URANUS conjunction URANUS 6.9578",
    "SATURN conjunction URANUS 7.1572",
};

TEST_CASE(
    "synastry: inter-aspects of two fixed charts, ASC and MC only when both times are known") {
  CHECK(described(astro::synastry_aspects(chart_a(), chart_b())) == both_times_known);
  CHECK(described(astro::synastry_aspects(chart_a(), chart_b(false))) == partner_time_unknown);
  // Unknown on the user's side drops the angles as well, and swaps nothing.
  for (const auto& a : astro::synastry_aspects(chart_a(false), chart_b())) {
    CHECK(a.p1.id.has_value());
    CHECK(a.p2.id.has_value());
  }
  // Tightest first; every orb within the natal orbs; none applying between fixed moments.
  const auto list = astro::synastry_aspects(chart_a(), chart_b());
  for (std::size_t i = 0; i < list.size(); ++i) {
    CHECK(list[i].orb <= astro::natal_orbs.of(list[i].type));
    CHECK_FALSE(list[i].applying);
    if (i) CHECK(list[i - 1].orb <= list[i].orb);
  }
}

TEST_CASE("synastry: the area summary counts the pairs of each area in both directions") {
  using astro::aspect_type;
  using astro::body;
  using synastry::verdict;
  std::vector<astro::aspect> inter = {
      make(body::moon, body::venus, aspect_type::trine),       // emotions +
      make(body::venus, body::moon, aspect_type::square),      // emotions −
      make(body::moon, body::moon, aspect_type::sextile),      // emotions +
      make(body::mars, body::venus, aspect_type::opposition),  // attraction −
      make(body::mercury, body::moon, aspect_type::square),    // communication −
      make(body::moon, body::mercury, aspect_type::trine),     // communication +
      make(body::sun, body::venus, aspect_type::conjunction),  // values +
      make(body::saturn, body::sun, aspect_type::square),      // stability −
      make(body::jupiter, body::saturn, aspect_type::trine),   // no area: Jupiter is not personal
      make(body::sun, body::mars, aspect_type::trine),         // no area
  };
  const auto summary = synastry::area_summary(inter);
  REQUIRE(summary.size() == 5);
  CHECK(summary[0].what == synastry::area::emotions);
  CHECK(summary[0].harmonious == 2);
  CHECK(summary[0].tense == 1);
  CHECK(summary[0].result == verdict::harmonious);
  CHECK(summary[1].result == verdict::tense);
  CHECK(summary[2].harmonious == 1);
  CHECK(summary[2].tense == 1);
  CHECK(summary[2].result == verdict::neutral);
  CHECK(summary[3].result == verdict::harmonious);
  CHECK(summary[4].result == verdict::tense);
  CHECK(summary[4].tense == 1);
  CHECK(synastry::area_summary({})[4].result == verdict::neutral);
  CHECK(std::string(synastry::verdict_word(verdict::tense)) == "напряжённо");

  // The fixed charts (the list above).
  const auto fixed = synastry::area_summary(astro::synastry_aspects(chart_a(), chart_b()));
  CHECK(fixed[0].result == verdict::neutral);  // no Moon–Moon or Moon–Venus within orb
  CHECK(fixed[1].result == verdict::tense);    // Venus □ Mars
  CHECK(fixed[2].result == verdict::tense);    // Moon □ Mercury
  CHECK(fixed[3].result == verdict::neutral);
  CHECK(fixed[4].result == verdict::tense);  // Saturn ☍ Venus
}

TEST_CASE("synastry: element balance of both charts") {
  const auto a = synastry::element_balance(chart_a());
  // Sun, Mercury in Pisces; Moon, Pluto in Scorpio; Jupiter in Cancer → water 5; Venus, Mars in
  // Aquarius → air 2; Saturn, Uranus, Neptune in Capricorn → earth 3.
  CHECK(a.water == 5);
  CHECK(a.air == 2);
  CHECK(a.earth == 3);
  CHECK(a.fire == 0);
  const auto b = synastry::element_balance(chart_b());
  // Sun, Venus in Cancer; Pluto in Scorpio → water 3; Moon, Jupiter in Virgo, Mars in Taurus,
  // Uranus, Neptune in Capricorn → earth 5; Mercury in Leo → fire 1; Saturn in Aquarius → air 1.
  CHECK(b.water == 3);
  CHECK(b.earth == 5);
  CHECK(b.fire == 1);
  CHECK(b.air == 1);
}

TEST_CASE("synastry: the report is valid HTML with the partner's name escaped") {
  const auto inter = astro::synastry_aspects(chart_a(), chart_b(false));
  const std::string text = synastry::report(inter, chart_a(), chart_b(false), "<b>Аня & Co</b>");
  CHECK_FALSE(html::validate(text).has_value());
  CHECK(text.find("&lt;b&gt;Аня &amp; Co&lt;/b&gt;") != std::string::npos);
  CHECK(text.find("<b>Аня") == std::string::npos);
  CHECK(text.find("Время рождения партнёра неизвестно") != std::string::npos);
  CHECK(text.find("Ваше время рождения") == std::string::npos);
  // The tightest aspect comes first, with the user's body first.
  CHECK(text.find("Ваш Нептун △ Марс партнёра") < text.find("Ваш Плутон ⚹ Нептун партнёра"));
  CHECK(text.find("Притяжение: напряжённо") != std::string::npos);
  CHECK(text.find("Вы: огонь 0, земля 3, воздух 2, вода 5") != std::string::npos);
  const std::string unnamed = synastry::report({}, chart_a(false), chart_b(), "");
  CHECK_FALSE(html::validate(unnamed).has_value());
  CHECK(unnamed.find("Ваше время рождения неизвестно") != std::string::npos);
  CHECK(unnamed.find(typography::typeset("Мажорных аспектов в пределах орбов нет.")) !=
        std::string::npos);
  CHECK_FALSE(html::validate(synastry::caption("<i>")).has_value());
}

TEST_CASE("compat: buttons and invitation codes round-trip, anything else is refused") {
  using compat::button;
  for (const auto& data : {std::string("p:a"), std::string("p:i"), std::string("p:r:17"),
                           std::string("p:d:9000000000"), std::string("i:abc123def456:y"),
                           std::string("i:abc123def456:n")}) {
    auto b = compat::parse_button(data);
    REQUIRE_MESSAGE(b.has_value(), data);
    CHECK(compat::button_data(*b) == data);
    CHECK(data.size() <= 64);  // Telegram's callback_data limit
  }
  for (const char* bad : {"p:", "p:r:", "p:r:0", "p:r:-1", "p:r:1x", "p:x:1", "i:abc:y",
                          "i:ABC123DEF456:y", "i:abc123def456:m", "n:0a1b2c3d:y"})
    CHECK_MESSAGE(!compat::parse_button(bad).has_value(), bad);

  const auto code = compat::format_invite_code(0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  CHECK(code.size() == 12);
  CHECK(compat::invite_code("c_" + code) == code);
  CHECK(compat::format_invite_code(1, 2) != compat::format_invite_code(2, 1));
  CHECK_FALSE(compat::invite_code("c_short").has_value());
  CHECK_FALSE(compat::invite_code("x_" + code).has_value());
  CHECK_FALSE(compat::invite_code("c_" + code + "0").has_value());
  CHECK(compat::invite_link("nocturna_bot", code) == "https://t.me/nocturna_bot?start=c_" + code);

  // Names are escaped in every text that shows them.
  for (const auto& text :
       {compat::invite_question("<i>A&B</i>"), compat::invite_need_natal("<i>A&B</i>"),
        compat::invite_declined("<i>A&B</i>")}) {
    CHECK(text.find("&lt;i&gt;A&amp;B&lt;/i&gt;") != std::string::npos);
    CHECK_FALSE(html::validate(text).has_value());
  }
  CHECK_FALSE(html::validate(compat::list_text(3, 10)).has_value());
  CHECK_FALSE(html::validate(compat::invite_link_text("https://t.me/x?start=c_a")).has_value());
}

TEST_CASE("compat: the list keyboard offers re-run and delete per partner, «add» below 10") {
  std::vector<compat::listed_partner> partners = {{5, "Оля", "04.07.1992"}, {7, "", "01.01.2000"}};
  const std::string kb = compat::list_keyboard(partners, 10);
  CHECK(kb.find(R"({"text":"💞 Оля","callback_data":"p:r:5"})") != std::string::npos);
  CHECK(kb.find(R"({"text":"🗑","callback_data":"p:d:5"})") != std::string::npos);
  CHECK(kb.find(R"("💞 Без имени, 01.01.2000")") != std::string::npos);
  CHECK(kb.find("p:a") != std::string::npos);
  CHECK(kb.find("p:i") != std::string::npos);
  CHECK(compat::list_keyboard(partners, 2).find("p:a") == std::string::npos);
}
