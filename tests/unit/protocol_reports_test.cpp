// protocol/ru_names and protocol/reports: the vocabulary of docs/behaviour.md §2 and the report,
// caption and reply texts of docs/behaviour.md §3 and §9 on hand-built charts (no ephemeris
// involved).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "protocol/chart.hpp"
#include "protocol/html.hpp"
#include "protocol/reports.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/texts.hpp"

// Expected texts containing U+FE0F (the emoji variation selector) are raw literals: clang-format
// misjudges their width and would split ordinary literals again on every run.

using namespace nocturna;
using astro::aspect_type;
using astro::body;

namespace {

astro::body_position pos(body b, double lon, double speed = 1.0, std::optional<int> house = {}) {
  astro::body_position p;
  p.id = b;
  p.longitude = lon;
  p.speed = speed;
  p.house = house;
  return p;
}

astro::aspect_point pt(body b) {
  astro::aspect_point p;
  p.id = b;
  return p;
}

astro::aspect_point angle(const char* name) {
  astro::aspect_point p;
  p.angle = name;
  return p;
}

astro::aspect asp(astro::aspect_point a, astro::aspect_point b, aspect_type t, double orb,
                  bool applying) {
  astro::aspect x;
  x.p1 = std::move(a);
  x.p2 = std::move(b);
  x.type = t;
  x.orb = orb;
  x.applying = applying;
  return x;
}

constexpr double asc = 85.698338, mc = 331.458483;

// A sky chart: every shown kind of body, a ℞ that is shown and one that is not, the true node
// (never shown), aspects out of order, one outside its orb and one with a non-planet.
astro::chart sky_chart() {
  astro::chart c;
  c.zone = "Europe/Moscow";
  c.positions = {pos(body::true_node, 11.0, -0.05), pos(body::sun, 295.396453),
                 pos(body::moon, 171.39, 12.4),     pos(body::mercury, 234.5, -0.5),
                 pos(body::venus, 120.0),           pos(body::mars, 29.99999, 0.7),
                 pos(body::mean_node, 10.0, -0.05), pos(body::mean_lilith, 200.25, 0.1),
                 pos(body::chiron, 45.5, -0.01)};
  c.chart_angles = astro::angles{asc, mc, asc + 180, mc - 180};
  c.aspects = {asp(pt(body::sun), pt(body::moon), aspect_type::trine, 4.007, true),
               asp(pt(body::venus), pt(body::mars), aspect_type::trine, 1.258, true),
               asp(pt(body::moon), pt(body::mars), aspect_type::square, 1.258, false),
               asp(pt(body::sun), pt(body::mars), aspect_type::sextile, 5.0, true),
               asp(pt(body::mars), pt(body::mean_node), aspect_type::conjunction, 0.5, true)};
  for (int k = 1; k <= 12; ++k) {
    double lon = asc + 30.0 * (k - 1);
    if (lon >= 360) lon -= 360;
    c.houses.push_back({k, lon});
  }
  return c;
}

// The same sky read as a natal chart with houses on some bodies.
astro::chart natal_chart() {
  astro::chart c = sky_chart();
  for (auto& p : c.positions) {
    if (p.id == body::sun) p.house = 8;
    if (p.id == body::mercury) p.house = 5;
    if (p.id == body::chiron) p.house = 11;
  }
  return c;
}

reports::moment_label moscow_moment() {
  return {"26.11.2026", "17:00", "Europe/Moscow", "UTC+03:00"};
}

reports::birth_view moscow_birth() {
  reports::birth_view b;
  b.date = "15.03.1990";
  b.time = "14:30";
  b.zone = "Europe/Moscow";
  b.place_label = "Москва, Россия";
  b.latitude = 55.7558;
  b.longitude = 37.6173;
  return b;
}

const char* const sky_positions = R"(Солнце в Козероге 25°23′
Луна в Деве 21°23′
Меркурий в Скорпионе 24°30′ ℞
Венера во Льве 0°00′
Марс в Овне 29°59′
Северный узел в Овне 10°00′
Лилит в Весах 20°15′
Хирон в Тельце 15°30′ ℞
℞ — ретроградное движение)";

const char* const sky_aspects = R"(Луна □ Марс — квадрат, орб 1°15′, расходящийся
Венера △ Марс — трин, орб 1°15′, сходящийся
Солнце △ Луна — трин, орб 4°00′, сходящийся)";

bool valid(const std::string& h) {
  const auto err = html::validate(h);
  if (err) MESSAGE(*err);
  return !err;
}

}  // namespace

