// The built-in interpreter (docs/interpretations.md): the committed tables under share/meanings_ru/
// and the day, natal and personal-transit texts composed from them for real charts.
#include "clients/interpret/builtin_interpreter.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/report_commands.hpp"
#include "astro_fixtures.hpp"
#include "clients/interpret/meanings.hpp"
#include "protocol/html.hpp"
#include "protocol/reports.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/typography.hpp"
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
    "Сегодня у транзитных планет нет значимых аспектов к вашей карте — хороший день, чтобы "
    "действовать в привычном ритме.";
const std::string nbsp = "\xC2\xA0";

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

// The sentences of a plain text: split after . ! ? … and at line ends (labels are lines).
std::vector<std::string> sentences_of(const std::string& plain) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    const auto a = cur.find_first_not_of(" \n");
    if (a != std::string::npos) out.push_back(cur.substr(a));
    cur.clear();
  };
  for (std::size_t i = 0; i < plain.size(); ++i) {
    if (plain[i] == '\n') {
      flush();
      continue;
    }
    cur += plain[i];
    const bool end = plain[i] == '.' || plain[i] == '!' || plain[i] == '?' ||
                     (cur.size() >= 3 && cur.compare(cur.size() - 3, 3, "…") == 0);
    if (end && (i + 1 == plain.size() || plain[i + 1] == ' ' || plain[i + 1] == '\n')) flush();
  }
  flush();
  return out;
}

bool upper_cyrillic_at(const std::string& s, std::size_t i) {
  if (i + 1 >= s.size()) return false;
  const auto a = static_cast<unsigned char>(s[i]), b = static_cast<unsigned char>(s[i + 1]);
  return a == 0xD0 && ((b >= 0x90 && b <= 0xAF) || b == 0x81);
}

// 250–2,500 characters, valid Telegram HTML, blank-line paragraphs each opened by an emoji, a
// bold label on its own line where there is one; no API names, placeholders, aspect symbols in
// prose, repeated sentences, hyphens for dashes, capitals after a colon or «ты».
void check_shape(const std::string& text) {
  CAPTURE(text);
  CHECK_FALSE(html::validate(text));
  const std::string plain = html::to_plain(text);
  CHECK(code_points(plain) >= 250);
  CHECK(code_points(plain) <= 2500);
  CHECK(html::visible_length(text) <= interpret::builtin_text_max);
  CHECK_FALSE(contains(text, "\n\n\n"));
  CHECK(text.back() != '\n');
  const std::vector<std::string> emojis = {"🌙 ", "☀️ ", "🔮 ", "⚠️ ", "💡 ", "🌅 ", "💬 ", "💞 ",
                                           "🔥 ", "✨ ",      "🍀 ", "⏳ ",      "⚡ ", "🌊 ", "🌋 "};
  for (const auto& p : paragraphs(text)) {
    CAPTURE(p);
    CHECK(std::any_of(emojis.begin(), emojis.end(),
                      [&](const std::string& e) { return p.rfind(e, 0) == 0; }));
    const auto nl = p.find('\n');
    if (nl == std::string::npos) continue;  // ✨ 💡 ⚠️: text only
    CHECK(p.find(" <b>") < nl);
    CHECK(p.substr(nl - 4, 4) == "</b>");
    CHECK_FALSE(contains(p.substr(nl + 1), "\n"));
    CHECK_FALSE(contains(p.substr(nl + 1), "<b>"));
  }
  for (const char* leak : {"{",           "}",           "SUN",
                           "MOON",        "ARIES",       "PISCES",
                           "conjunction", "trine",       "square",
                           "sextile",     "opposition",  "ASC",
                           "NORTH_NODE",  "☌",           "☍",
                           "△",           "□",           "⚹",
                           " - ",         "...",         "Влияние ослабевает",
                           " ты ",        "твой",        "твоя",
                           "тебе",        "Земная Луна", "Водная Луна"})
    CHECK_FALSE(contains(text, leak));
  CHECK_FALSE(contains(text, " —"));  // a dash always has a non-breaking space before it
  for (auto pos = plain.find(": "); pos != std::string::npos; pos = plain.find(": ", pos + 1))
    CHECK_FALSE(upper_cyrillic_at(plain, pos + 2));
  std::set<std::string> seen;
  for (const auto& s : sentences_of(plain)) CHECK_MESSAGE(seen.insert(s).second, "twice: " << s);
}

