// The heavy commands through the sandbox, from docs/behaviour.md §1.5, §1.6, §3, §4.3-§4.8 and §11
// items 3, 6 and 9: the status message S, the picture, one text with one interpretation block, S
// deleted, the call order (sendChatAction ignored), the sky picture reused within the hour, the
// reports' structure, the unknown birth time, the calculation backend down, the chart service
// failing, and groups. Expected texts are copied from docs/behaviour.md
// (tests/e2e/spec_support.hpp).
#include <doctest/doctest.h>

#include <ctime>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/spec_support.hpp"
#include "tests/support/fake_chart_service.hpp"
#include "tests/support/fake_nocturna.hpp"
#include "tests/support/fake_openrouter.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

// clang-format off
const std::string pt_legend = "💡 <i>▶️ — аспект формируется (сходящийся), ◀️ — аспект расходится</i>";  // REP_PT
// clang-format on

// ---- the reports' line shapes (docs/behaviour.md §2, §3) ----
const std::string body_names =
    "(Солнце|Луна|Меркурий|Венера|Марс|Юпитер|Сатурн|Уран|Нептун|Плутон|Северный узел|Лилит|"
    "Хирон)";
const std::string planet_names =
    "(Солнце|Луна|Меркурий|Венера|Марс|Юпитер|Сатурн|Уран|Нептун|Плутон)";
const std::string sign_prepositional =
    "(в Овне|в Тельце|в Близнецах|в Раке|во Льве|в Деве|в Весах|в Скорпионе|в Стрельце|в "
    "Козероге|в Водолее|в Рыбах)";
const std::string sign_nominative =
    "(Овен|Телец|Близнецы|Рак|Лев|Дева|Весы|Скорпион|Стрелец|Козерог|Водолей|Рыбы)";
const std::string degrees = "([0-9]|[12][0-9])°[0-5][0-9]′";
const std::vector<std::string> body_order = {
    "Солнце", "Луна",   "Меркурий", "Венера",        "Марс",  "Юпитер", "Сатурн",
    "Уран",   "Нептун", "Плутон",   "Северный узел", "Лилит", "Хирон"};
const std::set<std::string> no_retrograde_mark = {"Солнце", "Луна", "Северный узел", "Лилит"};
const std::map<std::string, std::string> aspect_symbol = {
    {"соединение", "☌"}, {"оппозиция", "☍"}, {"трин", "△"}, {"квадрат", "□"}, {"секстиль", "⚹"}};
// Natal and sky orbs in minutes of arc (docs/calculations.md §5.1).
const std::map<std::string, int> natal_orb = {
    {"соединение", 480}, {"оппозиция", 480}, {"трин", 360}, {"квадрат", 360}, {"секстиль", 240}};
const std::map<std::string, char> gender = {{"Солнце", 'n'}, {"Луна", 'f'},      {"Меркурий", 'm'},
                                            {"Венера", 'f'}, {"Марс", 'm'},      {"Юпитер", 'm'},
                                            {"Сатурн", 'm'}, {"Уран", 'm'},      {"Нептун", 'm'},
                                            {"Плутон", 'm'}, {"Асцендент", 'm'}, {"MC", 'm'}};

// The text between `from` (exclusive) and the next `until` (or the end); fails when absent.
std::string section(const std::string& text, const std::string& from, const std::string& until) {
  auto start = text.find(from);
  REQUIRE_MESSAGE(start != std::string::npos, "no «" << from << "» in the report");
  start += from.size();
  auto end = until.empty() ? std::string::npos : text.find(until, start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

// POS lines (§3): bodies in order SUN..PLUTO, MEAN_NODE, MEAN_LILITH[, CHIRON], ℞ only where
// shown, houses iff `houses`, the ℞ legend last iff some ℞ appears.
void check_positions(const std::string& block, bool houses) {
  std::regex pos("^" + body_names + " " + sign_prepositional + " " + degrees +
                 "( ℞)?( \\(([1-9]|1[0-2])-й дом\\))?$");
  auto lines = lines_of(block);
  bool any_retrograde = false;
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    if (line == "℞ — ретроградное движение") {
      CHECK_MESSAGE(i + 1 == lines.size(), "the ℞ legend is not last");
      continue;
    }
    std::smatch m;
    if (!std::regex_match(line, m, pos)) {
      FAIL_CHECK("not a POS line: «" << line << "»");
      continue;
    }
    bodies.push_back(m[1]);
    bool retro = m[4].matched;
    any_retrograde = any_retrograde || retro;
    CHECK_MESSAGE(!(retro && no_retrograde_mark.count(m[1])), "℞ on «" << line << "»");
    CHECK_MESSAGE(m[5].matched == houses, "house shown/omitted wrongly: «" << line << "»");
  }
  CHECK_MESSAGE((lines.back() == "℞ — ретроградное движение") == any_retrograde, block);
  std::vector<std::string> expected(body_order.begin(), body_order.begin() + 12);
  if (bodies.size() == 13) expected.push_back("Хирон");
  CHECK(bodies == expected);
}

// ASP lines (§3): the five names with their symbols, orbs within the natal/sky table, SUN..PLUTO
// only, tightest first; or T_NO_ASPECTS.
void check_aspects(const std::string& block) {
  if (block == T_NO_ASPECTS) return;
  std::regex asp("^" + planet_names + " (☌|☍|△|□|⚹) " + planet_names +
                 " — (соединение|оппозиция|трин|квадрат|секстиль), орб ([0-9])°([0-5][0-9])′, "
                 "(сходящийся|расходящийся)$");
  int previous = -1;
  for (const auto& line : lines_of(block)) {
    std::smatch m;
    if (!std::regex_match(line, m, asp)) {
      FAIL_CHECK("not an ASP line: «" << line << "»");
      continue;
    }
    CHECK_MESSAGE(aspect_symbol.at(m[4]) == m[2].str(), line);
    int orb = std::stoi(m[5]) * 60 + std::stoi(m[6]);
    CHECK_MESSAGE(orb <= natal_orb.at(m[4]), line);
    CHECK_MESSAGE(orb >= previous, "not sorted by orb: " << line);
    previous = orb;
    CHECK_MESSAGE(m[1] != m[3], line);
  }
}

std::string adjective(char g, bool transit) {
  if (transit) return g == 'n' ? "Транзитное" : g == 'f' ? "Транзитная" : "Транзитный";
  return g == 'n' ? "натальное" : g == 'f' ? "натальная" : "натальный";
}

// TR lines (§3): ▶️/◀️, adjectives agreeing with each body, transit orb ≤ 3°.
void check_transit_lines(const std::string& block, bool angles_allowed) {
  std::regex tr(
      "^(▶️|◀️) (Транзитный|Транзитная|Транзитное) <b>" +
      planet_names + "</b> (☌|☍|△|□|⚹) (натальный|натальная|натальное) <b>(" +
      planet_names.substr(1, planet_names.size() - 2) +
      "|Асцендент|MC)</b> — (соединение|оппозиция|трин|квадрат|секстиль), орб "
      "([0-9])°([0-5][0-9])′$");
  int previous = -1;
  auto lines = lines_of(block);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto& line = lines[i];
    std::smatch m;
    if (std::regex_match(line, m,
                         std::regex("^<i>… и ещё ([0-9]+) (аспект|аспекта|аспектов)</i>$"))) {
      CHECK_MESSAGE(i == 10, "«и ещё» after " << i << " lines");
      CHECK_MESSAGE(i + 1 == lines.size(), "«и ещё» is not last");
      int n = std::stoi(m[1]);
      std::string plural = n % 10 == 1 && n % 100 != 11 ? "аспект"
                           : n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14)
                               ? "аспекта"
                               : "аспектов";
      CHECK_MESSAGE(m[2].str() == plural, line);
      continue;
    }
    if (!std::regex_match(line, m, tr)) {
      FAIL_CHECK("not a TR line: «" << line << "»");
      continue;
    }
    CHECK_MESSAGE(m[2].str() == adjective(gender.at(m[3]), true), line);
    CHECK_MESSAGE(m[5].str() == adjective(gender.at(m[6]), false), line);
    CHECK_MESSAGE(aspect_symbol.at(m[7]) == m[4].str(), line);
    int orb = std::stoi(m[8]) * 60 + std::stoi(m[9]);
    CHECK_MESSAGE(orb <= 180, line);
    CHECK_MESSAGE(orb >= previous, "not sorted by orb: " << line);
    previous = orb;
    if (!angles_allowed) CHECK_MESSAGE((m[6] != "Асцендент" && m[6] != "MC"), line);
  }
}

