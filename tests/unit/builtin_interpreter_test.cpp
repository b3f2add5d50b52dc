// The built-in interpreter (bot.md §7.4): the committed tables under share/meanings_ru/ and the
// day, natal and personal-transit texts composed from them for real charts.
#include "clients/interpret/builtin_interpreter.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "astro_fixtures.hpp"
#include "clients/interpret/meanings.hpp"
#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"
#include "tests/support/bot_process.hpp"

using namespace nocturna;
using namespace nocturna::astro;
using namespace nocturna::astro::testing;
using nocturna::interpret::meanings;
using nocturna::interpret::meanings_error;

namespace fs = std::filesystem;

namespace {

// The text must equal the committed golden file, so any change of wording (a table edit, a new
// composition rule) shows up in review. NOCTURNA_UPDATE_GOLDEN=1 rewrites the files instead.
void check_golden(const std::string& name, const std::string& text) {
  const std::string path = std::string(NOCTURNA_SOURCE_SHARE_DIR) + "/../tests/unit/golden/" + name;
  if (const char* update = std::getenv("NOCTURNA_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << text;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing golden file " << name);
  std::stringstream golden;
  golden << in.rdbuf();
  CHECK_MESSAGE(text == golden.str(), name << " changed; new text:\n" << text);
}

std::string share_dir() {
#ifdef NOCTURNA_SOURCE_SHARE_DIR
  return NOCTURNA_SOURCE_SHARE_DIR;
#else
  return "share";
#endif
}

const meanings& tables() {
  static const meanings m = meanings::load(share_dir());
  return m;
}

const std::string bi_no_transits_spec =
    "Сегодня нет точных транзитов к твоей карте — хороший день, чтобы действовать в привычном "
    "ритме.";

std::size_t code_points(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::vector<std::string> paragraphs(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto pos = text.find("\n\n"); pos != std::string::npos; pos = text.find("\n\n", start)) {
    out.push_back(text.substr(start, pos - start));
    start = pos + 2;
  }
  out.push_back(text.substr(start));
  return out;
}

std::size_t paragraphs_starting(const std::string& text, const std::string& emoji) {
  const auto ps = paragraphs(text);
  return static_cast<std::size_t>(std::count_if(
      ps.begin(), ps.end(), [&](const std::string& p) { return p.rfind(emoji, 0) == 0; }));
}

// bot.md §7.4: 250–2000 characters, valid Telegram HTML, blank-line paragraphs each opened by an
// emoji, no API (English) names leaking.
void check_shape(const std::string& text) {
  CAPTURE(text);
  CHECK_FALSE(html::validate(text));
  CHECK(code_points(html::to_plain(text)) >= 250);
  CHECK(html::visible_length(text) <= interpret::builtin_text_max);
  CHECK_FALSE(contains(text, "\n\n\n"));
  CHECK(text.back() != '\n');
  const std::vector<std::string> emojis = {"🌙 ", "☀️ ", "🔮 ", "⚠️ ", "💡 ",
                                           "🌅 ", "💬 ",      "💞 ", "🔥 ",      "✨ "};
  for (const auto& p : paragraphs(text)) {
    CAPTURE(p);
    CHECK_FALSE(contains(p, "\n"));
    CHECK(std::any_of(emojis.begin(), emojis.end(),
                      [&](const std::string& e) { return p.rfind(e, 0) == 0; }));
  }
  for (const char* leak : {"{A}", "{B}", "SUN", "MOON", "ARIES", "PISCES", "conjunction", "trine",
                           "square", "sextile", "opposition", "ASC", "NORTH_NODE"})
    CHECK_FALSE(contains(text, leak));
}

// No body outside `present` is named (names of §2; MC/ASC are checked separately).
void check_bodies(const std::string& text, const std::set<body>& present) {
  CAPTURE(text);
  for (int i = 0; i <= static_cast<int>(body::chiron); ++i) {
    const auto b = static_cast<body>(i);
    if (!present.count(b)) CHECK_FALSE(contains(text, ru::body_name(b)));
  }
}

std::set<body> bodies_of(const chart& c) {
  std::set<body> s;
  for (const auto& p : c.positions) s.insert(p.id);
  return s;
}

chart without(chart c, std::initializer_list<body> gone) {
  // Aspects are left as they were: the interpreter itself must skip what is not in the data.
  c.positions.erase(std::remove_if(c.positions.begin(), c.positions.end(),
                                   [&](const body_position& p) {
                                     return std::find(gone.begin(), gone.end(), p.id) != gone.end();
                                   }),
                    c.positions.end());
  return c;
}

// 1990-03-15 14:30 Europe/Moscow, Moscow.
const chart& natal_known() {
  static const chart c =
      build_ok(chart_request::at_local(dt(1990, 3, 15, 14, 30), "Europe/Moscow", 55.7558, 37.6173));
  return c;
}

const chart& natal_unknown() {
  static const chart c = build_ok(chart_request::at_local(dt(1990, 3, 15, 12, 0), "Europe/Moscow",
                                                          55.7558, 37.6173, /*time_known=*/false));
  return c;
}

chart noon_sky(int y, int mo, int d) {
  return build_ok(chart_request::at_local(dt(y, mo, d, 12, 0), "Europe/Moscow", 55.7558, 37.6173));
}

chart sky_at(int y, int mo, int d, int h, int mi) {
  return build_ok(chart_request::at_local(dt(y, mo, d, h, mi), "Europe/Moscow", 55.7558, 37.6173));
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

// A copy of the real tables in a temporary share directory, with one file rewritten by `edit`.
std::string load_error_after(const std::string& file,
                             const std::function<std::string(std::string)>& edit) {
  nocturna::testing::temp_dir tmp;
  const fs::path dir = fs::path(tmp.path()) / interpret::meanings_dir_name;
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(fs::path(share_dir()) / interpret::meanings_dir_name))
    fs::copy_file(e.path(), dir / e.path().filename());
  if (edit)
    write_file(dir / file, edit(read_file(dir / file)));
  else
    fs::remove(dir / file);
  try {
    meanings::load(tmp.path());
  } catch (const meanings_error& e) {
    return e.what();
  }
  return "no error";
}

std::string replace_once(std::string s, const std::string& what, const std::string& with) {
  const auto pos = s.find(what);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, what.size(), with);
}

// Words of a Russian text: runs of letters and hyphens; punctuation (ASCII, — « » …) splits.
std::vector<std::string> words(const std::string& t) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    // Lead bytes of the non-letter characters used: « » (C2 ..) and — … (E2 80 ..).
    const std::size_t punctuation = c == 0xC2 ? 2 : c == 0xE2 ? 3 : 0;
    if (punctuation == 0 && (c >= 0x80 || std::isalpha(c) || c == '-')) {
      word += t[i];
      continue;
    }
    if (!word.empty()) out.push_back(word);
    word.clear();
    if (punctuation) i += punctuation - 1;
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

// A sentence may start with a pronoun: compare in lower case (А..Я, Ё only).
std::string lower_first(std::string w) {
  if (w.size() < 2 || static_cast<unsigned char>(w[0]) != 0xD0) return w;
  const auto n = static_cast<unsigned char>(w[1]);
  if (n >= 0x90 && n <= 0x9F) {
    w[1] = static_cast<char>(n + 0x20);
  } else if (n >= 0xA0 && n <= 0xAF) {
    w[0] = static_cast<char>(0xD1);
    w[1] = static_cast<char>(n - 0x20);
  } else if (n == 0x81) {
    w[0] = static_cast<char>(0xD1);
    w[1] = static_cast<char>(0x91);
  }
  return w;
}

}  // namespace