TEST_CASE("vocabulary of docs/behaviour.md §2") {
  CHECK(std::string(ru::body_name(body::sun)) == "Солнце");
  CHECK(std::string(ru::body_name(body::mean_node)) == "Северный узел");
  CHECK(std::string(ru::body_name(body::true_node)) == "Истинный узел");
  CHECK(std::string(ru::body_name(body::mean_lilith)) == "Лилит");
  CHECK(std::string(ru::body_name(body::chiron)) == "Хирон");
  CHECK(ru::body_gender(body::sun) == ru::gender::neuter);
  CHECK(ru::body_gender(body::moon) == ru::gender::feminine);
  CHECK(ru::body_gender(body::venus) == ru::gender::feminine);
  CHECK(ru::body_gender(body::mean_lilith) == ru::gender::feminine);
  CHECK(ru::body_gender(body::mars) == ru::gender::masculine);
  CHECK_FALSE(ru::shows_retrograde(body::sun));
  CHECK_FALSE(ru::shows_retrograde(body::moon));
  CHECK_FALSE(ru::shows_retrograde(body::mean_node));
  CHECK_FALSE(ru::shows_retrograde(body::mean_lilith));
  CHECK(ru::shows_retrograde(body::mercury));
  CHECK(ru::shows_retrograde(body::pluto));
  CHECK(ru::shows_retrograde(body::chiron));
  CHECK(ru::point_name(pt(body::neptune)) == "Нептун");
  CHECK(ru::point_name(angle("ASC")) == "Асцендент");
  CHECK(ru::point_name(angle("MC")) == "MC");
  CHECK(ru::point_gender(angle("ASC")) == ru::gender::masculine);
  CHECK(ru::point_gender(pt(body::sun)) == ru::gender::neuter);

  CHECK(std::string(ru::sign_name(0)) == "Овен");
  CHECK(std::string(ru::sign_name(11)) == "Рыбы");
  CHECK(std::string(ru::sign_name(12)).empty());
  CHECK(std::string(ru::sign_in(0)) == "в Овне");
  CHECK(std::string(ru::sign_in(4)) == "во Льве");
  CHECK(std::string(ru::sign_in(2)) == "в Близнецах");
  CHECK(std::string(ru::sign_in(-1)).empty());

  CHECK(std::string(ru::aspect_word(aspect_type::conjunction)) == "соединение");
  CHECK(std::string(ru::aspect_word(aspect_type::sextile)) == "секстиль");
  CHECK(std::string(ru::aspect_symbol(aspect_type::opposition)) == "☍");
  CHECK(std::string(ru::aspect_symbol(aspect_type::trine)) == "△");
  CHECK(std::string(ru::aspect_symbol(aspect_type::square)) == "□");
  CHECK(std::string(ru::aspect_symbol(aspect_type::sextile)) == "⚹");

  CHECK(std::string(ru::house_system_label('P')) == "Плацидус");
  CHECK(std::string(ru::house_system_label('W')) == "Целые знаки");
  CHECK(std::string(ru::house_system_label('C')) == "Кампанус");
  CHECK(ru::house_system_label('X') == nullptr);
  CHECK(ru::house_system_label('p') == nullptr);
}

TEST_CASE("plural of «аспект»") {
  CHECK(ru::aspect_plural(1) == "аспект");
  CHECK(ru::aspect_plural(3) == "аспекта");
  CHECK(ru::aspect_plural(11) == "аспектов");
  CHECK(ru::aspect_plural(22) == "аспекта");
  CHECK(ru::aspect_plural(111) == "аспектов");
  CHECK(ru::aspect_plural(0) == "аспектов");
  CHECK(ru::aspect_plural(5) == "аспектов");
  CHECK(ru::aspect_plural(12) == "аспектов");
  CHECK(ru::aspect_plural(14) == "аспектов");
  CHECK(ru::aspect_plural(21) == "аспект");
  CHECK(ru::aspect_plural(101) == "аспект");
  CHECK(ru::aspect_plural(112) == "аспектов");
  CHECK(ru::aspect_plural(124) == "аспекта");
}

TEST_CASE("degrees and orbs are truncated, never rounded") {
  CHECK(ru::angle_text(29.99999) == "29°59′");
  CHECK(ru::angle_text(359.99999) == "29°59′");
  CHECK(ru::angle_text(0) == "0°00′");
  CHECK(ru::angle_text(144.0833) == "24°04′");
  CHECK(ru::angle_text(234.5) == "24°30′");
  CHECK(ru::orb_text(1.9583) == "1°57′");
  CHECK(ru::orb_text(1.2999) == "1°17′");
  CHECK(ru::orb_text(0.0) == "0°00′");
  CHECK(ru::orb_text(7.99999) == "7°59′");
  CHECK(ru::orb_text(-0.5) == "0°30′");
}