std::string sky_caption(const wall_label& l) {
  return "🌟 <b>Текущая карта транзитов</b>\n📅 " + l.date + " 🕐 " + l.time +
         " (Europe/Moscow)\n📍 Москва";
}

std::string sky_header(const wall_label& l, const std::string& system) {
  return "🌟 <b>Текущая карта транзитов</b>\n📅 " + l.date + " 🕐 " + l.time +
         " (Europe/Moscow, UTC+03:00)\n📍 Москва\n🏠 Система домов: " + system +
         "\n\n<b>Позиции планет</b>\n";
}

// REP_SKY + the built-in day block (§3, §7.1): header, positions, ASC and MC, aspects, one block.
void check_sky_text(const std::string& text, const wall_label& a, const wall_label& b,
                    const std::string& system = "Плацидус") {
  CHECK_MESSAGE(
      (starts_with(text, sky_header(a, system)) || starts_with(text, sky_header(b, system))),
      text.substr(0, 300));
  check_positions(section(text, "<b>Позиции планет</b>\n", "\n\n<b>Углы</b>\n"), false);
  auto angles = lines_of(section(text, "\n\n<b>Углы</b>\n", "\n\n<b>Аспекты</b>\n"));
  REQUIRE(angles.size() == 2);
  CHECK(std::regex_match(angles[0],
                         std::regex("^Асцендент: " + sign_nominative + " " + degrees + "$")));
  CHECK(std::regex_match(angles[1], std::regex("^MC: " + sign_nominative + " " + degrees + "$")));
  check_aspects(section(text, "\n\n<b>Аспекты</b>\n", "\n\n📖"));
  CHECK(count_of(text, "📖") == 1);  // one interpretation block
  CHECK(contains(text, "\n\n" + T_HDR_DAY_SHORT));
  CHECK_FALSE(contains(text, T_INTERP_NOTE));  // no LLM configured
}

// The new bot messages after a command, once the turn is over (S gone or turned into an error).
std::vector<transcript_message> run_heavy(chat_driver& c, const std::string& command,
                                          int timeout_ms = 20000) {
  auto before = c.settle(0);
  std::int64_t last = before.empty() ? 0 : before.back().message_id;
  c.send(command);
  auto msgs = c.settle(before.size() + 1, timeout_ms);
  std::vector<transcript_message> out;
  for (auto& m : msgs)
    if (m.message_id > last) out.push_back(m);
  REQUIRE_MESSAGE(!out.empty(), "no answer to " << command);
  return out;
}

// width × height of a PNG (IHDR), {0, 0} when not a PNG.
std::pair<int, int> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) | static_cast<unsigned char>(png[at + 3]);
  };
  return {static_cast<int>(be32(16)), static_cast<int>(be32(20))};
}

// sendChatAction calls of the chat since `since`.
std::vector<call_record> chat_actions(harness& h, std::int64_t chat, std::int64_t since) {
  return h.control->calls(since, "sendChatAction", chat).calls;
}

std::string reply_parameters_of(const call_record& c) {
  return canonical_json(c.param_string("reply_parameters").value_or(""));
}

}  // namespace