TEST_CASE("meanings: every table entry of share/meanings_ru is present and well formed") {
  const meanings& m = tables();
  for (int p = 0; p <= static_cast<int>(body::pluto); ++p)
    for (int s = 0; s < 12; ++s) {
      const std::string& t = m.planet_in_sign(static_cast<body>(p), s);
      CAPTURE(t);
      CHECK(code_points(t) >= 60);
      CHECK(code_points(t) <= 250);
    }
  std::set<std::string> distinct;
  for (int s = 0; s < 12; ++s) {
    CHECK_FALSE(m.moon_day(s).empty());
    CHECK_FALSE(m.asc_in_sign(s).empty());
    distinct.insert(m.moon_day(s));
    distinct.insert(m.asc_in_sign(s));
  }
  CHECK(distinct.size() == 24);
  for (auto t : {aspect_type::conjunction, aspect_type::opposition, aspect_type::trine,
                 aspect_type::square, aspect_type::sextile}) {
    CHECK(contains(m.aspect_template(t), "{A}"));
    CHECK(contains(m.aspect_template(t), "{B}"));
    CHECK(contains(m.same_point_template(t), "{A}"));
    CHECK_FALSE(contains(m.same_point_template(t), "{B}"));
  }
  for (int p = 0; p <= static_cast<int>(body::pluto); ++p) {
    aspect_point pt;
    pt.id = static_cast<body>(p);
    REQUIRE(m.theme(pt));
  }
  CHECK(*m.theme(aspect_point{{}, "ASC"}) == "самоподача");
  CHECK(*m.theme(aspect_point{{}, "MC"}) == "цели и статус");
  CHECK_FALSE(m.theme(aspect_point{body::true_node, ""}));
  for (auto e : {interpret::element::fire, interpret::element::earth, interpret::element::air,
                 interpret::element::water})
    CHECK(code_points(m.element_advice(e)) >= 150);
  CHECK_FALSE(m.retro_mercury().empty());
  CHECK(m.influence(true) == "Влияние усиливается.");
  CHECK(m.influence(false) == "Влияние ослабевает.");
  CHECK(m.bi_no_transits() == bi_no_transits_spec);
  CHECK_THROWS_AS(m.planet_in_sign(body::chiron, 0), std::out_of_range);
  CHECK_THROWS_AS(m.moon_day(12), std::out_of_range);
}