TEST_CASE("building blocks") {
  const auto c = sky_chart();
  CHECK(reports::pos_lines(c, false) == sky_positions);
  CHECK(reports::asp_lines(c.aspects) == sky_aspects);
  CHECK(reports::asp_lines({}) == texts::no_aspects);
  CHECK(reports::asp_line(asp(pt(body::sun), pt(body::uranus), aspect_type::opposition, 1.9583,
                              false)) == "Солнце ☍ Уран — оппозиция, орб 1°57′, расходящийся");
  CHECK(reports::angles_lines(*c.chart_angles) ==
        "Асцендент: Близнецы 25°41′\nMC: Рыбы 1°27′\nДесцендент: Стрелец 25°41′\nIC: Дева 1°27′");
  CHECK(
      std::string(reports::note_unknown) ==
      R"(⚠️ Время рождения неизвестно: карта рассчитана на 12:00 местного времени, дома и углы не определены, положение Луны приблизительное.)");
  CHECK(
      reports::note_polar('K') ==
      R"(⚠️ На этой широте система «Кох» неприменима, дома рассчитаны по системе «Порфирий».)");

  // No ℞ shown → no legend; a retrograde node alone shows none.
  astro::chart direct;
  direct.positions = {pos(body::sun, 0.5), pos(body::mean_node, 100, -0.05)};
  CHECK(reports::pos_lines(direct, true) == "Солнце в Овне 0°30′\nСеверный узел в Раке 10°00′");
}

TEST_CASE("TR lines agree with the gender of each body") {
  CHECK(
      reports::tr_line(asp(pt(body::sun), pt(body::mars), aspect_type::square, 2.5, false)) ==
      R"(◀️ Транзитный <b>Марс</b> □ натальное <b>Солнце</b> — квадрат, орб 2°30′)");
  CHECK(
      reports::tr_line(asp(pt(body::moon), pt(body::venus), aspect_type::conjunction, 0.1, true)) ==
      R"(▶️ Транзитная <b>Венера</b> ☌ натальная <b>Луна</b> — соединение, орб 0°06′)");
  CHECK(
      reports::tr_line(asp(angle("ASC"), pt(body::sun), aspect_type::trine, 1.0, false)) ==
      R"(◀️ Транзитное <b>Солнце</b> △ натальный <b>Асцендент</b> — трин, орб 1°00′)");
  CHECK(
      reports::tr_line(asp(angle("MC"), pt(body::moon), aspect_type::sextile, 0.75, true)) ==
      R"(▶️ Транзитная <b>Луна</b> ⚹ натальный <b>MC</b> — секстиль, орб 0°45′)");
}

