// The commands on a user's stored data through the sandbox, from docs/behaviour.md §1.1, §1.4,
// §4.9-§4.13 and §11 items 10-11: /profile, /settings and its buttons (and their effect on
// /my_natal and /transit), /clear_profile with its confirmation, /subscribe, /unsubscribe and
// my_chat_member. Expected texts are copied from docs/behaviour.md (tests/e2e/spec_support.hpp).
#include <doctest/doctest.h>

#include <ctime>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/spec_support.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

struct profile_fields {
  std::string date = "15.03.1990", time = "14:30", label = "Москва, Россия";
  bool by_location = false;
  std::string lat = "55.7522", lon = "37.6156", zone = "Europe/Moscow";
  std::string system = "Плацидус", forecast = "выключен";
};

std::string profile_text(const profile_fields& f) {
  return fill(T_PROFILE,
              {{"{DD.MM.YYYY}", f.date},
               {"{HH:MM | неизвестно}", f.time},
               {"{label}[ (по геопозиции)]", f.label + (f.by_location ? " (по геопозиции)" : "")},
               {"{lat}", f.lat},
               {"{lon}", f.lon},
               {"{zone}", f.zone},
               {"{system}", f.system},
               {"{в HH:MM | выключен}", f.forecast}});
}

std::string settings_text(const std::string& label) {
  return fill(T_SETTINGS, {{"{label}", label}});
}

// The /settings keyboard of §4.11 with the current system marked.
button_rows settings_keyboard(char current) {
  const std::vector<std::vector<std::pair<std::string, char>>> layout = {
      {{"Плацидус", 'P'}, {"Кох", 'K'}},
      {{"Равнодомная", 'E'}, {"Целые знаки", 'W'}},
      {{"Порфирий", 'O'}, {"Региомонтан", 'R'}},
      {{"Кампанус", 'C'}}};
  button_rows out;
  for (const auto& row : layout) {
    out.emplace_back();
    for (const auto& [label, letter] : row)
      out.back().emplace_back((letter == current ? "✅ " : "") + label,
                              std::string("s:h:") + letter);
  }
  return out;
}

std::string sub_ok(const std::string& time) {
  return fill(T_SUB_OK, {{"{HH:MM}", time}, {"{zone}", "Europe/Moscow"}});
}

std::string sub_changed(const std::string& time) {
  return fill(T_SUB_CHANGED, {{"{HH:MM}", time}, {"{zone}", "Europe/Moscow"}});
}

// The text of a /my_natal (picture + one text), once the command is over.
struct natal_output {
  std::string text, photo_file_id;
  std::string photo_param;  // what sendPhoto got: a file_id, or {"file":…} for an upload
};

natal_output my_natal(harness& h, chat_driver& c) {
  auto since = mark(h);
  auto before = c.settle(0).size();
  c.send("/my_natal");
  auto msgs = c.settle(before + 2, 20000);
  REQUIRE(msgs.size() >= before + 2);
  natal_output out;
  out.text = msgs.back().text.value_or("");
  out.photo_file_id = msgs[msgs.size() - 2].photo_file_id;
  for (auto& call : wait_calls(h, c.id, since, 4))
    if (call.method == "sendPhoto") out.photo_param = call.param_string("photo").value_or("");
  return out;
}

std::string between(const std::string& text, const std::string& from, const std::string& until) {
  auto start = text.find(from);
  if (start == std::string::npos) return "<no " + from + ">";
  start += from.size();
  return text.substr(start, text.find(until, start) - start);
}

// A my_chat_member update of a private chat: the user blocked (kicked) or unblocked (member) us.
void membership(chat_driver& c, const std::string& old_status, const std::string& new_status) {
  std::string user = std::to_string(c.id);
  std::string bot =
      R"({"id":424242,"is_bot":true,"first_name":"Nocturna","username":"nocturna_sandbox_bot"})";
  std::string update = R"({"update_id":)" + std::to_string(next_raw_update_id()) +
                       R"(,"my_chat_member":{"chat":{"id":)" + user +
                       R"(,"type":"private","first_name":"Sandbox User"},"from":{"id":)" + user +
                       R"(,"is_bot":false,"first_name":"Sandbox User"},"date":)" +
                       std::to_string(std::time(nullptr)) + R"(,"old_chat_member":{"user":)" + bot +
                       R"(,"status":")" + old_status + R"("},"new_chat_member":{"user":)" + bot +
                       R"(,"status":")" + new_status +
                       (new_status == "kicked" ? R"(","until_date":0}}})" : R"("}}})");
  note_update(c.h.control->raw(update));
}