TEST_CASE("meanings: table texts use no personal pronouns") {
  const meanings& m = tables();
  std::vector<std::string> texts;
  for (int p = 0; p <= static_cast<int>(body::pluto); ++p)
    for (int s = 0; s < 12; ++s) texts.push_back(m.planet_in_sign(static_cast<body>(p), s));
  for (int s = 0; s < 12; ++s) {
    texts.push_back(m.moon_day(s));
    texts.push_back(m.asc_in_sign(s));
  }
  for (int e = 0; e < 4; ++e) texts.push_back(m.element_advice(static_cast<interpret::element>(e)));
  texts.push_back(m.retro_mercury());
  for (auto a : {aspect_type::conjunction, aspect_type::opposition, aspect_type::trine,
                 aspect_type::square, aspect_type::sextile}) {
    texts.push_back(m.aspect_template(a));
    texts.push_back(m.same_point_template(a));
  }
  const std::set<std::string> pronouns = {
      "я",    "меня", "мне",  "мной", "ты",  "тебя", "тебе", "тобой", "он",   "она",
      "оно",  "они",  "его",  "ее",   "её",  "ему",  "ей",   "им",    "ими",  "их",
      "него", "нее",  "них",  "мы",   "нас", "нам",  "вы",   "вас",   "вам",  "вами",
      "мой",  "моя",  "твой", "твоя", "ваш", "ваша", "наш",  "наша",  "твои", "ваши"};
  for (const auto& t : texts) {
    CAPTURE(t);
    for (const auto& w : words(t)) CHECK_MESSAGE(!pronouns.count(lower_first(w)), "pronoun: " << w);
  }
}