// No body outside `present` is named (names of §2; MC/ASC are checked separately).
void check_bodies(const std::string& text, const std::set<body>& present) {
  CAPTURE(text);
  for (int i = 0; i <= static_cast<int>(body::chiron); ++i) {
    const auto b = static_cast<body>(i);
    if (present.count(b)) continue;
    // Any case of the body's name.
    const auto* forms = tables().forms(body_api_name(b));
    if (!forms) continue;
    for (const auto& f : forms->forms) CHECK_FALSE(contains(text, " " + f + " "));
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

std::string without_line(std::string s, const std::string& start) {
  const auto a = s.find("\n" + start);
  REQUIRE(a != std::string::npos);
  return s.erase(a + 1, s.find('\n', a + 1) - a);
}

const std::vector<body> planets = {body::sun,     body::moon,    body::mercury, body::venus,
                                   body::mars,    body::jupiter, body::saturn,  body::uranus,
                                   body::neptune, body::pluto};
const std::vector<interpret::family> families = {
    interpret::family::conjunction, interpret::family::harmony, interpret::family::tension};

}  // namespace

TEST_CASE("meanings: every table entry of share/meanings_ru is present and well formed") {
  const meanings& m = tables();
  for (body p : planets)
    for (int s = 0; s < 12; ++s) {
      const std::string& t = m.planet_in_sign(p, s);
      CAPTURE(t);
      CHECK(code_points(t) >= 60);
      CHECK(code_points(t) <= 250);
    }
  std::set<std::string> distinct;
  for (int s = 0; s < 12; ++s) {
    distinct.insert(m.moon_day(s));
    distinct.insert(m.asc_in_sign(s));
  }
  CHECK(distinct.size() == 24);
  // Every pair with a planet from the Sun to Mars: ≥ 2 variants per family the sky can form.
  std::size_t pair_cells = 0;
  for (body a : planets)
    for (body b : planets)
      for (auto f : families) {
        const auto* v = m.pair_texts(a, b, f);
        if (!interpret::pair_family_possible(a, b, f)) {
          CHECK_FALSE(v);
          continue;
        }
        CAPTURE(body_api_name(a));
        CAPTURE(body_api_name(b));
        REQUIRE(v);
        CHECK(v->size() >= 2);
        CHECK(v == m.pair_texts(b, a, f));
        if (a < b) ++pair_cells;
      }
  CHECK(pair_cells == 100);
  CHECK(interpret::pair_family_possible(body::sun, body::mercury, interpret::family::conjunction));
  CHECK_FALSE(interpret::pair_family_possible(body::sun, body::venus, interpret::family::tension));
  CHECK_FALSE(
      interpret::pair_family_possible(body::jupiter, body::saturn, interpret::family::tension));
  for (body p : planets)
    for (auto f : families) {
      REQUIRE(m.transit_texts(p, f));
      CHECK(m.transit_texts(p, f)->size() >= 3);
    }
  for (const char* point : {"SUN", "MOON", "MERCURY", "VENUS", "MARS", "JUPITER", "SATURN",
                            "URANUS", "NEPTUNE", "PLUTO", "ASC", "MC"}) {
    aspect_point p;
    if (auto b = body_from_api_name(point))
      p.id = b;
    else
      p.angle = point;
    REQUIRE(m.natal_point(p));
    CHECK(m.natal_point(p)->size() >= 2);
    REQUIRE(m.forms(point));
  }
  CHECK_FALSE(m.forms("TRUE_NODE"));
  for (auto d : {interpret::duration::hours, interpret::duration::days, interpret::duration::weeks,
                 interpret::duration::months})
    for (bool applying : {true, false}) CHECK(m.duration_texts(d, applying).size() >= 5);
  CHECK(interpret::duration_of(body::moon) == interpret::duration::hours);
  CHECK(interpret::duration_of(body::mars) == interpret::duration::days);
  CHECK(interpret::duration_of(body::saturn) == interpret::duration::weeks);
  CHECK(interpret::duration_of(body::pluto) == interpret::duration::months);
  CHECK(m.advice().size() >= 28);
  CHECK_FALSE(m.retro_mercury().empty());
  CHECK(m.bi_no_transits() == bi_no_transits_spec);
  CHECK_THROWS_AS(m.planet_in_sign(body::chiron, 0), std::out_of_range);
  CHECK_THROWS_AS(m.moon_day(12), std::out_of_range);
}

TEST_CASE("meanings: the declension table gives every case of every body, angle and aspect") {
  const meanings& m = tables();
  const auto& moon = *m.forms("MOON");
  CHECK(moon[interpret::grammatical_case::gen] == "Луны");
  CHECK(moon[interpret::grammatical_case::dat] == "Луне");
  CHECK(moon[interpret::grammatical_case::acc] == "Луну");
  CHECK(moon[interpret::grammatical_case::ins] == "Луной");
  CHECK(moon.gender == ru::gender::feminine);
  CHECK((*m.forms("SUN"))[interpret::grammatical_case::ins] == "Солнцем");
  CHECK(m.forms("SUN")->gender == ru::gender::neuter);
  CHECK((*m.forms("square"))[interpret::grammatical_case::pre] == "квадрате");
  for (int i = 0; i <= static_cast<int>(body::chiron); ++i) {
    const auto b = static_cast<body>(i);
    if (b == body::true_node) continue;
    const auto* f = m.forms(body_api_name(b));
    REQUIRE(f);
    CHECK((*f)[interpret::grammatical_case::nom] == ru::body_name(b));
    CHECK(f->gender == ru::body_gender(b));
  }
}

TEST_CASE("meanings: a broken table fails with the file and the key in the message") {
  SUBCASE("missing entry") {
    const std::string e = load_error_after(
        "planet_in_sign.tsv", [](std::string s) { return without_line(s, "MOON.CAPRICORN\t"); });
    CHECK(contains(e, "planet_in_sign.tsv: missing key MOON.CAPRICORN"));
  }
  SUBCASE("missing file") {
    const std::string e = load_error_after("moon_day.tsv", nullptr);
    CHECK(contains(e, "moon_day.tsv: cannot read the table"));
  }
  SUBCASE("line without a tab") {
    const std::string e = load_error_after(
        "forms.tsv", [](std::string s) { return replace_once(s, "MARS\t", "MARS "); });
    CHECK(contains(e, "forms.tsv:"));
    CHECK(contains(e, "expected KEY<TAB>text"));
  }
  SUBCASE("misspelt key") {
    const std::string e = load_error_after(
        "asc_in_sign.tsv", [](std::string s) { return replace_once(s, "LIBRA\t", "LIBRAA\t"); });
    CHECK(contains(e, "asc_in_sign.tsv:"));
    CHECK(contains(e, "unknown key 'LIBRAA'"));
  }
  SUBCASE("duplicate key in a table without variants") {
    const std::string e = load_error_after("moon_day.tsv", [](std::string s) {
      return s +
             "LEO\tЕщё один текст для Льва, который повторяет ключ и поэтому должен быть "
             "отвергнут.\n";
    });
    CHECK(contains(e, "moon_day.tsv:"));
    CHECK(contains(e, "key LEO listed twice"));
  }
  SUBCASE("too few variants of a pair") {
    const std::string e = load_error_after(
        "pair.tsv", [](std::string s) { return without_line(s, "MOON+VENUS.TENSION\t"); });
    CHECK(contains(e, "pair.tsv:"));
    CHECK(contains(e, "MOON+VENUS.TENSION: 1 variants, expected at least 2"));
  }
  SUBCASE("a pair the sky cannot form") {
    const std::string e = load_error_after("pair.tsv", [](std::string s) {
      return s +
             "SUN+VENUS.TENSION\tТакого аспекта не бывает, потому что Венера не отходит от Солнца "
             "дальше 48°.\n";
    });
    CHECK(contains(e, "unknown key 'SUN+VENUS.TENSION'"));
  }
  SUBCASE("transit text without {N}") {
    const std::string e = load_error_after("transit.tsv", [](std::string s) {
      const auto a = s.find("\nSATURN.TENSION\t");
      const auto b = s.find("{N}", a);
      return s.replace(b, 3, "ваши планы");
    });
    CHECK(contains(e, "transit.tsv:"));
    CHECK(contains(e, "SATURN.TENSION: the text needs {N} once"));
  }
  SUBCASE("unknown placeholder") {
    const std::string e = load_error_after("transit.tsv", [](std::string s) {
      return replace_once(s, "{T.nom} встряхивает", "{T.dative} встряхивает");
    });
    CHECK(contains(e, "URANUS.CONJUNCTION: unknown placeholder {T.dative}"));
  }
  SUBCASE("a hyphen for a dash") {
    const std::string e = load_error_after("retro_mercury.tsv", [](std::string s) {
      return replace_once(s, "попятно:", "попятно -");
    });
    CHECK(contains(e, "TEXT: write «—» for a dash"));
  }
  SUBCASE("a gender the declension table does not know") {
    const std::string e = load_error_after(
        "forms.tsv", [](std::string s) { return replace_once(s, "Плутоне|m", "Плутоне|x"); });
    CHECK(contains(e, "PLUTO: gender must be m, f or n"));
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

TEST_CASE("typography: non-breaking spaces before dashes and after one-letter words") {
  CHECK(typography::typeset("День — в пути и к цели...") ==
        "День" + nbsp + "— в" + nbsp + "пути и" + nbsp + "к" + nbsp + "цели…");
  CHECK(typography::typeset("А вот и я") == "А" + nbsp + "вот и" + nbsp + "я");
  CHECK(typography::typeset("без предлогов") == "без предлогов");
  const std::string once = typography::typeset("Он в доме — и всё.");
  CHECK(typography::typeset(once) == once);
}

TEST_CASE("builtin: day text of a real noon sky") {
  const chart sky = noon_sky(2024, 3, 15);  // a Friday: Venus rules it
  const std::string text = interpret::day_text(tables(), sky);
  check_golden("day_2024-03-15.txt", text);
  check_shape(text);
  check_bodies(text, bodies_of(sky));
  CHECK(text == interpret::day_text(tables(), sky));
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() >= 4);
  const int moon_sign = to_dms(sky.find(body::moon)->longitude).sign;
  const int venus_sign = to_dms(sky.find(body::venus)->longitude).sign;
  CHECK(ps[0] == "🌙 <b>Луна " + typography::typeset(ru::sign_in(moon_sign)) + "</b>\n" +
                     typography::typeset(tables().moon_day(moon_sign)));
  CHECK(ps[1] == "💞 <b>Венера " + typography::typeset(ru::sign_in(venus_sign)) + "</b>\n" +
                     typography::typeset(tables().planet_in_sign(body::venus, venus_sign)));
  CHECK(ps.back().rfind("💡 ", 0) == 0);
  CHECK(paragraphs_starting(text, "🔮 ") >= 1);
  CHECK(paragraphs_starting(text, "🔮 ") <= 3);
  CHECK(paragraphs_starting(text, "⚠️ ") == 0);
  // The Moon's aspects come first, named with the declension table.
  CHECK((contains(ps[2], "Луны") || contains(ps[2], "Луной") || contains(ps[2], "Луне")));
}

TEST_CASE("builtin: the day text leaves out pairs of two slow planets and rotates the rest") {
  std::set<std::string> second_labels, advices;
  for (int d = 1; d <= 28; ++d) {
    const chart sky = noon_sky(2025, 2, d);
    const std::string text = interpret::day_text(tables(), sky);
    CAPTURE(text);
    const auto ps = paragraphs(text);
    REQUIRE(ps.size() >= 3);
    second_labels.insert(ps[1].substr(0, ps[1].find('\n')));
    advices.insert(ps.back());
    for (const auto& p : ps) {
      if (p.rfind("🔮 ", 0) != 0) continue;
      const std::string label = p.substr(0, p.find('\n'));
      int slow = 0;
      for (const char* name : {"Юпитер", "Сатурн", "Уран", "Нептун", "Плутон"})
        slow += contains(label, name);
      CHECK(slow < 2);
    }
  }
  CHECK(second_labels.size() >= 7);  // each weekday its planet
  CHECK(advices.size() == 28);       // 28 days in a row, 28 different advices
}

TEST_CASE("builtin: day text warns about retrograde Mercury") {
  const chart sky = noon_sky(2024, 4, 10);
  REQUIRE(sky.find(body::mercury)->is_retrograde());
  const std::string text = interpret::day_text(tables(), sky);
  check_shape(text);
  check_bodies(text, bodies_of(sky));
  CHECK(paragraphs_starting(text, "⚠️ ") == 1);
  CHECK(contains(text, "⚠️ " + typography::typeset(tables().retro_mercury())));
}

TEST_CASE("builtin: natal text with a known birth time") {
  const chart& natal = natal_known();
  const std::string text = interpret::natal_text(tables(), natal);
  check_golden("natal_known.txt", text);
  check_shape(text);
  check_bodies(text, bodies_of(natal));
  CHECK(text == interpret::natal_text(tables(), natal));
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() >= 8);
  CHECK(ps[0].rfind("☀️ <b>Солнце ", 0) == 0);
  CHECK(ps[1].rfind("🌙 <b>Луна ", 0) == 0);
  const int asc_sign = to_dms(natal.chart_angles->asc).sign;
  CHECK(ps[2] == "🌅 <b>Асцендент " + typography::typeset(ru::sign_in(asc_sign)) + "</b>\n" +
                     typography::typeset(tables().asc_in_sign(asc_sign)));
  CHECK(ps[3].rfind("💬 <b>Меркурий ", 0) == 0);
  CHECK(ps[4].rfind("💞 <b>Венера ", 0) == 0);
  CHECK(ps[5].rfind("🔥 <b>Марс ", 0) == 0);
  CHECK(ps[6].rfind("🍀 <b>Юпитер ", 0) == 0);
  CHECK(ps[7].rfind("⏳ <b>Сатурн ", 0) == 0);
  CHECK(paragraphs_starting(text, "🔮 ") >= 1);
  CHECK(paragraphs_starting(text, "🔮 ") <= 4);
  CHECK(ps.size() == 8 + paragraphs_starting(text, "🔮 "));
}

TEST_CASE("builtin: natal text with an unknown birth time has no Ascendant sentence") {
  const chart& natal = natal_unknown();
  REQUIRE_FALSE(natal.time_known);
  const std::string text = interpret::natal_text(tables(), natal);
  check_shape(text);
  check_bodies(text, bodies_of(natal));
  CHECK_FALSE(contains(text, "Асцендент"));
  CHECK(paragraphs_starting(text, "🌅 ") == 0);
  CHECK(paragraphs(text)[2].rfind("💬 <b>Меркурий ", 0) == 0);
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
  CHECK(paragraphs_starting(text, "🔮 <b>Транзитн") == std::min<std::size_t>(5, aspects.size()));
  CHECK_FALSE(contains(text, tables().bi_no_transits()));
  const auto ps = paragraphs(text);
  CHECK(ps[ps.size() - 2].rfind("🌙 <b>Луна ", 0) == 0);
  CHECK(ps.back().rfind("💡 ", 0) == 0);
}

TEST_CASE("builtin: transit labels decline both points and the text says how long it lasts") {
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
  aspect saturn_venus;
  saturn_venus.p1.id = body::venus;
  saturn_venus.p2.id = body::saturn;
  saturn_venus.type = aspect_type::opposition;
  saturn_venus.orb = 2.5;
  const std::string text =
      interpret::transits_text(tables(), sky, {moon_mc, venus_moon, mars_sun, saturn_venus});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() == 6);
  CHECK(ps[0].rfind(
            "🔮 <b>Транзитный Марс в" + nbsp + "квадрате к" + nbsp + "натальному Солнцу</b>\n", 0) ==
        0);
  CHECK(ps[1].rfind("🔮 <b>Транзитная Луна в" + nbsp + "трине к" + nbsp + "натальному MC</b>\n",
                    0) == 0);
  CHECK(ps[2].rfind(
            "🔮 <b>Транзитная Венера в" + nbsp + "соединении с" + nbsp + "натальной Луной</b>\n",
            0) == 0);
  CHECK(ps[3].rfind(
            "🔮 <b>Транзитный Сатурн в" + nbsp + "оппозиции к" + nbsp + "натальной Венере</b>\n",
            0) == 0);
  // Duration by speed: days for Mars, hours for the Moon, weeks for Saturn.
  const auto ends_with_one_of = [&](const std::string& p, interpret::duration d, bool applying) {
    for (const auto& s : tables().duration_texts(d, applying))
      if (p.size() >= typography::typeset(s).size() &&
          p.substr(p.size() - typography::typeset(s).size()) == typography::typeset(s))
        return true;
    return false;
  };
  CHECK(ends_with_one_of(ps[0], interpret::duration::days, true));
  CHECK(ends_with_one_of(ps[1], interpret::duration::hours, false));
  CHECK(ends_with_one_of(ps[3], interpret::duration::weeks, false));
}