// subscriptions.next_due_utc of `user`, read-only from the bot's SQLite store, once the
// scheduler (every 30 s and at start-up) has set it; nothing after `timeout_ms`.
std::optional<std::int64_t> next_due_of(harness& h, std::int64_t user, int timeout_ms = 35000) {
  std::optional<std::int64_t> due;
  wait_until(
      [&] {
        due = h.store_int("SELECT next_due_utc FROM subscriptions WHERE user_id = ?", user);
        return due.has_value();
      },
      timeout_ms);
  return due;
}

}  // namespace

TEST_CASE("e2e profile: /profile without and with birth data") {
  harness h;
  h.start_bot();
  chat_driver a{h, 901};
  auto none = a.say("/profile");
  CHECK(none.text.value_or("") == T_PROFILE_NONE);
  CHECK(none.parse_mode == "");
  save_birth(a);
  auto shown = a.say("/profile");
  CHECK(shown.text.value_or("") == profile_text({}));
  CHECK(shown.parse_mode == "HTML");

  // From a shared location: the point's coordinates and «(по геопозиции)».
  chat_driver b{h, 902};
  to_place(b);
  REQUIRE(starts_with(b.locate(55.75, 37.62).text.value_or(""), "✅ <b>Проверьте"));
  REQUIRE(b.say("Да").text.value_or("") == T_SAVED);
  profile_fields located;
  located.by_location = true;
  located.lat = "55.7500";
  located.lon = "37.6200";
  CHECK(b.say("/profile").text.value_or("") == profile_text(located));

  // Unknown time.
  chat_driver c{h, 903};
  save_birth(c, "не знаю");
  profile_fields unknown;
  unknown.time = "неизвестно";
  CHECK(c.say("/profile").text.value_or("") == profile_text(unknown));

  // New data replace the old (T_NATAL_EXISTING run).
  CHECK(a.say("/natal").text.value_or("") == T_NATAL_EXISTING + T_DATE_PROMPT);
  a.say("1.1.2000");
  a.say("0:00");
  REQUIRE(starts_with(a.say("Орел").text.value_or(""), "✅ <b>Проверьте"));
  REQUIRE(a.say("Да").text.value_or("") == T_SAVED);
  profile_fields orel;
  orel.date = "01.01.2000";
  orel.time = "00:00";
  orel.label = "Орёл, Орловская область, Россия";
  orel.lat = "52.9651";
  orel.lon = "36.0785";
  CHECK(a.say("/profile").text.value_or("") == profile_text(orel));
  for (std::int64_t chat = 901; chat <= 903; ++chat) check_all_texts(h, chat);
}