TEST_CASE("meanings: a broken table fails with the file and the key in the message") {
  SUBCASE("missing entry") {
    const std::string e = load_error_after("planet_in_sign.tsv", [](std::string s) {
      const auto a = s.find("MOON.CAPRICORN\t");
      return s.erase(a, s.find('\n', a) + 1 - a);
    });
    CHECK(contains(e, "planet_in_sign.tsv: missing key MOON.CAPRICORN"));
  }
  SUBCASE("missing file") {
    const std::string e = load_error_after("moon_day.tsv", nullptr);
    CHECK(contains(e, "moon_day.tsv: cannot read the table"));
  }
  SUBCASE("line without a tab") {
    const std::string e = load_error_after(
        "theme.tsv", [](std::string s) { return replace_once(s, "MARS\t", "MARS "); });
    CHECK(contains(e, "theme.tsv:"));
    CHECK(contains(e, "expected KEY<TAB>text"));
  }
  SUBCASE("misspelt key") {
    const std::string e = load_error_after(
        "asc_in_sign.tsv", [](std::string s) { return replace_once(s, "LIBRA\t", "LIBRAA\t"); });
    CHECK(contains(e, "asc_in_sign.tsv:"));
    CHECK(contains(e, "unknown key 'LIBRAA'"));
  }
  SUBCASE("duplicate key") {
    const std::string e = load_error_after("element_advice.tsv", [](std::string s) {
      return s +
             "FIRE\tЕще один огненный совет, который повторяет ключ и поэтому должен быть "
             "отвергнут загрузчиком таблиц: каждый ключ встречается в файле ровно один раз, "
             "иначе неясно, какой текст главный.\n";
    });
    CHECK(contains(e, "element_advice.tsv:"));
    CHECK(contains(e, "key FIRE listed twice"));
  }
  SUBCASE("template without {B}") {
    const std::string e = load_error_after("aspect.tsv", [](std::string s) {
      const auto a = s.find("square\t");
      const auto b = s.find("{B}", a);
      return s.replace(b, 3, "B");
    });
    CHECK(contains(e, "aspect.tsv:"));
    CHECK(contains(e, "square: the template needs {A} and {B}"));
  }
  SUBCASE("same-point template with {B}") {
    const std::string e = load_error_after("aspect_same.tsv", [](std::string s) {
      const auto a = s.find("trine\t");
      const auto b = s.find("{A}", a);
      return s.replace(b, 3, "{B}");
    });
    CHECK(contains(e, "aspect_same.tsv:"));
    CHECK(contains(e, "trine: the template needs {A} exactly once"));
  }
  SUBCASE("text too short") {
    const std::string e = load_error_after("planet_in_sign.tsv", [](std::string s) {
      const auto a = s.find("VENUS.LEO\t");
      const auto end = s.find('\n', a);
      return s.replace(a, end - a, "VENUS.LEO\tКоротко.");
    });
    CHECK(contains(e, "planet_in_sign.tsv:"));
    CHECK(contains(e, "VENUS.LEO: the text has 8 characters, expected 60–250"));
  }
  SUBCASE("comments, blank lines and CRLF are accepted") {
    const std::string e = load_error_after("retro_mercury.tsv", [](std::string s) {
      std::string crlf;
      for (char c : "# comment\n\n" + s)
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
      return crlf;
    });
    CHECK(e == "no error");
  }
}

TEST_CASE("builtin: day text of a real noon sky") {
  const chart sky = noon_sky(2024, 3, 15);
  const std::string text = interpret::day_text(tables(), sky);
  check_golden("day_2024-03-15.txt", text);
  check_shape(text);
  check_bodies(text, bodies_of(sky));
  CHECK(text == interpret::day_text(tables(), sky));
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() >= 3);
  const int moon_sign = to_dms(sky.find(body::moon)->longitude).sign;
  const int sun_sign = to_dms(sky.find(body::sun)->longitude).sign;
  CHECK(ps[0] == "🌙 " + tables().moon_day(moon_sign));
  CHECK(ps[1] == std::string("☀️ Солнце ") + ru::sign_in(sun_sign) + ": " +
                     tables().planet_in_sign(body::sun, sun_sign));
  CHECK(ps.back() == "💡 " + tables().element_advice(interpret::element_of_sign(moon_sign)));
  CHECK(paragraphs_starting(text, "🔮 ") == std::min<std::size_t>(3, sky.aspects.size()));
  CHECK_FALSE(sky.find(body::mercury)->is_retrograde());
  CHECK(paragraphs_starting(text, "⚠️ ") == 0);
  // The tightest aspect comes first, named in Russian with its symbol.
  REQUIRE_FALSE(sky.aspects.empty());
  const aspect& a = sky.aspects.front();
  CHECK(ps[2].rfind(std::string("🔮 ") + ru::point_name(a.p1) + " " + ru::aspect_symbol(a.type) +
                        " " + ru::point_name(a.p2) + ": ",
                    0) == 0);
}