TEST_CASE("REP_SKY, REP_PLANETS, REP_ASPECTS") {
  const auto c = sky_chart();
  const std::string sky = reports::sky_report(c, moscow_moment(), "Москва");
  CHECK(sky ==
        std::string("🌟 <b>Текущая карта транзитов</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow, "
                    "UTC+03:00)\n📍 Москва\n🏠 Система домов: Плацидус\n\n<b>Позиции планет</b>\n") +
            sky_positions +
            "\n\n<b>Углы</b>\nАсцендент: Близнецы 25°41′\nMC: Рыбы 1°27′\n\n<b>Аспекты</b>\n" +
            sky_aspects);
  CHECK(valid(sky));

  auto polar = c;
  polar.system_requested = 'K';
  polar.system_used = 'O';
  polar.houses_fallback = true;
  CHECK(reports::sky_report(polar, moscow_moment(), "Москва").find(R"(📍 Москва
🏠 Система домов: Кох
⚠️ На этой широте система «Кох» неприменима, дома рассчитаны по системе «Порфирий».

<b>Позиции планет</b>
)") != std::string::npos);

  CHECK(
      reports::planets_report(c, moscow_moment()) ==
      std::string("🌟 <b>Позиции планет</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)\n\n") +
          sky_positions);
  CHECK(
      reports::aspects_report(c, moscow_moment()) ==
      std::string("🔮 <b>Аспекты планет</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)\n\n") +
          sky_aspects);

  auto empty = c;
  empty.aspects = {asp(pt(body::sun), pt(body::chiron), aspect_type::conjunction, 0.1, true)};
  CHECK(reports::aspects_report(empty, moscow_moment()) ==
        "🔮 <b>Аспекты планет</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)\n\nМажорных "
        "аспектов в пределах орбов нет.");
}

TEST_CASE("REP_NATAL with a known time") {
  const std::string natal = reports::natal_report(natal_chart(), moscow_birth());
  CHECK(natal == std::string(R"(🌟 <b>Натальная карта</b>
📅 15.03.1990 🕐 14:30 (Europe/Moscow)
📍 Москва, Россия
🏠 Система домов: Плацидус

<b>Планеты</b>
Солнце в Козероге 25°23′ (8-й дом)
Луна в Деве 21°23′
Меркурий в Скорпионе 24°30′ ℞ (5-й дом)
Венера во Льве 0°00′
Марс в Овне 29°59′
Северный узел в Овне 10°00′
Лилит в Весах 20°15′
Хирон в Тельце 15°30′ ℞ (11-й дом)
℞ — ретроградное движение

<b>Углы</b>
Асцендент: Близнецы 25°41′
MC: Рыбы 1°27′
Десцендент: Стрелец 25°41′
IC: Дева 1°27′

<b>Дома</b>
1-й дом: Близнецы 25°41′
2-й дом: Рак 25°41′
3-й дом: Лев 25°41′
4-й дом: Дева 25°41′
5-й дом: Весы 25°41′
6-й дом: Скорпион 25°41′
7-й дом: Стрелец 25°41′
8-й дом: Козерог 25°41′
9-й дом: Водолей 25°41′
10-й дом: Рыбы 25°41′
11-й дом: Овен 25°41′
12-й дом: Телец 25°41′

<b>Аспекты</b>
)") + sky_aspects);
  CHECK(valid(natal));
}

TEST_CASE("REP_NATAL: polar fallback names the chosen system") {
  auto c = natal_chart();
  c.system_requested = 'P';
  c.system_used = 'O';
  c.houses_fallback = true;
  const std::string natal = reports::natal_report(c, moscow_birth());
  CHECK(natal.find(R"(📍 Москва, Россия
🏠 Система домов: Плацидус
⚠️ На этой широте система «Плацидус» неприменима, дома рассчитаны по системе «Порфирий».

<b>Планеты</b>
)") != std::string::npos);
}

TEST_CASE("REP_NATAL with an unknown time: no houses, no angles") {
  auto c = natal_chart();  // house numbers left on the bodies must not leak out
  c.time_known = false;
  c.houses.clear();
  c.chart_angles.reset();
  auto birth = moscow_birth();
  birth.time.reset();
  const std::string natal = reports::natal_report(c, birth);
  CHECK(natal == std::string("🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 время неизвестно "
                             "(Europe/Moscow)\n📍 Москва, Россия\n") +
                     reports::note_unknown + "\n\n<b>Планеты</b>\n" + sky_positions +
                     "\n\n<b>Аспекты</b>\n" + sky_aspects);
  CHECK(natal.find(" дом)") == std::string::npos);
  CHECK(natal.find("<b>Дома</b>") == std::string::npos);
  CHECK(natal.find("<b>Углы</b>") == std::string::npos);
  CHECK(natal.find("Асцендент") == std::string::npos);
  CHECK(natal.find("Система домов") == std::string::npos);
}

TEST_CASE("hostile labels, zones and dates are escaped") {
  auto birth = moscow_birth();
  birth.place_label = "<b>&";
  birth.zone = "Zone<i>";
  birth.time = "1&2";
  const std::string natal = reports::natal_report(natal_chart(), birth);
  CHECK(natal.find("📍 &lt;b&gt;&amp;\n") != std::string::npos);
  CHECK(natal.find("🕐 1&amp;2 (Zone&lt;i&gt;)") != std::string::npos);
  CHECK(valid(natal));
  CHECK(valid(reports::natal_caption(birth)));
  CHECK(reports::natal_caption(birth) ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 1&amp;2\n📍 &lt;b&gt;&amp;");

  const reports::moment_label evil{"<d>", "<t>", "a&b", "\"o\""};
  for (const auto& h :
       {reports::sky_report(sky_chart(), evil, "<b>&"), reports::planets_report(sky_chart(), evil),
        reports::aspects_report(sky_chart(), evil), reports::ptransit_report({}, evil, false),
        reports::pt_caption(evil), reports::sky_caption(evil, "<b>&"),
        reports::sub_ok_text("<t>", "<z>"), reports::sub_changed_text("<t>", "&z"),
        reports::profile_text(birth, 'P', std::string("<x>")),
        reports::forecast_text({}, "<d>", true, "block")}) {
    CHECK(valid(h));
    CHECK(h.find("<d>") == std::string::npos);
    CHECK(h.find("<t>") == std::string::npos);
    CHECK(h.find("<b>&") == std::string::npos);
  }
  CHECK(reports::sky_caption(evil, "<b>&") ==
        "🌟 <b>Текущая карта транзитов</b>\n📅 &lt;d&gt; 🕐 &lt;t&gt; (a&amp;b)\n📍 &lt;b&gt;&amp;");
  CHECK(reports::pt_caption(evil) ==
        "🌟 <b>Персональные транзиты</b>\n📅 &lt;d&gt; 🕐 &lt;t&gt; (a&amp;b)");
}

TEST_CASE("captions") {
  const auto at = moscow_moment();
  CHECK(reports::sky_caption(at, "Москва") ==
        "🌟 <b>Текущая карта транзитов</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow)\n📍 Москва");
  CHECK(reports::pt_caption(at) ==
        "🌟 <b>Персональные транзиты</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow)");
  CHECK(reports::natal_caption(moscow_birth()) ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 14:30\n📍 Москва, Россия");
  auto unknown = moscow_birth();
  unknown.time.reset();
  CHECK(reports::natal_caption(unknown) ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 время неизвестно\n📍 Москва, Россия");

  // 500 characters: cut to 120 code points + "…", whatever their UTF-16 width.
  std::string cyrillic, emoji, ampersands;
  for (int i = 0; i < 500; ++i) {
    cyrillic += "Ж";
    emoji += "🌟";
    ampersands += "&";
  }
  std::string cyrillic120;
  for (int i = 0; i < 120; ++i) cyrillic120 += "Ж";
  auto birth = moscow_birth();
  birth.place_label = cyrillic;
  CHECK(reports::natal_caption(birth) ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 14:30\n📍 " + cyrillic120 + "…");
  for (const auto& label : {cyrillic, emoji, ampersands}) {
    birth.place_label = label;
    const reports::moment_label huge{label, label, label, label};
    for (const auto& caption : {reports::natal_caption(birth), reports::sky_caption(huge, label),
                                reports::pt_caption(huge)}) {
      CHECK(valid(caption));
      CHECK(html::visible_length(caption) <= 1024);
    }
  }
  birth.place_label = emoji;
  CHECK(html::visible_length(reports::natal_caption(birth)) ==
        html::visible_length("🌟 Натальная карта\n📅 15.03.1990 🕐 14:30\n📍 ") + 240 + 1);
}

namespace {

std::vector<astro::aspect> transits(int n) {
  // Orbs rising with the index; the input is reversed to prove the builder sorts.
  const body natal[] = {body::sun, body::moon, body::mercury, body::venus, body::mars};
  const body moving[] = {body::jupiter, body::saturn, body::uranus, body::neptune, body::pluto};
  std::vector<astro::aspect> out;
  for (int i = n - 1; i >= 0; --i)
    out.push_back(asp(pt(natal[i % 5]), pt(moving[(i / 5) % 5]), aspect_type::trine, 0.1 * (i + 1),
                      i % 2 == 0));
  return out;
}

}  // namespace

TEST_CASE("REP_PT") {
  const auto at = moscow_moment();
  const std::vector<astro::aspect> three = {
      asp(pt(body::sun), pt(body::mars), aspect_type::square, 2.5, false),
      asp(angle("ASC"), pt(body::sun), aspect_type::trine, 1.0, false),
      asp(pt(body::moon), pt(body::venus), aspect_type::conjunction, 0.1, true),
      // out of the 3° transit orb, a non-planet transit body, a natal angle that is not ASC/MC
      asp(pt(body::moon), pt(body::venus), aspect_type::opposition, 3.5, true),
      asp(pt(body::moon), pt(body::chiron), aspect_type::opposition, 0.5, true),
      asp(angle("DSC"), pt(body::sun), aspect_type::trine, 0.2, true)};
  const std::string legend =
      std::string("\n\n") +
      R"(💡 <i>▶️ — аспект формируется (сходящийся), ◀️ — аспект расходится</i>)";
  const std::string known = reports::ptransit_report(three, at, false);
  CHECK(known ==
        R"(🌟 <b>Персональные транзиты</b>
📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)

🔮 <b>Транзитные аспекты к натальной карте</b>
▶️ Транзитная <b>Венера</b> ☌ натальная <b>Луна</b> — соединение, орб 0°06′
◀️ Транзитное <b>Солнце</b> △ натальный <b>Асцендент</b> — трин, орб 1°00′
◀️ Транзитный <b>Марс</b> □ натальное <b>Солнце</b> — квадрат, орб 2°30′)" +
            legend);
  CHECK(valid(known));

  // Without a birth time the natal angles do not exist.
  const std::string unknown = reports::ptransit_report(three, at, true);
  CHECK(unknown ==
        std::string(
            "🌟 <b>Персональные транзиты</b>\n📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)\n") +
            reports::note_unknown +
            R"(

🔮 <b>Транзитные аспекты к натальной карте</b>
▶️ Транзитная <b>Венера</b> ☌ натальная <b>Луна</b> — соединение, орб 0°06′
◀️ Транзитный <b>Марс</b> □ натальное <b>Солнце</b> — квадрат, орб 2°30′)" +
            legend);

  CHECK(reports::ptransit_report({}, at, false) ==
        R"(🌟 <b>Персональные транзиты</b>
📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)

ℹ️ Сейчас нет значимых транзитных аспектов к вашей натальной карте.)");

  const std::string ten = reports::ptransit_report(transits(10), at, false);
  CHECK(ten.find("… и ещё") == std::string::npos);
  const std::string eleven = reports::ptransit_report(transits(11), at, false);
  CHECK(eleven.find("\n<i>… и ещё 1 аспект</i>" + legend) != std::string::npos);
  const std::string thirteen = reports::ptransit_report(transits(13), at, false);
  CHECK(thirteen.find("\n<i>… и ещё 3 аспекта</i>" + legend) != std::string::npos);
  const std::string many = reports::ptransit_report(transits(25), at, false);
  CHECK(many.find("\n<i>… и ещё 15 аспектов</i>" + legend) != std::string::npos);
  CHECK(valid(many));
  // Tightest first, then cut after 10.
  CHECK(many.find("орб 0°06′") < many.find("орб 0°12′"));
  CHECK(many.find("орб 1°00′") != std::string::npos);
  CHECK(many.find("орб 1°06′") == std::string::npos);
}

TEST_CASE("interpretation block and T_FORECAST") {
  using reports::purpose;
  CHECK(reports::interpretation_block(purpose::day, "Текст", false, false) ==
        "📖 <b>Интерпретация дня</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::natal, "Текст", false, false) ==
        "📖 <b>Интерпретация натальной карты</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::transits, "<b>Т</b>", false, true) ==
        "📖 <b>Интерпретация персональных транзитов</b>\n\n<b>Т</b>");
  CHECK(reports::interpretation_block(purpose::day, "Текст", true, false) ==
        "📖 <b>Интерпретация дня (кратко)</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::natal, "Текст", true, true) ==
        "📖 <b>Интерпретация натальной карты (кратко)</b>\n\nТекст\n\n<i>Подробная интерпретация "
        "сейчас недоступна — показана краткая.</i>");
  CHECK(reports::interpretation_block(purpose::transits, "Текст", true, false) ==
        "📖 <b>Интерпретация персональных транзитов (кратко)</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::compat, "Текст", false, false) ==
        "📖 <b>Интерпретация совместимости</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::compat, "Текст", true, false) ==
        "📖 <b>Интерпретация совместимости (кратко)</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::moon, "Текст", false, false) ==
        "📖 <b>Лунный день и\u00a0фаза</b>\n\nТекст");
  CHECK(reports::interpretation_block(purpose::moon, "Текст", true, true) ==
        "📖 <b>Лунный день и\u00a0фаза (кратко)</b>\n\nТекст\n\n<i>Подробная интерпретация "
        "сейчас недоступна — показана краткая.</i>");

  const std::string block = reports::interpretation_block(purpose::transits, "Текст", true, false);
  const std::string forecast = reports::forecast_text(transits(7), "26.11.2026", false, block);
  CHECK(forecast ==
        R"(🌅 <b>Ваш прогноз на 26.11.2026</b>

▶️ Транзитный <b>Юпитер</b> △ натальное <b>Солнце</b> — трин, орб 0°06′
◀️ Транзитный <b>Юпитер</b> △ натальная <b>Луна</b> — трин, орб 0°12′
▶️ Транзитный <b>Юпитер</b> △ натальный <b>Меркурий</b> — трин, орб 0°18′
◀️ Транзитный <b>Юпитер</b> △ натальная <b>Венера</b> — трин, орб 0°24′
▶️ Транзитный <b>Юпитер</b> △ натальный <b>Марс</b> — трин, орб 0°30′

)" + block + "\n\n🔕 Отключить рассылку: /unsubscribe");
  CHECK(valid(forecast));
  CHECK(reports::forecast_text({}, "26.11.2026", true, block) ==
        std::string("🌅 <b>Ваш прогноз на 26.11.2026</b>\n") + reports::note_unknown +
            R"(

ℹ️ Сейчас нет значимых транзитных аспектов к вашей натальной карте.

)" + block + "\n\n🔕 Отключить рассылку: /unsubscribe");
}

TEST_CASE("T_PROFILE") {
  auto birth = moscow_birth();
  CHECK(reports::profile_text(birth, 'K', std::string("08:30")) ==
        R"(👤 <b>Ваш профиль</b>

📅 <b>Дата рождения:</b> 15.03.1990
🕐 <b>Время рождения:</b> 14:30
📍 <b>Место рождения:</b> Москва, Россия
🌍 <b>Координаты:</b> 55.7558, 37.6173
🕰 <b>Часовой пояс:</b> Europe/Moscow
🏠 <b>Система домов:</b> Кох
🔔 <b>Ежедневный прогноз:</b> в 08:30

💡 Изменить данные: /natal
⚙️ Настройки: /settings
🗑 Удалить данные: /clear_profile)");
  birth.time.reset();
  birth.by_location = true;
  birth.latitude = -33.86882;
  birth.longitude = -0.00001;
  const std::string p = reports::profile_text(birth, 'W', std::nullopt);
  CHECK(p.find("🕐 <b>Время рождения:</b> неизвестно\n📍 <b>Место рождения:</b> Москва, Россия (по "
               "геопозиции)\n🌍 <b>Координаты:</b> -33.8688, 0.0000\n") != std::string::npos);
  CHECK(p.find("🏠 <b>Система домов:</b> Целые знаки\n🔔 <b>Ежедневный прогноз:</b> выключен\n") !=
        std::string::npos);
  CHECK(valid(p));
  CHECK(p.find("Партнёры") == std::string::npos);
  const std::string with_partners = reports::profile_text(birth, 'W', std::nullopt, 3);
  CHECK(with_partners.find("выключен\n💞 <b>Партнёры для совместимости:</b> 3\n\n💡") !=
        std::string::npos);
}

TEST_CASE("T_SETTINGS and its keyboard") {
  CHECK(reports::settings_text('P', false) ==
        R"(⚙️ <b>Настройки</b>

🏠 Система домов: <b>Плацидус</b>

Выберите систему домов для ваших карт:)");
  CHECK(reports::settings_text('R', true) ==
        R"(⚙️ <b>Настройки</b>

🏠 Система домов: <b>Региомонтан</b>

Выберите систему домов для ваших карт:

<i>Время рождения неизвестно, поэтому в натальной карте дома не строятся; выбор применяется к карте текущего неба (/transit).</i>)");
  CHECK(valid(reports::settings_text('R', true)));
  CHECK(reports::settings_keyboard('E') ==
        R"({"inline_keyboard":[[{"text":"Плацидус","callback_data":"s:h:P"},)"
        R"({"text":"Кох","callback_data":"s:h:K"}],)"
        R"([{"text":"✅ Равнодомная","callback_data":"s:h:E"},)"
        R"({"text":"Целые знаки","callback_data":"s:h:W"}],)"
        R"([{"text":"Порфирий","callback_data":"s:h:O"},)"
        R"({"text":"Региомонтан","callback_data":"s:h:R"}],)"
        R"([{"text":"Кампанус","callback_data":"s:h:C"}]]})");
  CHECK(reports::settings_keyboard('X').find(R"("✅ Плацидус")") != std::string::npos);
  CHECK(reports::set_changed_text('C') == "Система домов: Кампанус");
  CHECK(reports::set_same_text('P') == "Уже выбрано: Плацидус");
  CHECK(std::string(texts::set_failed) == "Не удалось сохранить настройку. Попробуйте позже.");
}

TEST_CASE("/clear_profile keyboard and texts") {
  CHECK(
      reports::clear_keyboard("0a1b2c3d") ==
      R"({"inline_keyboard":[[{"text":"🗑 Да, удалить","callback_data":"x:0a1b2c3d:y"}],)"
      R"([{"text":"Отмена","callback_data":"x:0a1b2c3d:n"}]]})");
  CHECK(std::string(texts::clear_none) ==
        R"(ℹ️ У вас нет сохранённых данных для удаления.)");
  CHECK(std::string(texts::clear_ask) ==
        R"(⚠️ <b>Удалить все ваши данные?</b>

Будут удалены дата, время и место рождения, натальная карта, настройки и подписка на прогноз. Отменить удаление будет невозможно.)");
  CHECK(
      std::string(texts::clear_done) ==
      "✅ <b>Ваши данные удалены</b>\n\nВы можете настроить новую натальную карту с помощью /natal");
  CHECK(std::string(texts::clear_kept) == "Удаление отменено. Ваши данные сохранены.");
  CHECK(std::string(texts::clear_failed) ==
        "❌ Не удалось удалить данные.\n\nПожалуйста, попробуйте позже.");
  CHECK(valid(texts::clear_ask));
  CHECK(valid(texts::clear_done));
}

TEST_CASE("subscription texts") {
  CHECK(reports::sub_ok_text("09:00", "Europe/Moscow") ==
        "🔔 <b>Подписка оформлена</b>\n\nКаждый день в 09:00 по часовому поясу места рождения "
        "(Europe/Moscow) я буду присылать персональный прогноз транзитов.\n\nИзменить время: "
        "/subscribe ЧЧ:ММ\nОтключить: /unsubscribe");
  CHECK(reports::sub_changed_text("08:30", "Asia/Tokyo") ==
        "🔔 <b>Время прогноза изменено</b>\n\nТеперь прогноз будет приходить каждый день в 08:30 "
        "(Asia/Tokyo).\n\nОтключить: /unsubscribe");
  CHECK(std::string(texts::sub_need_natal) ==
        "❌ Для ежедневного прогноза сначала настройте натальную карту: /natal");
  CHECK(std::string(texts::sub_bad_time) ==
        "❌ Неверный формат времени.\n\nУкажите время в формате ЧЧ:ММ, например: /subscribe 08:30");
  CHECK(std::string(texts::unsub_ok) ==
        "🔕 Ежедневный прогноз отключён.\n\nВключить снова: /subscribe");
  CHECK(std::string(texts::unsub_none) ==
        R"(ℹ️ У вас нет активной подписки.

Оформить: /subscribe)");
}

TEST_CASE("statuses, error texts and fixed lines") {
  CHECK(std::string(texts::status_transit) == "⏳ Рассчитываю текущую карту транзитов…");
  CHECK(std::string(texts::status_planets) == "⏳ Рассчитываю текущие позиции планет…");
  CHECK(std::string(texts::status_aspects) == "⏳ Рассчитываю текущие аспекты…");
  CHECK(std::string(texts::status_natal) == "⏳ Строю вашу натальную карту…");
  CHECK(std::string(texts::status_ptransit) == "⏳ Рассчитываю персональные транзиты…");
  CHECK(texts::error_text(texts::context_transit, texts::reason_unavailable) ==
        "❌ Не удалось рассчитать текущую карту транзитов.\n\nСервис расчётов временно недоступен. "
        "Пожалуйста, попробуйте позже.");
  CHECK(texts::error_text(texts::context_natal, texts::reason_input) ==
        "❌ Не удалось построить натальную карту.\n\nРасчёт для этих данных невозможен. Проверьте "
        "данные рождения: /profile");
  CHECK(texts::error_text(texts::context_planets, texts::reason_timeout) ==
        "❌ Не удалось рассчитать позиции планет.\n\nПревышено время ожидания. Пожалуйста, "
        "попробуйте позже.");
  CHECK(texts::error_text(texts::context_aspects, texts::reason_internal) ==
        "❌ Не удалось рассчитать аспекты.\n\nПроизошла внутренняя ошибка. Пожалуйста, попробуйте "
        "позже.");
  CHECK(std::string(texts::context_ptransit) == "❌ Не удалось рассчитать персональные транзиты.");
  CHECK(std::string(texts::no_natal) ==
        "❌ У вас ещё не настроена натальная карта.\n\nИспользуйте /natal для настройки.");
  CHECK(std::string(texts::profile_none) ==
        "❌ У вас ещё нет сохранённых данных.\n\nИспользуйте /natal для настройки натальной карты.");
}

TEST_CASE("a long natal report splits into valid parts") {
  auto c = natal_chart();
  c.aspects.clear();
  // 45 pairs × 6 copies: far beyond one message.
  for (int copy = 0; copy < 6; ++copy)
    for (int i = 0; i < 10; ++i)
      for (int j = i + 1; j < 10; ++j)
        c.aspects.push_back(asp(pt(static_cast<body>(i)), pt(static_cast<body>(j)),
                                aspect_type::conjunction, 0.01 * (i + j + copy), j % 2 == 0));
  auto birth = moscow_birth();
  birth.place_label = "<b>&";
  const std::string natal = reports::natal_report(c, birth);
  REQUIRE(valid(natal));
  REQUIRE(html::visible_length(natal) > 4096);
  const auto parts = html::split(natal, 4000);
  CHECK(parts.size() > 1);
  std::string joined;
  for (const auto& part : parts) {
    CHECK(valid(part));
    CHECK(html::visible_length(part) <= 4000);
    joined += html::to_plain(part);
  }
  auto strip = [](std::string s) {
    std::string out;
    for (char ch : s)
      if (ch != ' ' && ch != '\n') out += ch;
    return out;
  };
  CHECK(strip(joined) == strip(html::to_plain(natal)));
}