TEST_CASE("builtin: two transits to one natal point name it differently") {
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  aspect mars_moon, venus_moon;  // p1 natal, p2 transiting
  mars_moon.p1.id = venus_moon.p1.id = body::moon;
  mars_moon.p2.id = body::mars;
  mars_moon.type = aspect_type::square;
  mars_moon.orb = 0.5;
  venus_moon.p2.id = body::venus;
  venus_moon.type = aspect_type::trine;
  venus_moon.orb = 1.5;
  const std::string text = interpret::transits_text(tables(), sky, {mars_moon, venus_moon});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() == 4);
  aspect_point moon;
  moon.id = body::moon;
  const auto& phrases = *tables().natal_point(moon);
  int named = 0;
  for (const auto& p : phrases) {
    const std::string phrase = typography::typeset(p);
    CAPTURE(phrase);
    CHECK((contains(ps[0], phrase) + contains(ps[1], phrase)) <= 1);
    named += contains(ps[0], phrase) + contains(ps[1], phrase);
  }
  CHECK(named == 2);
}

TEST_CASE("builtin: personal transits without aspects give the fixed sentence") {
  const chart sky = sky_at(2024, 3, 15, 9, 0);
  const std::string text = interpret::transits_text(tables(), sky, {});
  check_shape(text);
  const auto ps = paragraphs(text);
  REQUIRE(ps.size() == 3);
  CHECK(ps[0] == "✨ " + typography::typeset(bi_no_transits_spec));
  CHECK(ps[1].rfind("🌙 ", 0) == 0);
  CHECK(ps[2].rfind("💡 ", 0) == 0);
}