TEST_CASE("builtin: day text warns about retrograde Mercury") {
  const chart sky = noon_sky(2024, 4, 10);
  REQUIRE(sky.find(body::mercury)->is_retrograde());
  const std::string text = interpret::day_text(tables(), sky);
  check_shape(text);
  check_bodies(text, bodies_of(sky));
  CHECK(paragraphs_starting(text, "⚠️ ") == 1);
  CHECK(contains(text, "⚠️ " + tables().retro_mercury()));
}

TEST_CASE("builtin: natal text with a known birth time") {
  const chart& natal = natal_known();
  const std::string text = interpret::natal_text(tables(), natal);
  check_golden("natal_known.txt", text);
  check_shape(text);
  check_bodies(text, bodies_of(natal));
  CHECK(text == interpret::natal_text(tables(), natal));
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() >= 6);
  CHECK(ps[0].rfind("☀️ Солнце ", 0) == 0);
  CHECK(ps[1].rfind("🌙 Луна ", 0) == 0);
  const int asc_sign = to_dms(natal.chart_angles->asc).sign;
  CHECK(ps[2] == std::string("🌅 Асцендент ") + ru::sign_in(asc_sign) + ": " +
                     tables().asc_in_sign(asc_sign));
  CHECK(ps[3].rfind("💬 Меркурий ", 0) == 0);
  CHECK(ps[4].rfind("💞 Венера ", 0) == 0);
  CHECK(ps[5].rfind("🔥 Марс ", 0) == 0);
  CHECK(paragraphs_starting(text, "🔮 ") == std::min<std::size_t>(4, natal.aspects.size()));
  CHECK(ps.size() == 6 + paragraphs_starting(text, "🔮 "));
}

TEST_CASE("builtin: natal text with an unknown birth time has no Ascendant sentence") {
  const chart& natal = natal_unknown();
  REQUIRE_FALSE(natal.time_known);
  const std::string text = interpret::natal_text(tables(), natal);
  check_shape(text);
  check_bodies(text, bodies_of(natal));
  CHECK_FALSE(contains(text, "Асцендент"));
  CHECK(paragraphs_starting(text, "🌅 ") == 0);
  CHECK(paragraphs(text)[2].rfind("💬 Меркурий ", 0) == 0);
}

TEST_CASE("builtin: bodies missing from the data are never mentioned") {
  const chart natal = without(natal_known(), {body::venus, body::mercury, body::jupiter});
  const std::string n = interpret::natal_text(tables(), natal);
  check_shape(n);
  check_bodies(n, bodies_of(natal));
  CHECK(paragraphs_starting(n, "💞 ") == 0);
  CHECK(paragraphs_starting(n, "💬 ") == 0);

  const chart sky = without(noon_sky(2024, 4, 10), {body::mercury, body::sun, body::mars});
  const std::string d = interpret::day_text(tables(), sky);
  check_shape(d);
  check_bodies(d, bodies_of(sky));
  CHECK(paragraphs_starting(d, "⚠️ ") == 0);
  CHECK(paragraphs_starting(d, "☀️ ") == 0);
}

TEST_CASE("builtin: personal transits of a real natal chart") {
  const chart& natal = natal_known();
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  const auto aspects = transit_aspects(natal, sky);
  REQUIRE_FALSE(aspects.empty());
  const std::string text = interpret::transits_text(tables(), sky, aspects);
  check_golden("transits_2024-03-15.txt", text);
  check_shape(text);
  CHECK(text == interpret::transits_text(tables(), sky, aspects));
  CHECK(paragraphs_starting(text, "🔮 Транзитн") == std::min<std::size_t>(5, aspects.size()));
  CHECK_FALSE(contains(text, tables().bi_no_transits()));
  const aspect& first = aspects.front();
  const std::string influence = tables().influence(first.applying);
  CHECK(contains(paragraphs(text).front(), influence));
  const int moon_sign = to_dms(sky.find(body::moon)->longitude).sign;
  CHECK(paragraphs(text).back() ==
        "💡 " + tables().element_advice(interpret::element_of_sign(moon_sign)));
}