TEST_CASE(
    "e2e heavy: /transit sends S, the picture, one text with one block, deletes S, and reuses the "
    "picture") {
  harness h;
  h.start_bot();
  chat_driver c{h, 801};
  auto t0 = std::time(nullptr);
  auto since = mark(h);
  auto out = run_heavy(c, "/transit");
  auto t1 = std::time(nullptr);
  auto a = moscow_label(t0, true), b = moscow_label(t1, true);
  REQUIRE(out.size() == 2);
  const auto& photo = out[0];
  const auto& text = out[1];
  CHECK_FALSE(photo.photo_file_id.empty());
  CHECK((photo.caption.value_or("") == sky_caption(a) ||
         photo.caption.value_or("") == sky_caption(b)));
  CHECK(photo.parse_mode == "HTML");
  CHECK(png_size(h.control->photo(photo.photo_file_id)) == std::make_pair(800, 800));
  CHECK(text.parse_mode == "HTML");
  check_sky_text(text.text.value_or(""), a, b);
  for (auto& m : c.messages()) CHECK_FALSE(starts_with(m.text.value_or(""), "⏳"));

  auto calls = wait_calls(h, 801, since, 4);
  REQUIRE(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  CHECK(calls[0].param_string("text").value_or("") == T_ST_TRANSIT);
  CHECK(calls[0].param_string("parse_mode") == std::nullopt);
  CHECK(starts_with(calls[1].param_string("photo").value_or(""), "{"));  // an upload
  CHECK(param_int(calls[3], "message_id") == photo.message_id - 1);      // S
  auto actions = chat_actions(h, 801, since);
  REQUIRE_FALSE(actions.empty());
  CHECK(actions.front().param_string("action").value_or("") == "typing");
  CHECK(std::any_of(actions.begin(), actions.end(), [](auto& a) {
    return a.param_string("action") == std::optional<std::string>("upload_photo");
  }));
  CHECK(actions.front().start_ms >= calls[0].start_ms);
  // §1.5 step 3: the indicator stops before the last output.
  for (auto& action : actions) {
    CAPTURE(action.params_json);
    CHECK(action.start_ms <= calls[2].start_ms);
  }
  check_all_texts(h, 801);

  // Within the hour the picture goes by file_id.
  since = mark(h);
  auto again = run_heavy(c, "/transit");
  auto t2 = std::time(nullptr);
  REQUIRE(again.size() == 2);
  auto second = wait_calls(h, 801, since, 4);
  REQUIRE(methods_of(second) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  if (moscow_label(t0, true).time == moscow_label(t2, true).time) {
    CHECK(second[1].param_string("photo").value_or("") == photo.photo_file_id);
    if (second[1].param_string("photo").value_or("") != photo.photo_file_id) {
      for (auto& line : lines_of(h.log_file()))
        if (contains(line, "picture")) MESSAGE("bot log: " << line);
    }
    CHECK(again[0].caption == photo.caption);
  } else {
    MESSAGE("the hour changed between the two /transit: the reuse is not checked");
  }
  CHECK(count_of(again[1].text.value_or(""), "📖") == 1);
}

TEST_CASE("e2e heavy: ten chats asking /transit at once get one drawing of the hour's sky") {
  harness h;
  h.start_bot();
  const int chats = 10;
  for (int i = 0; i < chats; ++i) h.control->send(1200 + i, "/transit");
  for (int i = 0; i < chats; ++i) {
    // Done once S is gone: the picture and the text remain.
    auto until = wait_deadline(std::chrono::seconds(30));
    auto msgs = h.control->get_transcript(1200 + i).bot_messages();
    while ((msgs.size() != 2 || starts_with(msgs[0].text.value_or(""), "⏳")) &&
           std::chrono::steady_clock::now() < until) {
      sleep_ms(50);
      msgs = h.control->get_transcript(1200 + i).bot_messages();
    }
    REQUIRE(msgs.size() == 2);
    CHECK_FALSE(msgs[0].photo_file_id.empty());
  }
  REQUIRE(h.bot->stop() == 0);  // the log is complete once the bot is gone
  std::size_t drawn = 0;
  for (auto& line : lines_of(h.log_file()))
    if (contains(line, "[renderer] drew sky")) ++drawn;
  CHECK(drawn == 1);
}

TEST_CASE("e2e heavy: /transit_planets and /transit_aspects send S, the report alone, delete S") {
  harness h;
  h.start_bot();
  chat_driver c{h, 811};

  auto t0 = std::time(nullptr);
  auto since = mark(h);
  auto out = run_heavy(c, "/transit_planets");
  auto t1 = std::time(nullptr);
  REQUIRE(out.size() == 1);
  auto text = out[0].text.value_or("");
  CHECK(out[0].parse_mode == "HTML");
  auto head = [](const std::string& title, const wall_label& l) {
    return title + "\n📅 " + l.date + " 🕐 " + l.time + " (Europe/Moscow, UTC+03:00)\n\n";
  };
  auto a = moscow_label(t0, false), b = moscow_label(t1, false);
  std::string planets_title = "🌟 <b>Позиции планет</b>";
  bool header_ok =
      starts_with(text, head(planets_title, a)) || starts_with(text, head(planets_title, b));
  CHECK_MESSAGE(header_ok, text.substr(0, 200));
  if (header_ok) check_positions(text.substr(head(planets_title, a).size()), false);
  CHECK_FALSE(contains(text, "📖"));
  auto calls = wait_calls(h, 811, since, 3);
  REQUIRE(methods_of(calls) == "sendMessage,sendMessage,deleteMessage");
  CHECK(calls[0].param_string("text").value_or("") == T_ST_PLANETS);
  CHECK(param_int(calls[2], "message_id") == out[0].message_id - 1);
  CHECK_FALSE(chat_actions(h, 811, since).empty());

  t0 = std::time(nullptr);
  since = mark(h);
  out = run_heavy(c, "/transit_aspects");
  t1 = std::time(nullptr);
  REQUIRE(out.size() == 1);
  text = out[0].text.value_or("");
  a = moscow_label(t0, false);
  b = moscow_label(t1, false);
  std::string aspects_title = "🔮 <b>Аспекты планет</b>";
  header_ok =
      starts_with(text, head(aspects_title, a)) || starts_with(text, head(aspects_title, b));
  CHECK_MESSAGE(header_ok, text.substr(0, 200));
  if (header_ok) check_aspects(text.substr(head(aspects_title, a).size()));
  CHECK_FALSE(contains(text, "📖"));
  calls = wait_calls(h, 811, since, 3);
  REQUIRE(methods_of(calls) == "sendMessage,sendMessage,deleteMessage");
  CHECK(calls[0].param_string("text").value_or("") == T_ST_ASPECTS);
  for (auto& m : c.messages()) CHECK_FALSE(starts_with(m.text.value_or(""), "⏳"));
  check_all_texts(h, 811);
}

TEST_CASE("e2e heavy: /my_natal and /my_transit need birth data, then report (§11 item 9)") {
  harness h;
  h.start_bot();
  chat_driver c{h, 821};
  for (std::string command : {"/my_natal", "/my_transit"}) {
    CAPTURE(command);
    auto since = mark(h);
    auto reply = c.say(command);
    CHECK(reply.text.value_or("") == T_NO_NATAL);
    CHECK(reply.parse_mode == "");
    CHECK(methods_of(wait_calls(h, 821, since, 1)) == "sendMessage");  // a quick reply, no S
  }
  save_birth(c);

  // /my_natal: S → picture (CAP_NATAL) → REP_NATAL + natal block → S deleted.
  auto since = mark(h);
  auto out = run_heavy(c, "/my_natal");
  REQUIRE(out.size() >= 2);
  CHECK(out[0].caption.value_or("") ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 14:30\n📍 Москва, Россия");
  CHECK(png_size(h.control->photo(out[0].photo_file_id)) == std::make_pair(800, 800));
  CHECK(out.size() == 2);  // the report fits one message
  auto text = out[1].text.value_or("");
  CHECK(contains(text, "Солнце в Рыбах"));
  CHECK(starts_with(text,
                    "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 14:30 (Europe/Moscow)\n📍 Москва, "
                    "Россия\n🏠 Система домов: Плацидус\n\n<b>Планеты</b>\n"));
  check_positions(section(text, "\n\n<b>Планеты</b>\n", "\n\n<b>Углы</b>\n"), true);
  auto angles = lines_of(section(text, "\n\n<b>Углы</b>\n", "\n\n<b>Дома</b>\n"));
  REQUIRE(angles.size() == 4);
  const char* angle_names[] = {"Асцендент", "MC", "Десцендент", "IC"};
  for (int i = 0; i < 4; ++i)
    CHECK(std::regex_match(angles[i], std::regex(std::string("^") + angle_names[i] + ": " +
                                                 sign_nominative + " " + degrees + "$")));
  auto cusps = lines_of(section(text, "\n\n<b>Дома</b>\n", "\n\n<b>Аспекты</b>\n"));
  REQUIRE(cusps.size() == 12);
  for (int i = 0; i < 12; ++i)
    CHECK(std::regex_match(cusps[i], std::regex("^" + std::to_string(i + 1) + "-й дом: " +
                                                sign_nominative + " " + degrees + "$")));
  check_aspects(section(text, "\n\n<b>Аспекты</b>\n", "\n\n📖"));
  CHECK(count_of(text, "📖") == 1);
  CHECK(contains(text, "\n\n" + T_HDR_NATAL_SHORT));
  auto calls = wait_calls(h, 821, since, 4);
  CHECK(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  if (!calls.empty()) CHECK(calls[0].param_string("text").value_or("") == T_ST_NATAL);

  // Again: the same report, the cached picture by file_id.
  since = mark(h);
  auto again = run_heavy(c, "/my_natal");
  REQUIRE(again.size() == 2);
  CHECK(again[1].text.value_or("") == text);
  calls = wait_calls(h, 821, since, 4);
  REQUIRE(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  CHECK(calls[1].param_string("photo").value_or("") == out[0].photo_file_id);

  // New birth data invalidate the natal caches: a new report and a newly drawn picture.
  {
    chat_driver other{h, 822};
    save_birth(other, "00:00", "01.01.2000", "Орел");
    auto fresh = run_heavy(other, "/my_natal");
    REQUIRE(fresh.size() == 2);
    CHECK(fresh[0].caption.value_or("") ==
          "🌟 <b>Натальная карта</b>\n📅 01.01.2000 🕐 00:00\n📍 Орёл, Орловская область, Россия");
    CHECK(contains(fresh[1].text.value_or(""), "Солнце в Козероге"));
    CHECK(fresh[0].photo_file_id != out[0].photo_file_id);
    REQUIRE(c.say("/natal").text.value_or("") == T_NATAL_EXISTING + T_DATE_PROMPT);
    c.say("01.01.2000");
    c.say("00:00");
    auto confirm = c.say("Орел");
    REQUIRE(starts_with(confirm.text.value_or(""), "✅ <b>Проверьте"));
    REQUIRE(c.say("Да").text.value_or("") == T_SAVED);
    wait_buttons_gone(c, confirm.message_id);
    since = mark(h);
    auto changed = run_heavy(c, "/my_natal");
    REQUIRE(changed.size() == 2);
    CHECK(changed[0].caption == fresh[0].caption);
    CHECK(changed[1].text.value_or("") != text);
    CHECK(contains(changed[1].text.value_or(""), "📍 Орёл, Орловская область, Россия\n"));
    calls = wait_calls(h, 821, since, 4);
    REQUIRE(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
    CHECK(starts_with(calls[1].param_string("photo").value_or(""), "{"));  // not the old picture
  }

  // /my_transit is shown in the birth zone.
  {
    chat_driver idaho{h, 823};
    to_place(idaho);
    auto choice = idaho.say("Москва");
    REQUIRE(choice.button_data().size() == 2);
    REQUIRE(starts_with(idaho.press(choice.message_id, choice.button_data()[1]).text.value_or(""),
                        "✅ <b>Проверьте"));
    REQUIRE(idaho.say("Да").text.value_or("") == T_SAVED);
    auto pt = run_heavy(idaho, "/my_transit");
    REQUIRE(pt.size() == 2);
    CHECK(std::regex_search(pt[0].caption.value_or(""),
                            std::regex(" 🕐 [0-2][0-9]:[0-5][0-9] \\(America/Los_Angeles\\)$")));
    CHECK(std::regex_search(
        pt[1].text.value_or(""),
        std::regex("^🌟 <b>Персональные транзиты</b>\n📅 [0-9]{2}\\.[0-9]{2}\\.[0-9]{4} "
                   "🕐 [0-2][0-9]:[0-5][0-9] \\(America/Los_Angeles, UTC-0[78]:00\\)\n\n")));
  }

  // /my_transit: S → biwheel (CAP_PT) → REP_PT + personal block → S deleted.
  auto t0 = std::time(nullptr);
  since = mark(h);
  out = run_heavy(c, "/my_transit");
  auto t1 = std::time(nullptr);
  REQUIRE(out.size() == 2);
  auto a = moscow_label(t0, false), b = moscow_label(t1, false);
  auto caption = out[0].caption.value_or("");
  auto pt_caption = [](const wall_label& l) {
    return "🌟 <b>Персональные транзиты</b>\n📅 " + l.date + " 🕐 " + l.time + " (Europe/Moscow)";
  };
  CHECK((caption == pt_caption(a) || caption == pt_caption(b)));
  CHECK(png_size(h.control->photo(out[0].photo_file_id)) == std::make_pair(1000, 1000));
  text = out[1].text.value_or("");
  auto pt_head = [](const wall_label& l) {
    return "🌟 <b>Персональные транзиты</b>\n📅 " + l.date + " 🕐 " + l.time +
           " (Europe/Moscow, UTC+03:00)\n\n";
  };
  CHECK((starts_with(text, pt_head(a)) || starts_with(text, pt_head(b))));
  if (contains(text, T_PT_NONE)) {
    CHECK(contains(text, "\n\n" + T_PT_NONE + "\n\n"));
  } else {
    auto lines =
        section(text, "\n\n🔮 <b>Транзитные аспекты к натальной карте</b>\n", "\n\n" + pt_legend);
    CHECK(contains(text, "\n\n" + pt_legend + "\n\n📖"));
    check_transit_lines(lines, true);
    CHECK(lines_of(lines).size() <= 11);
  }
  CHECK(count_of(text, "📖") == 1);
  CHECK(contains(text, "\n\n" + T_HDR_PT_SHORT));
  calls = wait_calls(h, 821, since, 4);
  CHECK(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  if (!calls.empty()) CHECK(calls[0].param_string("text").value_or("") == T_ST_PTRANSIT);
  for (auto& m : c.messages()) CHECK_FALSE(starts_with(m.text.value_or(""), "⏳"));
  check_all_texts(h, 821);
}

TEST_CASE("e2e heavy: an unknown birth time gives N_UNKNOWN and no houses or angles anywhere") {
  harness h;
  h.start_bot();
  chat_driver c{h, 831};
  auto time_prompt_msg = to_time(c);
  REQUIRE(
      c.press(time_prompt_msg.message_id, time_prompt_msg.button_data().at(0)).text.value_or("") ==
      place_prompt(unknown_place_time));
  REQUIRE(starts_with(c.say("Москва, Россия").text.value_or(""), "✅ <b>Проверьте"));
  REQUIRE(c.say("Да").text.value_or("") == T_SAVED);

  // Anything of houses or angles outside the note itself.
  auto no_houses = [](std::string text, const std::string& where) {
    for (auto pos = text.find(N_UNKNOWN); pos != std::string::npos; pos = text.find(N_UNKNOWN))
      text.erase(pos, N_UNKNOWN.size());
    // Houses show as «5-й дом» and «<b>Дома</b>»; «дом» alone is a home in an interpretation.
    for (std::string word :
         {"-й дом", "<b>Дома</b>", "Асцендент", "Десцендент", "<b>Углы</b>", "MC", "IC:"})
      CHECK_MESSAGE(!contains(text, word),
                    "«" << word << "» in " << where << ": "
                        << text.substr(text.find(word) > 80 ? text.find(word) - 80 : 0, 200));
  };

  auto natal = run_heavy(c, "/my_natal");
  REQUIRE(natal.size() == 2);
  CHECK(natal[0].caption.value_or("") ==
        "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 время неизвестно\n📍 Москва, Россия");
  auto text = natal[1].text.value_or("");
  CHECK(starts_with(text,
                    "🌟 <b>Натальная карта</b>\n📅 15.03.1990 🕐 время неизвестно "
                    "(Europe/Moscow)\n📍 Москва, Россия\n" +
                        N_UNKNOWN + "\n\n<b>Планеты</b>\n"));
  check_positions(section(text, "\n\n<b>Планеты</b>\n", "\n\n<b>Аспекты</b>\n"), false);
  CHECK(count_of(text, "📖") == 1);
  no_houses(text, "/my_natal text");
  no_houses(natal[0].caption.value_or(""), "/my_natal caption");

  auto transit = run_heavy(c, "/my_transit");
  REQUIRE(transit.size() == 2);
  text = transit[1].text.value_or("");
  CHECK(contains(text, " (Europe/Moscow, UTC+03:00)\n" + N_UNKNOWN + "\n\n"));
  if (!contains(text, T_PT_NONE))
    check_transit_lines(
        section(text, "\n\n🔮 <b>Транзитные аспекты к натальной карте</b>\n", "\n\n💡 <i>"), false);
  CHECK(count_of(text, "📖") == 1);
  no_houses(text, "/my_transit text");
  no_houses(transit[0].caption.value_or(""), "/my_transit caption");

  // The profile and settings say «неизвестно» too (§9 T_PROFILE, T_SETTINGS).
  CHECK(contains(c.say("/profile").text.value_or(""), "🕐 <b>Время рождения:</b> неизвестно\n"));
  CHECK(c.say("/settings").text.value_or("") ==
        fill(T_SETTINGS, {{"{label}", "Плацидус"}}) + T_SETTINGS_UNKNOWN_TIME);
  check_all_texts(h, 831);
}

TEST_CASE("e2e heavy: with the calculation backend down S becomes C_… + R_UNAVAILABLE") {
  harness h;
  h.start_bot({{"NOCTURNA_API_URL", dead_api_url},
               {"NOCTURNA_TIMEOUT", "1"},
               {"NOCTURNA_MAX_RETRIES", "0"}});
  chat_driver c{h, 841};
  struct {
    std::string command;
    const std::string& context;
    const std::string& status;
  } rows[] = {
      {"/transit", C_TRANSIT, T_ST_TRANSIT},
      {"/transit_planets", C_PLANETS, T_ST_PLANETS},
      {"/transit_aspects", C_ASPECTS, T_ST_ASPECTS},
  };
  for (const auto& row : rows) {
    CAPTURE(row.command);
    auto since = mark(h);
    auto started = std::chrono::steady_clock::now();
    auto out = run_heavy(c, row.command);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
    REQUIRE(out.size() == 1);
    CHECK(out[0].text.value_or("") == row.context + "\n\n" + R_UNAVAILABLE);
    CHECK(out[0].parse_mode == "");
    CHECK(out[0].edited);
    CHECK(took < 20000);  // far from the 90 s command deadline (loosely: the machine may be busy)
    auto calls = wait_calls(h, 841, since, 2);
    CHECK(methods_of(calls) == "sendMessage,editMessageText");
    if (calls.size() == 2) {
      CHECK(calls[0].param_string("text").value_or("") == row.status);
      CHECK(param_int(calls[1], "message_id") == out[0].message_id);
    }
  }
  // The personal commands too; the dialogue still saves (the chart at save is best effort).
  save_birth(c);
  auto natal = run_heavy(c, "/my_natal");
  REQUIRE(natal.size() == 1);
  CHECK(natal[0].text.value_or("") == C_NATAL + "\n\n" + R_UNAVAILABLE);
  auto transit = run_heavy(c, "/my_transit");
  REQUIRE(transit.size() == 1);
  CHECK(transit[0].text.value_or("") == C_PTRANSIT + "\n\n" + R_UNAVAILABLE);
  check_all_texts(h, 841);
}

TEST_CASE("e2e heavy: a failing chart service (500, timeout, bad base64, 429) falls back") {
  const struct {
    chart_fake_mode mode;
    const char* name;
  } rows[] = {{chart_fake_mode::render_error, "500"},
              {chart_fake_mode::slow, "timeout"},
              {chart_fake_mode::bad_base64, "bad base64"},
              {chart_fake_mode::rate_limited, "429"}};
  std::int64_t chat = 851;
  for (const auto& row : rows) {
    CAPTURE(row.name);
    fake_chart_service chart;
    chart.set_mode(row.mode);
    harness h;
    // CHART_SERVICE_TIMEOUT 1 s against a service that answers after 3 s.
    h.start_bot({{"CHART_SERVICE_URL", chart.url()},
                 {"CHART_SERVICE_API_KEY", "e2e-chart-key"},
                 {"CHART_SERVICE_TIMEOUT", "1"}});
    chat_driver c{h, ++chat};
    auto since = mark(h);
    auto out = run_heavy(c, "/transit");
    REQUIRE(out.size() == 2);
    CHECK_FALSE(out[0].photo_file_id.empty());
    CHECK(png_size(h.control->photo(out[0].photo_file_id)) == std::make_pair(800, 800));
    CHECK(starts_with(out[1].text.value_or(""), "🌟 <b>Текущая карта транзитов</b>"));
    CHECK(methods_of(wait_calls(h, chat, since, 4)) ==
          "sendMessage,sendPhoto,sendMessage,deleteMessage");
    auto requests = chart.requests();
    REQUIRE(requests.size() >= 1);
    CHECK(requests[0].path == "/api/v1/chart/render");
    CHECK(requests[0].authorization == "Bearer e2e-chart-key");
    CHECK(contains(h.log_file(), "using the built-in renderer"));
  }
}

TEST_CASE("e2e heavy: in a group /transit quotes the command and personal commands are private") {
  harness h;
  h.start_bot();
  chat_driver g{h, -861};
  g.options.chat_type = "group";
  g.options.chat_title = "Астрологи";
  g.options.from = nocturna::sandbox::user_info{862, "Анна", "", "", "ru"};

  auto since = mark(h);
  auto before = g.settle(0).size();
  auto command = g.send("/transit");
  auto out_msgs = g.settle(before + 2, 20000);
  REQUIRE(out_msgs.size() == before + 2);
  auto calls = wait_calls(h, -861, since, 4);
  REQUIRE(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  auto quote = canonical_json(R"({"message_id":)" + std::to_string(command) +
                              R"(,"allow_sending_without_reply":true})");
  for (int i = 0; i < 3; ++i)
    CHECK_MESSAGE(reply_parameters_of(calls[i]) == quote, calls[i].method);
  CHECK(contains(out_msgs.back().text.value_or(""), "🏠 Система домов: Плацидус"));

  // Addressed commands: another bot's is ignored, ours works in any case (§1.2).
  before = g.settle(0).size();
  g.send("/transit@OtherBot");
  g.send("/Transit_Planets@Nocturna_Sandbox_Bot");
  out_msgs = g.settle(before + 1, 20000);
  REQUIRE(out_msgs.size() == before + 1);
  CHECK(starts_with(out_msgs.back().text.value_or(""), "🌟 <b>Позиции планет</b>"));

  // Placidus in groups even when the caller chose another system in private.
  chat_driver anna{h, 862};
  auto menu = anna.say("/settings");
  REQUIRE(anna.press_answer_only(menu.message_id, "s:h:R") == "Система домов: Региомонтан");
  before = g.settle(0).size();
  g.send("/transit");
  out_msgs = g.settle(before + 2, 20000);
  REQUIRE(out_msgs.size() == before + 2);
  CHECK(contains(out_msgs.back().text.value_or(""), "🏠 Система домов: Плацидус"));
  // A button pressed in a group is stale and changes nothing.
  CHECK(g.press_answer_only(out_msgs.back().message_id, "s:h:K") == T_STALE);
  CHECK(contains(anna.say("/settings").text.value_or(""), "<b>Региомонтан</b>"));

  for (std::string personal : {"/my_natal", "/my_transit", "/profile", "/settings"}) {
    CAPTURE(personal);
    since = mark(h);
    before = g.settle(0).size();
    command = g.send(personal);
    auto reply = g.reply_after(before, personal);
    CHECK(reply.text.value_or("") == T_PRIVATE_ONLY);
    calls = wait_calls(h, -861, since, 1);
    REQUIRE(methods_of(calls) == "sendMessage");
    CHECK(reply_parameters_of(calls[0]) ==
          canonical_json(R"({"message_id":)" + std::to_string(command) +
                         R"(,"allow_sending_without_reply":true})"));
  }
  check_all_texts(h, -861);
}

TEST_CASE("e2e heavy: a rejected picture is skipped, a failed text turns S into the error") {
  harness h;
  h.start_bot();
  using nocturna::sandbox::fault;

  // sendPhoto rejected (§11 item 3): S, text, S deleted; nothing is cached.
  chat_driver c{h, 871};
  fault rejected;
  rejected.method = "sendPhoto";
  rejected.chat_id = 871;
  rejected.error_code = 400;
  rejected.description = "Bad Request: IMAGE_PROCESS_FAILED";
  h.control->add_fault(rejected);
  auto since = mark(h);
  auto out = run_heavy(c, "/transit");
  REQUIRE(out.size() == 1);
  CHECK(starts_with(out[0].text.value_or(""), "🌟 <b>Текущая карта транзитов</b>"));
  CHECK(count_of(out[0].text.value_or(""), "📖") == 1);
  CHECK(methods_of(wait_calls(h, 871, since, 4)) ==
        "sendMessage,sendPhoto,sendMessage,deleteMessage");
  since = mark(h);
  auto again = run_heavy(c, "/transit");
  REQUIRE(again.size() == 2);
  auto calls = wait_calls(h, 871, since, 4);
  REQUIRE(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,deleteMessage");
  CHECK(starts_with(calls[1].param_string("photo").value_or(""), "{"));  // uploaded, not cached

  // The text rejected before it was delivered (§1.5 step 6): S becomes C_TRANSIT + R_INTERNAL,
  // the delivered picture stays. A slow sendPhoto leaves time to arm the text's fault.
  chat_driver d{h, 872};
  fault slow_photo;
  slow_photo.method = "sendPhoto";
  slow_photo.chat_id = 872;
  slow_photo.error_code = 0;
  slow_photo.delay_ms = 800;
  h.control->add_fault(slow_photo);
  since = mark(h);
  auto before = d.settle(0).size();
  d.send("/transit");
  REQUIRE(wait_until([&] { return !h.control->calls(since, "sendPhoto", 872).calls.empty(); }));
  fault text_rejected;
  text_rejected.method = "sendMessage";
  text_rejected.chat_id = 872;
  text_rejected.error_code = 400;
  text_rejected.description = "Bad Request: TOPIC_CLOSED";  // a plain rejection
  h.control->add_fault(text_rejected);
  auto msgs = d.settle(before + 2, 20000);
  calls = wait_calls(h, 872, since, 4);
  CHECK(methods_of(calls) == "sendMessage,sendPhoto,sendMessage,editMessageText");
  REQUIRE(msgs.size() == before + 2);
  // S (sent first) now holds the error; the picture after it stays.
  CHECK(msgs[before].text.value_or("") ==
        C_TRANSIT + "\n\nПроизошла внутренняя ошибка. Пожалуйста, попробуйте позже.");
  CHECK(msgs[before].edited);
  CHECK(msgs[before].parse_mode == "");
  CHECK_FALSE(msgs[before + 1].photo_file_id.empty());
  check_all_texts(h, 871);
}

TEST_CASE("e2e heavy: when S cannot be edited the error is sent anew and S deleted") {
  harness h;
  h.start_bot({{"NOCTURNA_API_URL", dead_api_url},
               {"NOCTURNA_TIMEOUT", "1"},
               {"NOCTURNA_MAX_RETRIES", "0"}});
  // A plain rejection, and Telegram's «message to edit not found» (S is gone): either way the
  // edit failed, so §1.5 step 6 sends the error anew and deletes S (errors ignored).
  struct {
    std::int64_t chat;
    std::string description;
  } rows[] = {{881, "Bad Request: MESSAGE_ID_INVALID"},
              {882, "Bad Request: message to edit not found"}};
  for (const auto& row : rows) {
    CAPTURE(row.description);
    chat_driver c{h, row.chat};
    nocturna::sandbox::fault no_edit;
    no_edit.method = "editMessageText";
    no_edit.chat_id = row.chat;
    no_edit.error_code = 400;
    no_edit.description = row.description;
    h.control->add_fault(no_edit);
    auto since = mark(h);
    auto out = run_heavy(c, "/transit_aspects");
    auto calls = wait_calls(h, row.chat, since, 4);
    REQUIRE(out.size() == 1);
    CHECK(methods_of(calls) == "sendMessage,editMessageText,sendMessage,deleteMessage");
    CHECK(out[0].text.value_or("") == C_ASPECTS + "\n\n" + R_UNAVAILABLE);
    CHECK_FALSE(out[0].edited);
  }
}

TEST_CASE(
    "e2e heavy: the remote backend — natal cache, R_INPUT for personal and R_INTERNAL for sky") {
  fake_nocturna api;
  api.start();
  harness h;
  h.start_bot({{"NOCTURNA_API_URL", api.base_url()},
               {"NOCTURNA_TIMEOUT", "2"},
               {"NOCTURNA_MAX_RETRIES", "0"}});
  const std::string positions = "/api/calculations/planetary-positions";

  // The natal chart is computed at save time and then served from the cache.
  chat_driver c{h, 891};
  api.clear_requests();
  save_birth(c);
  CHECK(api.requests_to(positions).size() == 1);
  api.clear_requests();
  auto natal = run_heavy(c, "/my_natal");
  REQUIRE(natal.size() == 2);
  CHECK(contains(natal[1].text.value_or(""), "<b>Планеты</b>"));
  CHECK(api.requests_to(positions).empty());

  // A calculation the backend rejects: R_INTERNAL for the sky, R_INPUT for personal commands.
  api.queue_statuses({5001});
  auto sky = run_heavy(c, "/transit_planets");
  REQUIRE(sky.size() == 1);
  CHECK(sky[0].text.value_or("") ==
        C_PLANETS + "\n\nПроизошла внутренняя ошибка. Пожалуйста, попробуйте позже.");
  const std::string r_input =
      "Расчёт для этих данных невозможен. Проверьте данные рождения: /profile";
  api.queue_statuses({5001});
  auto transit = run_heavy(c, "/my_transit");
  REQUIRE(transit.size() == 1);
  CHECK(transit[0].text.value_or("") == C_PTRANSIT + "\n\n" + r_input);

  // Birth data saved while the chart failed: /my_natal computes it then and can be rejected.
  chat_driver d{h, 892};
  to_confirm(d);
  api.queue_statuses({503});
  REQUIRE(d.say("Да").text.value_or("") == T_SAVED);
  api.queue_statuses({5001});
  auto rejected = run_heavy(d, "/my_natal");
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0].text.value_or("") == C_NATAL + "\n\n" + r_input);
  auto recovered = run_heavy(d, "/my_natal");
  CHECK(recovered.size() == 2);
  check_all_texts(h, 891);
  check_all_texts(h, 892);
}

TEST_CASE(
    "e2e heavy: a /my_natal longer than 4096 units is split into valid HTML parts (§11 item 9)") {
  // A long interpretation from a fake LLM makes the result text about 6,000 units.
  fake_openrouter llm;
  llm.start();
  std::string paragraph =
      "🌟 Солнце в Рыбах говорит о мягкой и чуткой натуре: <ты> легко & тонко чувствуешь "
      "настроение людей вокруг, и это дар, который стоит беречь. ";
  std::string long_text;
  for (int p = 0; p < 7; ++p) {
    if (p) long_text += "\n\n";
    for (int i = 0; i < 4; ++i) long_text += paragraph.substr(p ? std::string("🌟 ").size() : 0);
  }
  llm.set_default(fake_llm_reply::text(long_text));
  harness h;
  h.start_bot(llm.bot_env("e2e-llm-key"));
  chat_driver c{h, 895};
  save_birth(c);
  auto since = mark(h);
  auto out = run_heavy(c, "/my_natal");
  REQUIRE(out.size() >= 3);  // the picture and at least two parts
  CHECK_FALSE(out[0].photo_file_id.empty());
  std::string all;
  for (std::size_t i = 1; i < out.size(); ++i) {
    auto part = out[i].text.value_or("");
    CAPTURE(i);
    CHECK(out[i].parse_mode == "HTML");
    CHECK(nocturna::html::validate(part) == std::nullopt);
    CHECK(nocturna::html::visible_length(part) <= 4000);
    CHECK(out[i].reply_markup.empty());
    all += part;
  }
  CHECK(starts_with(out[1].text.value_or(""), "🌟 <b>Натальная карта</b>"));
  CHECK(contains(all, "Солнце в Рыбах"));
  CHECK(count_of(all, "📖") == 1);
  CHECK(contains(all, "📖 <b>Интерпретация натальной карты</b>"));
  CHECK(contains(all, "&lt;ты&gt; легко &amp; тонко"));  // the LLM text escaped once
  auto calls = wait_calls(h, 895, since, out.size() + 2);
  std::string expected = "sendMessage,sendPhoto";
  for (std::size_t i = 1; i < out.size(); ++i) expected += ",sendMessage";
  CHECK(methods_of(calls) == expected + ",deleteMessage");
  check_all_texts(h, 895);
}

TEST_CASE("e2e heavy: with a key /my_transit carries the model's text under the full heading") {
  fake_openrouter llm;
  llm.start();
  llm.set_default(fake_llm_reply::text("**Транзиты недели** & <b>смелые</b> шаги."));
  harness h;
  h.start_bot(llm.bot_env("e2e-llm-key"));
  chat_driver c{h, 897};
  save_birth(c);
  const auto before = llm.request_count();
  auto out = run_heavy(c, "/my_transit");
  REQUIRE(out.size() == 2);
  auto text = out[1].text.value_or("");
  CHECK(contains(text, "📖 <b>Интерпретация персональных транзитов</b>\n\n"));
  CHECK_FALSE(contains(text, "(кратко)"));
  CHECK(contains(text, "<b>Транзиты недели</b> &amp; &lt;b&gt;смелые&lt;/b&gt; шаги."));
  CHECK(count_of(text, "📖") == 1);
  CHECK(llm.request_count() == before + 1);
  check_all_texts(h, 897);
}

TEST_CASE("e2e heavy: beyond the polar circle /my_natal carries N_POLAR and the chosen system") {
  harness h;
  h.start_bot();
  chat_driver c{h, 896};
  save_birth(c, "14:30", "15.03.1990", "Мурманск");
  // clang-format off
  const std::string n_polar = "⚠️ На этой широте система «{system}» неприменима, дома рассчитаны по системе «Порфирий».";  // N_POLAR, docs/behaviour.md §3
  // clang-format on
  auto out = run_heavy(c, "/my_natal");
  REQUIRE(out.size() == 2);
  auto text = out[1].text.value_or("");
  CHECK(contains(text, "\n🏠 Система домов: Плацидус\n" + fill(n_polar, {{"{system}", "Плацидус"}}) +
                           "\n\n<b>Планеты</b>\n"));
  CHECK(lines_of(section(text, "\n\n<b>Дома</b>\n", "\n\n<b>Аспекты</b>\n")).size() == 12);
  auto menu = c.say("/settings");
  REQUIRE(c.press_answer_only(menu.message_id, "s:h:K") == "Система домов: Кох");
  out = run_heavy(c, "/my_natal");
  REQUIRE(out.size() == 2);
  CHECK(contains(out[1].text.value_or(""),
                 "\n🏠 Система домов: Кох\n" + fill(n_polar, {{"{system}", "Кох"}}) + "\n\n"));
  // Regiomontanus never fails: no note.
  REQUIRE(c.press_answer_only(menu.message_id, "s:h:R") == "Система домов: Региомонтан");
  out = run_heavy(c, "/my_natal");
  REQUIRE(out.size() == 2);
  CHECK(contains(out[1].text.value_or(""), "\n🏠 Система домов: Региомонтан\n\n<b>Планеты</b>"));
  CHECK_FALSE(contains(out[1].text.value_or(""), "На этой широте"));
  check_all_texts(h, 896);
}