// Over 1,000 random birth charts and days: every text well formed, no sentence twice, every
// body's forms in the declension table, 250–2,500 characters.
TEST_CASE("builtin: texts stay valid over a thousand random charts and days") {
  std::mt19937_64 rng(20261206);
  std::uniform_int_distribution<std::int64_t> birth(fields_to_unix(dt(1930, 1, 1)),
                                                    fields_to_unix(dt(2020, 12, 31)));
  std::uniform_int_distribution<std::int64_t> day(fields_to_unix(dt(2020, 1, 1)),
                                                  fields_to_unix(dt(2035, 12, 31)));
  std::uniform_real_distribution<double> lat(-60, 65), lon(-180, 180);
  std::size_t transit_paragraphs = 0;
  for (int i = 0; i < 1000; ++i) {
    const chart natal = build_ok(chart_request::at_utc(birth(rng), lat(rng), lon(rng), "UTC"));
    const chart sky = build_ok(
        chart_request::at_utc(day(rng) / 86400 * 86400 + 9 * 3600, 55.7558, 37.6173, "UTC"));
    CAPTURE(i);
    for (const auto& p : natal.positions)
      if (p.id != body::true_node) REQUIRE(tables().forms(body_api_name(p.id)));
    const auto n = interpret::natal_text(tables(), natal);
    const auto d = interpret::day_text(tables(), sky);
    const auto t = interpret::transits_text(tables(), sky, transit_aspects(natal, sky));
    transit_paragraphs += paragraphs_starting(t, "🔮 ");
    for (const auto* text : {&n, &d, &t}) {
      // check_shape per text would add ~30 assertions each: the common failures stop it early.
      const std::string plain = html::to_plain(*text);
      const auto length = code_points(plain);
      if (length < 250 || length > 2500 || contains(*text, "{") || html::validate(*text)) {
        check_shape(*text);
        FAIL("bad text");
      }
      std::set<std::string> seen;
      for (const auto& s : sentences_of(plain))
        if (!seen.insert(s).second) FAIL("sentence twice: " << s << "\n" << *text);
    }
    if (i % 100 == 0) {
      check_shape(n);
      check_shape(d);
      check_shape(t);
    }
  }
  CHECK(transit_paragraphs > 1000);
}