TEST_CASE("builtin: transit lines agree in gender and name natal angles") {
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  aspect mars_sun;  // p1 natal, p2 transiting
  mars_sun.p1.id = body::sun;
  mars_sun.p2.id = body::mars;
  mars_sun.type = aspect_type::square;
  mars_sun.orb = 0.5;
  mars_sun.applying = true;
  aspect moon_mc;
  moon_mc.p1.angle = "MC";
  moon_mc.p2.id = body::moon;
  moon_mc.type = aspect_type::trine;
  moon_mc.orb = 1.0;
  aspect venus_moon;
  venus_moon.p1.id = body::moon;
  venus_moon.p2.id = body::venus;
  venus_moon.type = aspect_type::conjunction;
  venus_moon.orb = 2.0;
  const std::string text = interpret::transits_text(tables(), sky, {moon_mc, venus_moon, mars_sun});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() == 4);
  CHECK(ps[0] ==
        "🔮 Транзитный Марс □ натальное Солнце: «Действия» и «воля» вступают в спор — "
        "это напряжение полезно превратить в энергию для конкретного дела. Влияние "
        "усиливается.");
  CHECK(ps[1].rfind("🔮 Транзитная Луна △ натальный MC: «Эмоции» и «цели и статус» ", 0) == 0);
  CHECK(ps[1].substr(ps[1].size() - std::string("Влияние ослабевает.").size()) ==
        "Влияние ослабевает.");
  CHECK(ps[2].rfind("🔮 Транзитная Венера ☌ натальная Луна: «Любовь» и «эмоции» ", 0) == 0);
}

TEST_CASE("builtin: a transiting body to its own natal place has its own wording") {
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  aspect moon_moon;  // p1 natal, p2 transiting
  moon_moon.p1.id = body::moon;
  moon_moon.p2.id = body::moon;
  moon_moon.type = aspect_type::trine;
  moon_moon.orb = 0.9;
  const std::string text = interpret::transits_text(tables(), sky, {moon_moon});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE_FALSE(ps.empty());
  CHECK(ps[0] ==
        "🔮 Транзитная Луна △ натальная Луна: Тема «эмоции» созвучна своей натальной основе — "
        "легко действовать привычным, проверенным способом. Влияние ослабевает.");
}

TEST_CASE("builtin: personal transits without aspects give the fixed sentence") {
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  const std::string text = interpret::transits_text(tables(), sky, {});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() == 2);
  CHECK(ps[0] == "✨ " + bi_no_transits_spec);
  CHECK(ps[1].rfind("💡 ", 0) == 0);
  // Every element's advice is long enough for the shortest text to reach 250 characters.
  for (int e = 0; e < 4; ++e) {
    const std::string shortest = "✨ " + bi_no_transits_spec + "\n\n💡 " +
                                 tables().element_advice(static_cast<interpret::element>(e));
    CHECK(code_points(shortest) >= 250);
  }
}

TEST_CASE("builtin: texts stay valid and in range over a year of skies") {
  const chart& natal = natal_known();
  for (int day = 0; day < 365; day += 5) {
    const chart sky = build_ok(chart_request::at_utc(
        fields_to_unix(dt(2025, 1, 1, 9)) + static_cast<std::int64_t>(day) * 86400, 55.7558,
        37.6173, "Europe/Moscow"));
    CAPTURE(day);
    check_shape(interpret::day_text(tables(), sky));
    check_shape(interpret::transits_text(tables(), sky, transit_aspects(natal, sky)));
    check_shape(interpret::natal_text(tables(), sky));
  }
}