TEST_CASE("e2e profile: /settings switches the house system and /my_natal follows (§11 item 11)") {
  harness h;
  h.start_bot();
  chat_driver a{h, 911};
  save_birth(a);
  auto placidus = my_natal(h, a);
  CHECK(contains(placidus.text, "\n🏠 Система домов: Плацидус\n"));

  // A /transit with Placidus first: its picture is cached per (hour, house system).
  auto transit_photo = [&](chat_driver& chat) {
    auto since = mark(h);
    auto before = chat.settle(0).size();
    chat.send("/transit");
    auto msgs = chat.settle(before + 2, 20000);
    REQUIRE(msgs.size() >= before + 2);
    std::string photo;
    for (auto& call : wait_calls(h, chat.id, since, 4))
      if (call.method == "sendPhoto") photo = call.param_string("photo").value_or("");
    return std::make_pair(msgs.back().text.value_or(""), photo);
  };
  auto sky_p = transit_photo(a);
  CHECK(contains(sky_p.first, "\n🏠 Система домов: Плацидус\n"));
  CHECK(starts_with(sky_p.second, "{"));

  auto menu = a.say("/settings");
  CHECK(menu.text.value_or("") == settings_text("Плацидус"));
  CHECK(menu.parse_mode == "HTML");
  CHECK(rows_of(menu) == settings_keyboard('P'));

  // Another system: answerCallbackQuery(T_SET_CHANGED) → editMessageText with the new marks.
  auto since = mark(h);
  auto answer = a.press_answer_only(menu.message_id, "s:h:K");
  CHECK(answer == fill(T_SET_CHANGED, {{"{label}", "Кох"}}));
  auto calls = wait_calls(h, 911, since, 2);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageText");
  auto edited = a.message(menu.message_id);
  CHECK(edited.text.value_or("") == settings_text("Кох"));
  CHECK(edited.parse_mode == "HTML");
  CHECK(rows_of(edited) == settings_keyboard('K'));

  // The current one: only the answer T_SET_SAME.
  since = mark(h);
  CHECK(a.press_answer_only(menu.message_id, "s:h:K") == fill(T_SET_SAME, {{"{label}", "Кох"}}));
  CHECK(methods_of(chat_calls(h, 911, since)) == "answerCallbackQuery");
  CHECK(a.say("/settings").text.value_or("") == settings_text("Кох"));

  // /my_natal now uses Koch: other cusps (same ASC and MC), a new picture.
  auto koch = my_natal(h, a);
  CHECK(contains(koch.text, "\n🏠 Система домов: Кох\n"));
  auto cusps_p = lines_of(between(placidus.text, "<b>Дома</b>\n", "\n\n"));
  auto cusps_k = lines_of(between(koch.text, "<b>Дома</b>\n", "\n\n"));
  REQUIRE(cusps_p.size() == 12);
  REQUIRE(cusps_k.size() == 12);
  CHECK(cusps_p != cusps_k);
  CHECK(cusps_p[0] == cusps_k[0]);  // ASC
  CHECK(cusps_p[9] == cusps_k[9]);  // MC
  CHECK(cusps_p[1] != cusps_k[1]);
  CHECK(starts_with(koch.photo_param, "{"));  // drawn and uploaded again, not the Placidus one
  CHECK(koch.photo_file_id != placidus.photo_file_id);
  CHECK(contains(a.say("/profile").text.value_or(""), "🏠 <b>Система домов:</b> Кох\n"));

  // /transit in the private chat uses the caller's system, with its own picture.
  auto sky_k = transit_photo(a);
  CHECK(contains(sky_k.first, "\n🏠 Система домов: Кох\n"));
  CHECK(starts_with(sky_k.second, "{"));  // not the Placidus picture

  // Settings without birth data are allowed (the user row is created on first write).
  chat_driver b{h, 912};
  auto bare = b.say("/settings");
  CHECK(bare.text.value_or("") == settings_text("Плацидус"));
  CHECK(b.press_answer_only(bare.message_id, "s:h:W") ==
        fill(T_SET_CHANGED, {{"{label}", "Целые знаки"}}));
  CHECK(b.say("/settings").text.value_or("") == settings_text("Целые знаки"));
  // A malformed system letter is stale.
  CHECK(b.press_answer_only(bare.message_id, "s:h:Z") == T_STALE);
  for (std::int64_t chat = 911; chat <= 912; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE(
    "e2e profile: /clear_profile asks, `n` keeps, `y` deletes everything, a second press is "
    "stale") {
  harness h;
  h.start_bot();
  chat_driver empty{h, 921};
  auto nothing = empty.say("/clear_profile");
  CHECK(nothing.text.value_or("") == T_CLEAR_NONE);
  CHECK(nothing.parse_mode == "");

  chat_driver a{h, 922};
  save_birth(a);
  auto menu = a.say("/settings");
  REQUIRE(a.press_answer_only(menu.message_id, "s:h:K") ==
          fill(T_SET_CHANGED, {{"{label}", "Кох"}}));
  REQUIRE(a.say("/subscribe").text.value_or("") == sub_ok("09:00"));

  auto ask = a.say("/clear_profile");
  CHECK(ask.text.value_or("") == T_CLEAR_ASK);
  CHECK(ask.parse_mode == "HTML");
  auto kb = rows_of(ask);
  REQUIRE(kb.size() == 2);
  REQUIRE(kb[0].size() == 1);
  REQUIRE(kb[1].size() == 1);
  std::smatch m;
  REQUIRE(std::regex_match(kb[0][0].second, m, std::regex("^x:([0-9a-f]{8}):y$")));
  auto nonce = m[1].str();
  CHECK(kb == button_rows{{{"🗑 Да, удалить", "x:" + nonce + ":y"}},
                          {{"Отмена", "x:" + nonce + ":n"}}});

  // `n`: answered, the question becomes T_CLEAR_KEPT without keyboard, nothing deleted.
  auto since = mark(h);
  CHECK(a.press_answer_only(ask.message_id, "x:" + nonce + ":n") == "");
  auto calls = wait_calls(h, 922, since, 2);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageText");
  auto kept = a.message(ask.message_id);
  CHECK(kept.text.value_or("") == T_CLEAR_KEPT);
  CHECK(kept.parse_mode == "");
  CHECK_FALSE(has_buttons(kept));
  profile_fields with_sub;
  with_sub.system = "Кох";
  with_sub.forecast = "в 09:00";
  CHECK(a.say("/profile").text.value_or("") == profile_text(with_sub));
  // The kept question's `y` is stale now.
  CHECK(a.press_answer_only(ask.message_id, "x:" + nonce + ":y") == T_STALE);
  CHECK(a.say("/profile").text.value_or("") == profile_text(with_sub));

  // `y`: a new nonce, then everything goes (birth data, settings, subscription).
  auto ask2 = a.say("/clear_profile");
  REQUIRE(ask2.text.value_or("") == T_CLEAR_ASK);
  auto data = ask2.button_data();
  REQUIRE(data.size() == 2);
  CHECK(data[0] != "x:" + nonce + ":y");
  since = mark(h);
  CHECK(a.press_answer_only(ask2.message_id, data[0]) == "");
  calls = wait_calls(h, 922, since, 2);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageText");
  auto done = a.message(ask2.message_id);
  CHECK(done.text.value_or("") == T_CLEAR_DONE);
  CHECK(done.parse_mode == "HTML");
  CHECK_FALSE(has_buttons(done));
  CHECK(a.say("/profile").text.value_or("") == T_PROFILE_NONE);
  CHECK(a.press_answer_only(ask2.message_id, data[0]) == T_STALE);  // §11 item 10
  CHECK(a.say("/clear_profile").text.value_or("") == T_CLEAR_NONE);
  CHECK(a.say("/my_natal").text.value_or("") == T_NO_NATAL);
  CHECK(a.say("/unsubscribe").text.value_or("") == T_UNSUB_NONE);
  CHECK(a.say("/settings").text.value_or("") == settings_text("Плацидус"));

  // Settings alone and a dialogue alone are "something stored".
  chat_driver s{h, 923};
  auto s_menu = s.say("/settings");
  REQUIRE(s.press_answer_only(s_menu.message_id, "s:h:E") ==
          fill(T_SET_CHANGED, {{"{label}", "Равнодомная"}}));
  auto s_ask = s.say("/clear_profile");
  CHECK(s_ask.text.value_or("") == T_CLEAR_ASK);
  if (s_ask.button_data().size() == 2) {
    s.press_answer_only(s_ask.message_id, s_ask.button_data()[0]);
    CHECK(s.message(s_ask.message_id).text.value_or("") == T_CLEAR_DONE);
    CHECK(s.say("/settings").text.value_or("") == settings_text("Плацидус"));
  }
  chat_driver d{h, 924};
  to_time(d);
  auto d_ask = d.say("/clear_profile");
  CHECK(d_ask.text.value_or("") == T_CLEAR_ASK);
  if (d_ask.button_data().size() == 2) {
    d.press_answer_only(d_ask.message_id, d_ask.button_data()[0]);
    CHECK(d.message(d_ask.message_id).text.value_or("") == T_CLEAR_DONE);
    CHECK(d.say("14:30").text.value_or("") == T_TEXT_HINT);  // the dialogue is gone
  }
  for (std::int64_t chat = 921; chat <= 924; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE("e2e profile: /subscribe and /unsubscribe (§4.12, §4.13, §11 item 11)") {
  harness h;
  h.start_bot();
  chat_driver none{h, 931};
  for (std::string command : {"/subscribe", "/subscribe 09:00", "/subscribe 25:00"}) {
    CAPTURE(command);
    auto reply = none.say(command);
    CHECK(reply.text.value_or("") == T_SUB_NEED_NATAL);
    CHECK(reply.parse_mode == "");
  }
  CHECK(none.say("/unsubscribe").text.value_or("") == T_UNSUB_NONE);

  chat_driver a{h, 932};
  save_birth(a);
  for (std::string command : {"/subscribe 25:00", "/subscribe 9:5", "/subscribe 12:60",
                              "/subscribe abc", "/subscribe 09:00:00", "/subscribe 9.00"}) {
    CAPTURE(command);
    auto reply = a.say(command);
    CHECK(reply.text.value_or("") == T_SUB_BAD_TIME);
    CHECK(reply.parse_mode == "");
  }
  CHECK(a.say("/unsubscribe").text.value_or("") == T_UNSUB_NONE);
  auto ok = a.say("/subscribe");
  CHECK(ok.text.value_or("") == sub_ok("09:00"));
  CHECK(ok.parse_mode == "HTML");
  profile_fields p;
  p.forecast = "в 09:00";
  CHECK(a.say("/profile").text.value_or("") == profile_text(p));
  CHECK(a.say("/subscribe 09:00").text.value_or("") == sub_changed("09:00"));
  CHECK(a.say("/subscribe 8:30").text.value_or("") == sub_changed("08:30"));
  CHECK(a.say("/subscribe").text.value_or("") == sub_changed("08:30"));  // the time is kept
  p.forecast = "в 08:30";
  CHECK(a.say("/profile").text.value_or("") == profile_text(p));
  auto off = a.say("/unsubscribe");
  CHECK(off.text.value_or("") == T_UNSUB_OK);
  CHECK(off.parse_mode == "");
  CHECK(a.say("/unsubscribe").text.value_or("") == T_UNSUB_NONE);
  p.forecast = "выключен";
  CHECK(a.say("/profile").text.value_or("") == profile_text(p));
  CHECK(a.say("/subscribe 09:00").text.value_or("") == sub_ok("09:00"));  // re-activated

  // New birth data in another zone: the active subscription takes it (§4.6 CONFIRM row).
  chat_driver b{h, 933};
  save_birth(b);
  REQUIRE(b.say("/subscribe 07:00").text.value_or("") == sub_ok("07:00"));
  to_place(b);
  auto choice = b.say("Москва");
  REQUIRE(choice.button_data().size() == 2);
  REQUIRE(starts_with(b.press(choice.message_id, choice.button_data()[1]).text.value_or(""),
                      "✅ <b>Проверьте"));
  REQUIRE(b.say("Да").text.value_or("") == T_SAVED);
  CHECK(b.say("/subscribe").text.value_or("") ==
        fill(T_SUB_CHANGED, {{"{HH:MM}", "07:00"}, {"{zone}", "America/Los_Angeles"}}));
  CHECK(contains(b.say("/profile").text.value_or(""), "🔔 <b>Ежедневный прогноз:</b> в 07:00\n"));

  // 09:00 Europe/Moscow → the next forecast is due at 06:00 UTC (§5, §11 item 11). The scheduler
  // checks at start-up: restart, wait until the bot answers, then read the store (read-only).
  REQUIRE(h.bot->stop() == 0);
  h.start_bot();
  REQUIRE(contains(a.say("/profile").text.value_or(""), "🔔 <b>Ежедневный прогноз:</b> в 09:00\n"));
  auto due = next_due_of(h, 932, 5000);
  REQUIRE(due.has_value());
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  CHECK(*due % 86400 == 6 * 3600);
  CHECK(*due > now - 3600);
  CHECK(*due <= now + 86400);
  for (std::int64_t chat = 931; chat <= 933; ++chat) check_all_texts(h, chat);
}

TEST_CASE("e2e profile: a user who blocks the bot loses the subscription (§1.1, §11 item 11)") {
  harness h;
  h.start_bot();
  chat_driver a{h, 941};
  save_birth(a);
  REQUIRE(a.say("/subscribe 07:45").text.value_or("") == sub_ok("07:45"));
  profile_fields p;
  p.forecast = "в 07:45";
  REQUIRE(a.say("/profile").text.value_or("") == profile_text(p));

  auto since = mark(h);
  membership(a, "member", "kicked");
  p.forecast = "выключен";
  CHECK(a.say("/profile").text.value_or("") == profile_text(p));  // handled after the update
  // The membership update itself got no Bot API call.
  CHECK(methods_of(wait_calls(h, 941, since, 1)) == "sendMessage");

  // Unblocking marks the user active again but does not resubscribe.
  membership(a, "kicked", "member");
  CHECK(a.say("/profile").text.value_or("") == profile_text(p));
  CHECK(a.say("/unsubscribe").text.value_or("") == T_UNSUB_NONE);
  CHECK(a.say("/subscribe").text.value_or("") == sub_ok("09:00"));
  check_all_texts(h, 941);
}