TEST_CASE("report: the command prints the texts the bot sends") {
  config cfg;
  cfg.share_dir = share_dir();
  using args = std::vector<std::string>;
  const std::vector<std::string> birth = {"--date", "1990-03-15", "--time",
                                          "14:30",  "--place",    "Москва"};
  const auto with = [&](std::string kind, args extra) {
    args a{std::move(kind)};
    a.insert(a.end(), birth.begin(), birth.end());
    a.insert(a.end(), extra.begin(), extra.end());
    return build_report(a, cfg);
  };

  const auto natal = with("natal", {"--html"});
  REQUIRE(natal.exit_code == 0);
  CHECK(natal.text.rfind("🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 14:30 (Europe/Moscow)", 0) == 0);
  CHECK(contains(natal.text,
                 "\n\n📖 <b>Интерпретация натальной карты "
                 "(кратко)</b>\n\n☀️ "
                 "<b>Солнце "
                 "в" +
                     nbsp + "Рыбах</b>\n"));
  CHECK(with("natal", {}).text == html::to_plain(natal.text));

  const auto transit = with("transit", {"--at", "2024-03-15 09:00", "--html"});
  REQUIRE(transit.exit_code == 0);
  CHECK(transit.text.rfind("🌟 <b>Персональные транзиты</b>\n📅 15.03.2024 🕐 09:00", 0) == 0);
  CHECK(contains(transit.text,
                 "\n\n📖 <b>Интерпретация персональных транзитов (кратко)</b>\n\n🔮 <b>Транзитн"));

  const auto forecast = with("forecast", {"--at", "2024-03-15 09:00", "--html"});
  REQUIRE(forecast.exit_code == 0);
  CHECK(forecast.text.rfind("🌅 <b>Ваш прогноз на 15.03.2024</b>\n\n", 0) == 0);
  CHECK(forecast.text.size() > 300);
  const std::string unsubscribe = "\n\n🔕 Отключить рассылку: /unsubscribe";
  CHECK(forecast.text.substr(forecast.text.size() - unsubscribe.size()) == unsubscribe);
  CHECK(contains(forecast.text, "📖 <b>Интерпретация персональных транзитов (кратко)</b>"));

  // The day: the sky of the hour with the text of the local noon, exactly the session's.
  const auto day = build_report(args{"day", "--at", "2024-03-15 12:00", "--html"}, cfg);
  REQUIRE(day.exit_code == 0);
  CHECK(day.text.rfind("🌟 <b>Текущая карта транзитов</b>\n📅 15.03.2024 🕐 12:00", 0) == 0);
  const std::string block = reports::interpretation_block(
      reports::purpose::day, interpret::day_text(tables(), noon_sky(2024, 3, 15)), true, false);
  CHECK(day.text.substr(day.text.size() - block.size()) == block);

  CHECK(build_report(args{}, cfg).exit_code == 2);
  CHECK(build_report(args{"horoscope"}, cfg).exit_code == 2);
  CHECK(build_report(args{"natal", "--date", "1990-03-15"}, cfg).exit_code == 2);
  CHECK(with("natal", {"--at", "yesterday"}).exit_code == 0);  // --at does not concern natal
  CHECK(with("transit", {"--at", "yesterday"}).exit_code == 2);
  CHECK(build_report(args{"natal", "--date", "1990-03-15", "--time", "25:00", "--place", "Москва"},
                     cfg)
            .exit_code == 2);
  CHECK(build_report(args{"natal", "--date", "1990-03-15", "--time", "unknown", "--place",
                          "Нигдеград Несуществующий"},
                     cfg)
            .exit_code == 1);
}
