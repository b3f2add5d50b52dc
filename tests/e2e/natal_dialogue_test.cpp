// The /natal birth-data dialogue through the sandbox, table-driven from docs/behaviour.md §4.6, §9
// and the acceptance checklist §11 items 4-8: every step's valid and invalid inputs, the Bot API
// calls of each row in order, the keyboards, /cancel, /natal mid-dialogue, other commands
// mid-dialogue, non-text input, a restart between TIME and PLACE, and hostile inputs. Expected
// texts are copied from docs/behaviour.md verbatim (not from protocol/texts), so a wrong catalogue
// entry fails here too.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <ctime>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "clients/store/store.hpp"
#include "tests/e2e/spec_support.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

const std::string sticker =
    R"("sticker":{"file_id":"CAACAgIAAxkBAAIBZ2Z","file_unique_id":"AgADZ2Z","type":"regular",)"
    R"("width":512,"height":512,"is_animated":false,"is_video":false,"emoji":"🌟"})";
const std::string photo_with_caption =
    R"("photo":[{"file_id":"AgACAgIAAxkBAAIBaGZ","file_unique_id":"AQADaGZ","width":90,)"
    R"("height":90}],"caption":"14:30")";
const std::string voice =
    R"("voice":{"file_id":"AwACAgIAAxkBAAIBaWZ","file_unique_id":"AgADaWZ","duration":2})";

// DD.MM.YYYY of the date `days` from today at UTC+`offset_hours`.
std::string utc_date(int days, int offset_hours = 0) {
  std::time_t t = std::time(nullptr) + days * 86400 + offset_hours * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%d.%m.%Y", &tm);
  return buf;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// The first integer in a JSON answer such as {"update_id":123,…}.
std::string between_digits(const std::string& json) {
  auto start = json.find_first_of("0123456789");
  auto end = json.find_first_not_of("0123456789", start);
  return start == std::string::npos ? "0" : json.substr(start, end - start);
}

}  // namespace

TEST_CASE("e2e natal: /natal asks for the date and the date step follows §11 item 4") {
  harness h;
  h.start_bot();
  chat_driver a{h, 101};
  auto start = a.say("/natal");
  CHECK(start.text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  CHECK(start.parse_mode == "HTML");
  CHECK_FALSE(has_buttons(start));

  struct {
    std::string input;
    const std::string& expected;
  } rejected[] = {
      {"15/03/1990", T_DATE_FORMAT},    {"15.03.1990 г", T_DATE_FORMAT},
      {"15 марта 1990", T_DATE_FORMAT}, {"15.03.90", T_DATE_FORMAT},
      {"1990/03/15", T_DATE_FORMAT},    {"15-03-1990", T_DATE_FORMAT},
      {"31.02.1990", T_DATE_INVALID},   {"00.01.1990", T_DATE_INVALID},
      {"29.02.1991", T_DATE_INVALID},   {"15.13.1990", T_DATE_INVALID},
      {"01.01.1899", T_DATE_RANGE},     {"31.12.1899", T_DATE_RANGE},
      {utc_date(2), T_DATE_RANGE},      {utc_date(1, 14), T_DATE_RANGE},
      {"15.03.1990.", T_DATE_FORMAT},   {"15..03.1990", T_DATE_FORMAT},
  };
  for (const auto& row : rejected) {
    CAPTURE(row.input);
    auto reply = a.say(row.input);
    CHECK(reply.text.value_or("") == row.expected);
    CHECK(reply.parse_mode == "");  // [plain]
  }

  // Accepted forms: each answer is the time prompt with «Не знаю время» → n:{nonce}:t.
  struct {
    std::int64_t chat;
    std::string input, shown;
  } accepted[] = {
      {101, "15.03.1990", "15.03.1990"}, {102, "5.3.1990", "05.03.1990"},
      {103, "1990-03-15", "15.03.1990"}, {104, "1990-3-5", "05.03.1990"},
      {105, "01.01.1900", "01.01.1900"}, {106, "  15.03.1990  ", "15.03.1990"},
      {107, utc_date(0), utc_date(0)},   {108, utc_date(0, 14), utc_date(0, 14)},
  };
  std::set<std::string> nonces;
  for (const auto& row : accepted) {
    CAPTURE(row.input);
    chat_driver c{h, row.chat};
    if (row.chat != 101) REQUIRE(c.say("/natal").text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
    auto prompt = c.say(row.input);
    CHECK(prompt.text.value_or("") == time_prompt(row.shown));
    CHECK(prompt.parse_mode == "HTML");
    auto kb = rows_of(prompt);
    REQUIRE(kb.size() == 1);
    REQUIRE(kb[0].size() == 1);
    CHECK(kb[0][0].first == "Не знаю время");
    auto nonce = nonce_of(kb[0][0].second);
    CHECK(kb[0][0].second == "n:" + nonce + ":t");
    nonces.insert(nonce);
  }
  CHECK(nonces.size() == std::size(accepted));  // a new nonce per run
  for (std::int64_t chat = 101; chat <= 108; ++chat) check_all_texts(h, chat);
}

TEST_CASE("e2e natal: the time step follows §11 item 5 and knows «Не знаю время»") {
  harness h;
  h.start_bot();
  struct {
    std::int64_t chat;
    std::string input, shown;
  } accepted[] = {
      {201, "14:30", "14:30"},   {202, "9:05", "09:05"},  {203, "09.05", "09:05"},
      {204, "9:05:00", "09:05"}, {205, "00:00", "00:00"}, {206, "23:59", "23:59"},
  };
  for (const auto& row : accepted) {
    CAPTURE(row.input);
    chat_driver c{h, row.chat};
    auto time_msg = to_time(c);
    auto since = mark(h);
    auto prompt = c.say(row.input);
    CHECK(prompt.text.value_or("") == place_prompt(row.shown));
    CHECK(prompt.parse_mode == "HTML");
    CHECK(canonical_json(prompt.reply_markup) == canonical_json(LOCATION_KEYBOARD));
    // editMessageReplyMarkup(time prompt, empty) → sendMessage + reply keyboard
    auto calls = wait_calls(h, row.chat, since, 2);
    CHECK(methods_of(calls) == "editMessageReplyMarkup,sendMessage");
    if (calls.size() == 2) CHECK(param_int(calls[0], "message_id") == time_msg.message_id);
    CHECK_FALSE(has_buttons(c.message(time_msg.message_id)));
  }

  chat_driver bad{h, 207};
  to_time(bad);
  for (std::string input : {"24:00", "12:60", "9:5", "14-30", "14:30:60", "1430", "14:30 утра",
                            "-1:30", "14:3O", "не знаю точно", "9:05:60", "9.05.00", "14:30."}) {
    CAPTURE(input);
    auto reply = bad.say(input);
    CHECK(reply.text.value_or("") == T_TIME_FORMAT);
    CHECK(reply.parse_mode == "");
  }
  CHECK(bad.say("не знаю").text.value_or("") == place_prompt(unknown_place_time));

  // The button: answerCallbackQuery, editMessageReplyMarkup(empty), sendMessage + reply keyboard.
  chat_driver button{h, 208};
  auto time_msg = to_time(button);
  auto since = mark(h);
  auto prompt = button.press(time_msg.message_id, time_msg.button_data().at(0));
  CHECK(prompt.text.value_or("") == place_prompt(unknown_place_time));
  CHECK(canonical_json(prompt.reply_markup) == canonical_json(LOCATION_KEYBOARD));
  auto calls = wait_calls(h, 208, since, 3);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageReplyMarkup,sendMessage");
  if (calls.size() == 3) {
    CHECK(calls[0].param_string("text").value_or("") == "");
    CHECK(param_int(calls[1], "message_id") == time_msg.message_id);
  }
  CHECK_FALSE(has_buttons(button.message(time_msg.message_id)));
  // A second press of the same (now used) button is stale.
  CHECK(button.press_answer_only(time_msg.message_id, time_msg.button_data().at(0)) == T_STALE);

  // The typed forms, normalised (lower case, collapsed spaces, trailing . and ! dropped).
  struct {
    std::int64_t chat;
    std::string input;
  } typed[] = {
      {209, "Не знаю время"}, {210, "неизвестно"}, {211, "  НЕ   знаю!  "}, {212, "не знаю."}};
  for (const auto& row : typed) {
    CAPTURE(row.input);
    chat_driver c{h, row.chat};
    auto time_prompt_msg = to_time(c);
    CHECK(c.say(row.input).text.value_or("") == place_prompt(unknown_place_time));
    CHECK_FALSE(has_buttons(c.message(time_prompt_msg.message_id)));
  }
  for (std::int64_t chat = 201; chat <= 212; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE(
    "e2e natal: the place step follows §11 item 6 (lengths, not found, one, several, location)") {
  harness h;
  h.start_bot();

  chat_driver a{h, 301};
  to_place(a);
  // Lengths count code points (§1.7): 2..100 are searched.
  const std::vector<std::pair<std::string, std::string>> lengths = {
      {"М", T_PLACE_SHORT},
      {"  М  ", T_PLACE_SHORT},
      {repeat("я", 101), T_PLACE_LONG},
      {repeat("я", 4096), T_PLACE_LONG},  // the most a Telegram message holds
  };
  for (const auto& [input, expected] : lengths) {
    CAPTURE(input.substr(0, 20));
    auto since = mark(h);
    auto reply = a.say(input);
    CHECK(reply.text.value_or("") == expected);
    CHECK(reply.parse_mode == "");
    CHECK(methods_of(wait_calls(h, 301, since, 1)) == "sendMessage");  // no search status
  }

  // Not found: status with remove_keyboard → deleteMessage(status) → T_PLACE_NOT_FOUND + keyboard.
  for (std::string input : {"<b>Гор&од</b>", "Нетакогогорода", "🌟🌟🌟"}) {
    CAPTURE(input);
    auto since = mark(h);
    auto reply = a.say(input);
    CHECK(reply.text.value_or("") == T_PLACE_NOT_FOUND);
    CHECK(reply.parse_mode == "");
    CHECK(canonical_json(reply.reply_markup) == canonical_json(LOCATION_KEYBOARD));
    auto calls = wait_calls(h, 301, since, 3);
    REQUIRE(methods_of(calls) == "sendMessage,deleteMessage,sendMessage");
    CHECK(calls[0].param_string("text").value_or("") == T_ST_PLACE);
    CHECK(calls[0].param_string("parse_mode") == std::nullopt);
    CHECK(canonical_json(calls[0].param_string("reply_markup").value_or("")) ==
          canonical_json(REMOVE_KEYBOARD));
    CHECK(calls[0].status == 200);
  }
  // 100 code points is not too long: it is searched.
  CHECK(a.say(repeat("я", 100)).text.value_or("") == T_PLACE_NOT_FOUND);

  // One match → T_CONFIRM + confirm keyboard (same nonce as the run's time prompt).
  auto since = mark(h);
  auto confirm = a.say("Москва, Россия");
  CHECK(confirm.text.value_or("") == confirm_text({}));
  CHECK(confirm.parse_mode == "HTML");
  auto calls = wait_calls(h, 301, since, 3);
  CHECK(methods_of(calls) == "sendMessage,deleteMessage,sendMessage");
  auto kb = rows_of(confirm);
  REQUIRE(kb.size() == 1);
  REQUIRE(kb[0].size() == 2);
  auto nonce = nonce_of(kb[0][0].second);
  CHECK(kb == button_rows{{{"Да", "n:" + nonce + ":y"}, {"Нет, заново", "n:" + nonce + ":r"}}});

  // Several matches → T_CHOICE, one button per row; choosing edits the list into T_CHOSEN.
  chat_driver b{h, 302};
  auto time_msg = to_time(b);
  auto run_nonce = nonce_of(time_msg.button_data().at(0));
  b.say("14:30");
  auto choice = b.say("Москва");
  CHECK(choice.text.value_or("") == T_CHOICE);
  CHECK(choice.parse_mode == "HTML");
  CHECK(rows_of(choice) == button_rows{{{"Москва, Россия", "n:" + run_nonce + ":c0"}},
                                       {{"Москва, Айдахо, США", "n:" + run_nonce + ":c1"}}});
  since = mark(h);
  confirm = b.press(choice.message_id, "n:" + run_nonce + ":c1");
  calls = wait_calls(h, 302, since, 3);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageText,sendMessage");
  auto chosen = b.message(choice.message_id);
  CHECK(chosen.text.value_or("") == fill(T_CHOSEN, {{"{label}", "Москва, Айдахо, США"}}));
  CHECK(chosen.parse_mode == "HTML");
  CHECK_FALSE(has_buttons(chosen));
  confirm_fields idaho;
  idaho.label = "Москва, Айдахо, США";
  idaho.zone = "America/Los_Angeles";
  idaho.offset = "UTC-08:00";
  idaho.lat = "46.7324";  // the gazetteer's Moscow, Idaho
  idaho.lon = "-117.0002";
  CHECK(confirm.text.value_or("") == confirm_text(idaho));

  // «Орел» finds Орёл.
  chat_driver c{h, 303};
  to_place(c);
  auto orel = c.say("Орел");
  auto orel_text = orel.text.value_or("");
  CHECK(orel_text.find("📍 Место: Орёл, Орловская область, Россия\n") != std::string::npos);
  CHECK(orel_text.find("🕰 Часовой пояс: Europe/Moscow (UTC+03:00)") !=
        std::string::npos);

  // A location near 55.75, 37.62 → Москва, the stored point, 0 km.
  chat_driver d{h, 304};
  to_place(d);
  since = mark(h);
  confirm = d.locate(55.75, 37.62);
  confirm_fields near_moscow;
  near_moscow.distance_km = 0;
  near_moscow.lat = "55.7500";
  near_moscow.lon = "37.6200";
  CHECK(confirm.text.value_or("") == confirm_text(near_moscow));
  calls = wait_calls(h, 304, since, 3);
  REQUIRE(methods_of(calls) == "sendMessage,deleteMessage,sendMessage");
  CHECK(calls[0].param_string("text").value_or("") == T_ST_LOCATION);
  CHECK(canonical_json(calls[0].param_string("reply_markup").value_or("")) ==
        canonical_json(REMOVE_KEYBOARD));
  CHECK(rows_of(confirm).size() == 1);

  // A location far from every city: the far note (docs/integrations.md §3.6: 0, −160 → Пагопаго).
  chat_driver e{h, 305};
  to_place(e);
  auto far = e.locate(0, -160);
  confirm_fields pago;
  pago.label = "Пагопаго, Eastern District, Американское Самоа";
  pago.distance_km = 1977;
  pago.lat = "0.0000";
  pago.lon = "-160.0000";
  pago.zone = "Pacific/Pago_Pago";
  pago.offset = "UTC-11:00";
  pago.notes = {fill(T_NOTE_FAR, {{"{N}", "1977"}})};
  CHECK(far.text.value_or("") == confirm_text(pago));

  // CHOICE + new text: editMessageReplyMarkup(choice, empty), then as a PLACE text.
  chat_driver f{h, 306};
  to_place(f);
  choice = f.say("Москва");
  REQUIRE(choice.text.value_or("") == T_CHOICE);
  since = mark(h);
  confirm = f.say("Москва, Россия");
  CHECK(confirm.text.value_or("") == confirm_text({}));
  calls = wait_calls(h, 306, since, 4);
  CHECK(methods_of(calls) == "editMessageReplyMarkup,sendMessage,deleteMessage,sendMessage");
  if (!calls.empty()) CHECK(param_int(calls[0], "message_id") == choice.message_id);
  CHECK_FALSE(has_buttons(f.message(choice.message_id)));

  // CHOICE + a location → T_CONFIRM of the nearest city.
  chat_driver g{h, 307};
  to_place(g);
  choice = g.say("Москва");
  REQUIRE(choice.text.value_or("") == T_CHOICE);
  // A button beyond the shown candidates is stale (and its keyboard is cleared).
  auto g_nonce = nonce_of(choice.button_data().at(0));
  CHECK(g.press_answer_only(choice.message_id, "n:" + g_nonce + ":c2") == T_STALE);
  CHECK_FALSE(has_buttons(g.message(choice.message_id)));
  CHECK(g.locate(55.75, 37.62).text.value_or("") == confirm_text(near_moscow));

  // More than five matches: five buttons and «Показаны первые 5 из N».
  chat_driver k{h, 308};
  to_place(k);
  auto many = k.say("Сан");
  auto many_text = many.text.value_or("");
  std::smatch total;
  if (std::regex_search(many_text, total, std::regex("Показаны первые 5 из ([0-9]+)\\."))) {
    CHECK(many_text == T_CHOICE + fill(T_CHOICE_MORE, {{"{N}", total[1].str()}}));
    CHECK(std::stoi(total[1].str()) > 5);
    CHECK(many.keyboard().size() == 5);
  } else {
    FAIL_CHECK("«Сан» should match more than five places; got: " << many_text.substr(0, 200));
  }
  for (std::int64_t chat = 301; chat <= 308; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE("e2e natal: confirming by button and by text, «Нет, заново», hints, notes, the future") {
  harness h;
  h.start_bot();

  // Button «Да»: answerCallbackQuery → 💾 → edit into T_SAVED → confirm keyboard cleared.
  chat_driver a{h, 401};
  auto confirm = to_confirm(a);
  auto hint = a.say("абв");
  CHECK(hint.text.value_or("") == T_CONFIRM_HINT);
  CHECK(hint.parse_mode == "");
  auto yes = confirm.button_data().at(0);
  auto since = mark(h);
  auto saved = a.press(confirm.message_id, yes);
  CHECK(saved.text.value_or("") == T_SAVED);
  CHECK(saved.parse_mode == "HTML");
  auto calls = wait_calls(h, 401, since, 4);
  REQUIRE(methods_of(calls) ==
          "answerCallbackQuery,sendMessage,editMessageText,editMessageReplyMarkup");
  CHECK(calls[1].param_string("text").value_or("") == T_ST_SAVE);
  CHECK(calls[1].param_string("parse_mode") == std::nullopt);
  CHECK(param_int(calls[2], "message_id") == saved.message_id);
  CHECK(param_int(calls[3], "message_id") == confirm.message_id);
  CHECK_FALSE(has_buttons(a.message(confirm.message_id)));
  // The dialogue ended: free text is a hint, the old button is stale, /natal knows the data.
  CHECK(a.say("Москва").text.value_or("") == T_TEXT_HINT);
  CHECK(a.press_answer_only(confirm.message_id, yes) == T_STALE);
  CHECK(a.say("/natal").text.value_or("") == T_NATAL_EXISTING + T_DATE_PROMPT);

  // Typed «Да» and the other normalised yes-words.
  struct {
    std::int64_t chat;
    std::string input;
  } typed_yes[] = {{402, "Да"},         {403, "ок!"}, {404, "Все верно."}, {405, "  YES "},
                   {412, "Всё  верно"}, {413, "д"},   {414, "сохранить"}};
  for (const auto& row : typed_yes) {
    CAPTURE(row.input);
    chat_driver c{h, row.chat};
    auto confirm_msg = to_confirm(c);
    since = mark(h);
    auto reply = c.say(row.input);
    CHECK(reply.text.value_or("") == T_SAVED);
    calls = wait_calls(h, row.chat, since, 3);
    CHECK(methods_of(calls) == "sendMessage,editMessageText,editMessageReplyMarkup");
    CHECK_FALSE(has_buttons(c.message(confirm_msg.message_id)));
    CHECK(c.say("/profile").text.value_or("").find("15.03.1990") != std::string::npos);
  }

  // «Нет, заново» by button: answer → keyboard cleared → T_RESTART + T_DATE_PROMPT, new nonce.
  chat_driver r{h, 406};
  confirm = to_confirm(r);
  auto old_nonce = nonce_of(confirm.button_data().at(0));
  since = mark(h);
  auto restart = r.press(confirm.message_id, confirm.button_data().at(1));
  CHECK(restart.text.value_or("") == T_RESTART + T_DATE_PROMPT);
  CHECK(restart.parse_mode == "HTML");
  calls = wait_calls(h, 406, since, 3);
  CHECK(methods_of(calls) == "answerCallbackQuery,editMessageReplyMarkup,sendMessage");
  CHECK_FALSE(has_buttons(r.message(confirm.message_id)));
  auto time_msg = r.say("16.04.1991");
  CHECK(time_msg.text.value_or("") == time_prompt("16.04.1991"));
  CHECK(nonce_of(time_msg.button_data().at(0)) != old_nonce);
  CHECK(r.press_answer_only(confirm.message_id, confirm.button_data().at(0)) == T_STALE);
  CHECK(r.say("/profile").text.value_or("") == T_PROFILE_NONE);

  // «Нет, заново» typed.
  chat_driver n{h, 407};
  confirm = to_confirm(n);
  CHECK(n.say("Нет, заново").text.value_or("") == T_RESTART + T_DATE_PROMPT);
  CHECK_FALSE(has_buttons(n.message(confirm.message_id)));
  CHECK(n.say("15.03.1990").text.value_or("") == time_prompt("15.03.1990"));
  for (std::string no : {"н", "Заново!", "NO"}) {
    CAPTURE(no);
    chat_driver other{h, no == "н" ? 415 : no == "NO" ? 416 : 417};
    to_confirm(other);
    CHECK(other.say(no).text.value_or("") == T_RESTART + T_DATE_PROMPT);
  }

  // DST gap and overlap in Moscow, 1990 (clocks forward 25.03 02:00, back 30.09 03:00).
  chat_driver gap{h, 408};
  auto gap_text = to_confirm(gap, "02:30", "25.03.1990").text.value_or("");
  CHECK(gap_text.find("🕐 Время: 02:30\n") != std::string::npos);
  auto gap_note = fill(T_NOTE_GAP, {{"{HH:MM}", "02:30"}, {"{HH:MM shifted}", "03:30"}});
  CHECK(gap_text.find(")\n" + gap_note + "\n\nВсё верно?") != std::string::npos);
  chat_driver overlap{h, 409};
  confirm_fields autumn;
  autumn.date = "30.09.1990";
  autumn.time = "02:30";
  autumn.notes = {fill(T_NOTE_OVERLAP, {{"{HH:MM}", "02:30"}})};
  CHECK(to_confirm(overlap, "02:30", "30.09.1990").text.value_or("") == confirm_text(autumn));

  // Unknown time at CONFIRM.
  chat_driver unknown{h, 410};
  confirm_fields noon;
  noon.time.reset();
  CHECK(to_confirm(unknown, "не знаю").text.value_or("") == confirm_text(noon));

  // A birth moment still in the future → T_FUTURE_BIRTH, the dialogue ends.
  std::time_t now = std::time(nullptr) + 3 * 3600;  // Moscow wall clock (UTC+3 since 2014)
  std::tm msk{};
  gmtime_r(&now, &msk);
  if (msk.tm_hour == 23 && msk.tm_min >= 58) {
    MESSAGE("skipping the future-birth row: too close to midnight in Moscow");
  } else {
    char today[16];
    std::strftime(today, sizeof today, "%d.%m.%Y", &msk);
    chat_driver future{h, 411};
    to_place(future, "23:59", today);
    auto reply = future.say("Москва, Россия");
    CHECK(reply.text.value_or("") == T_FUTURE_BIRTH);
    CHECK(reply.parse_mode == "");
    CHECK(future.say("ещё текст").text.value_or("") == T_TEXT_HINT);
  }
  for (std::int64_t chat = 401; chat <= 417; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE("e2e natal: /cancel, /natal mid-dialogue, other commands and non-text input") {
  harness h;
  h.start_bot();

  // Another command mid-dialogue runs and leaves the dialogue as it was.
  chat_driver a{h, 501};
  to_time(a);
  CHECK(a.say("/help").text.value_or("") == T_HELP);
  CHECK(a.say("/profile").text.value_or("") == T_PROFILE_NONE);
  CHECK(a.say("14:30").text.value_or("") == place_prompt("14:30"));
  auto choice = a.say("Москва");
  REQUIRE(choice.text.value_or("") == T_CHOICE);
  CHECK(a.say("/start").text.value_or("").find("Привет, ") == 0);
  // /cancel: the buttons go, T_CANCELLED with remove_keyboard.
  auto since = mark(h);
  auto cancelled = a.say("/cancel");
  CHECK(cancelled.text.value_or("") == T_CANCELLED);
  CHECK(cancelled.parse_mode == "");
  auto calls = wait_calls(h, 501, since, 2);
  REQUIRE(calls.size() >= 2);
  CHECK(calls.back().method == "sendMessage");
  CHECK(canonical_json(calls.back().param_string("reply_markup").value_or("")) ==
        canonical_json(REMOVE_KEYBOARD));
  CHECK(calls.front().method == "editMessageReplyMarkup");
  CHECK(param_int(calls.front(), "message_id") == choice.message_id);
  CHECK_FALSE(has_buttons(a.message(choice.message_id)));
  CHECK(a.say("Москва").text.value_or("") == T_TEXT_HINT);
  CHECK(a.say("/cancel").text.value_or("") == T_CANCEL_NONE);
  CHECK(a.press_answer_only(choice.message_id, choice.button_data().at(0)) == T_STALE);

  // /natal mid-dialogue: the previous run's buttons are cleared and become stale.
  chat_driver b{h, 502};
  auto confirm = to_confirm(b);
  since = mark(h);
  auto again = b.say("/natal");
  CHECK(again.text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  calls = wait_calls(h, 502, since, 2);
  CHECK(methods_of(calls) == "editMessageReplyMarkup,sendMessage");
  CHECK_FALSE(has_buttons(b.message(confirm.message_id)));
  CHECK(b.press_answer_only(confirm.message_id, confirm.button_data().at(0)) == T_STALE);
  CHECK(b.say("/profile").text.value_or("") == T_PROFILE_NONE);  // nothing was saved
  auto time_msg = b.say("15.03.1990");
  CHECK(nonce_of(time_msg.button_data().at(0)) != nonce_of(confirm.button_data().at(0)));
  // …and /natal at TIME clears the «Не знаю время» button of that run.
  CHECK(b.say("/natal").text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  CHECK_FALSE(has_buttons(b.message(time_msg.message_id)));
  CHECK(b.press_answer_only(time_msg.message_id, time_msg.button_data().at(0)) == T_STALE);

  // Non-text input at every step → T_NON_TEXT; a location is text only at PLACE/CHOICE.
  chat_driver c{h, 503};
  CHECK(c.say("/natal").text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  CHECK(c.raw_message(sticker).text.value_or("") == T_NON_TEXT);
  CHECK(c.locate(55.75, 37.62).text.value_or("") == T_NON_TEXT);
  CHECK(c.say("15.03.1990").text.value_or("") == time_prompt("15.03.1990"));
  auto photo_reply = c.raw_message(photo_with_caption);
  CHECK(photo_reply.text.value_or("") == T_NON_TEXT);
  CHECK(photo_reply.parse_mode == "");
  CHECK(c.locate(55.75, 37.62).text.value_or("") == T_NON_TEXT);
  CHECK(c.say("14:30").text.value_or("") == place_prompt("14:30"));
  CHECK(c.raw_message(voice).text.value_or("") == T_NON_TEXT);
  CHECK(c.say("Москва, Россия").text.value_or("") == confirm_text({}));
  CHECK(c.locate(55.75, 37.62).text.value_or("") == T_NON_TEXT);
  CHECK(c.raw_message(sticker).text.value_or("") == T_NON_TEXT);
  // A heavy command mid-dialogue runs and the dialogue stays at CONFIRM.
  CHECK(starts_with(c.say("/transit_planets").text.value_or(""), "🌟 <b>Позиции планет</b>"));
  CHECK(c.say("да").text.value_or("") == T_SAVED);

  // A forged or foreign payload on a live message is stale; the dialogue stays at its step.
  chat_driver d{h, 504};
  time_msg = to_time(d);
  CHECK(d.press_answer_only(time_msg.message_id, "n:deadbeef:t") == T_STALE);
  auto nonce = nonce_of(time_msg.button_data().empty() ? "" : time_msg.button_data()[0]);
  CHECK(d.press_answer_only(time_msg.message_id, "n:" + nonce + ":y") == T_STALE);
  CHECK(d.press_answer_only(time_msg.message_id, "n:" + nonce + ":zz") == T_STALE);
  CHECK(d.say("14:30").text.value_or("") == place_prompt("14:30"));

  // §1.4: a press on an inaccessible message (date 0) is stale and nothing is edited; a press
  // by another user than the chat's is stale; neither changes the dialogue.
  chat_driver e{h, 505};
  time_msg = to_time(e);
  auto data = time_msg.button_data().at(0);
  since = mark(h);
  auto inaccessible = h.control->post(
      "/sandbox/press", R"({"chat_id":505,"message_id":)" + std::to_string(time_msg.message_id) +
                            R"(,"data":")" + data + R"(","inaccessible":true})");
  auto until = wait_deadline(std::chrono::seconds(8));
  std::vector<call_record> answered;
  while (answered.empty() && std::chrono::steady_clock::now() < until) {
    answered = h.control->calls(since, "answerCallbackQuery").calls;
    sleep_ms(15);
  }
  REQUIRE(answered.size() == 1);
  CHECK(answered[0].param_string("text").value_or("") == T_STALE);
  note_update(std::stoll(between_digits(inaccessible)));
  REQUIRE(h.wait_handled(std::stoll(between_digits(inaccessible))));
  CHECK(methods_of(chat_calls(h, 505, since)) == "answerCallbackQuery");
  CHECK(has_buttons(e.message(time_msg.message_id)));

  since = mark(h);
  std::string foreign =
      R"({"update_id":)" + std::to_string(next_raw_update_id()) +
      R"(,"callback_query":{"id":"e2e-foreign-press","from":{"id":9999,"is_bot":false,)"
      R"("first_name":"Чужой"},"chat_instance":"1","data":")" +
      data + R"(","message":{"message_id":)" + std::to_string(time_msg.message_id) + R"(,"date":)" +
      std::to_string(std::time(nullptr)) +
      R"(,"chat":{"id":505,"type":"private","first_name":"Sandbox User"},)"
      R"("from":{"id":424242,"is_bot":true,"first_name":"Nocturna"},"text":"?"}}})";
  note_update(h.control->raw(foreign));
  until = wait_deadline(std::chrono::seconds(8));
  answered.clear();
  while (answered.empty() && std::chrono::steady_clock::now() < until) {
    answered = h.control->calls(since, "answerCallbackQuery").calls;
    sleep_ms(15);
  }
  REQUIRE(answered.size() == 1);
  CHECK(answered[0].param_string("callback_query_id").value_or("") == "e2e-foreign-press");
  CHECK(answered[0].param_string("text").value_or("") == T_STALE);
  CHECK(e.say("14:30").text.value_or("") == place_prompt("14:30"));  // still at TIME
  for (std::int64_t chat = 501; chat <= 505; ++chat) check_all_texts(h, chat);
  check_one_answer_per_press(h);
}

TEST_CASE("e2e natal: an edited message mid-dialogue is ignored and a venue counts as a location") {
  harness h;
  h.start_bot();
  chat_driver a{h, 551};
  CHECK(a.say("/natal").text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  auto date_message = a.send("15.03.1990");
  a.reply_after(1, "15.03.1990");
  auto since = mark(h);
  note_update(h.control->edit(551, date_message, "16.04.1991"));
  CHECK(a.say("14:30").text.value_or("") == place_prompt("14:30"));
  // Exactly the place prompt's calls: the edit got none (§1.1).
  CHECK(methods_of(wait_calls(h, 551, since, 2)) == "editMessageReplyMarkup,sendMessage");
  auto venue =
      a.raw_message(R"("venue":{"location":{"latitude":55.75,"longitude":37.62},"title":"Кремль",)"
                    R"("address":"Москва"},"location":{"latitude":55.75,"longitude":37.62})");
  confirm_fields near_moscow;
  near_moscow.distance_km = 0;
  near_moscow.lat = "55.7500";
  near_moscow.lon = "37.6200";
  CHECK(venue.text.value_or("") == confirm_text(near_moscow));  // still 15.03.1990
  check_all_texts(h, 551);
}

TEST_CASE("e2e natal: a restart between TIME and PLACE continues the dialogue (§11 item 8)") {
  harness h;
  h.start_bot();
  chat_driver a{h, 601};
  to_place(a);
  chat_driver b{h, 602};
  auto time_msg = to_time(b);
  REQUIRE(h.bot->stop() == 0);
  h.start_bot();
  CHECK(a.say("Москва, Россия").text.value_or("") == confirm_text({}));
  CHECK(a.say("Да").text.value_or("") == T_SAVED);
  // The stored nonce survived too: the «Не знаю время» button still works.
  CHECK(b.press(time_msg.message_id, time_msg.button_data().at(0)).text.value_or("") ==
        place_prompt(unknown_place_time));
  check_all_texts(h, 601);
  check_all_texts(h, 602);
}

TEST_CASE("e2e natal: after expiry text gets T_EXPIRED once and a command clears it silently") {
  const std::string T_EXPIRED = "⌛ Время на ввод данных истекло.\n\nНачните заново: /natal";
  harness h;
  h.start_bot();
  chat_driver a{h, 621};
  chat_driver b{h, 622};
  to_place(a);
  to_time(b);
  REQUIRE(h.bot->stop() == 0);
  {
    // DIALOGUE_TTL_MINUTES passing, without waiting for it.
    auto db = nocturna::store::open_sqlite(h.dir.path() + "/data");
    for (std::int64_t user : {621, 622}) {
      auto record = db->load_dialogue(user);
      REQUIRE(record.has_value());
      record->expires_at = std::time(nullptr) - 60;
      db->save_dialogue(user, *record);
    }
  }
  h.start_bot();

  // Free text: T_EXPIRED with the keyboard removed, then the dialogue is gone.
  auto since = mark(h);
  auto expired = a.say("Москва, Россия");
  CHECK(expired.text.value_or("") == T_EXPIRED);
  auto calls = wait_calls(h, 621, since, 1);
  REQUIRE_FALSE(calls.empty());
  CHECK(canonical_json(calls.back().param_string("reply_markup").value_or("")) ==
        canonical_json(REMOVE_KEYBOARD));
  CHECK(a.say("Москва").text.value_or("") == T_TEXT_HINT);

  // A command: no T_EXPIRED, the command's own reply, and the dialogue is gone all the same.
  since = mark(h);
  CHECK(b.say("/help").text.value_or("") == T_HELP);
  CHECK(methods_of(wait_calls(h, 622, since, 1)) == "sendMessage");
  CHECK(b.say("14:30").text.value_or("") == T_TEXT_HINT);
  check_all_texts(h, 621);
  check_all_texts(h, 622);
}

TEST_CASE("e2e natal: a failed save keeps CONFIRM, says T_SAVE_FAILED, and «Да» works later") {
  const std::string T_SAVE_FAILED =
      "❌ Не удалось сохранить данные.\n\nНажмите «Да» ещё раз или /cancel для отмены.";
  harness h;
  h.start_bot();
  chat_driver c{h, 641};
  auto confirm = to_confirm(c);
  // The store refuses birth data from now on (a real SQL error inside the bot's transaction).
  exec_on_store(h,
                "CREATE TRIGGER refuse_birth BEFORE INSERT ON birth_data "
                "BEGIN SELECT RAISE(ABORT, 'e2e: the store is failing'); END;");
  auto failed = c.say("Да");
  CHECK(failed.text.value_or("") == T_SAVE_FAILED);
  CHECK(failed.parse_mode == "");
  // CONFIRM and its buttons stay; nothing half-saved.
  CHECK(has_buttons(c.message(confirm.message_id)));
  CHECK(c.say("/profile").text.value_or("") == T_PROFILE_NONE);
  CHECK(contains(h.log_file(), "e2e: the store is failing"));

  // The operator fixes the store and restarts the bot: the dialogue is still at CONFIRM.
  REQUIRE(h.bot->stop() == 0);
  exec_on_store(h, "DROP TRIGGER refuse_birth;");
  h.start_bot();
  CHECK(c.press(confirm.message_id, confirm.button_data().at(0)).text.value_or("") == T_SAVED);
  CHECK(c.say("/profile").text.value_or("").find("15.03.1990") != std::string::npos);
  check_all_texts(h, 641);
}

TEST_CASE("e2e natal: hostile inputs get the right texts and every reply is valid") {
  harness h;
  h.start_bot();
  std::string ten_kb;
  while (ten_kb.size() < 10 * 1024) ten_kb += "<b>Гор&од</b> 🌟 مدينة ";
  const std::string rtl = "القاهرة";

  chat_driver a{h, 701};
  CHECK(a.say("/natal").text.value_or("") == T_NATAL_NEW + T_DATE_PROMPT);
  CHECK(a.raw_text(ten_kb).text.value_or("") == T_DATE_FORMAT);
  for (std::string input :
       {"<b>15.03.1990</b>", "🌟", "١٥.٠٣.١٩٩٠", "15.03.1990\u202e", "&lt;15.03.1990"}) {
    CAPTURE(input);
    CHECK(a.say(input).text.value_or("") == T_DATE_FORMAT);
  }
  CHECK(a.say("15.03.1990").text.value_or("") == time_prompt("15.03.1990"));
  CHECK(a.raw_text(ten_kb).text.value_or("") == T_TIME_FORMAT);
  for (std::string input : {"<i>14:30</i>", "⏰", "١٤:٣٠"}) {
    CAPTURE(input);
    CHECK(a.say(input).text.value_or("") == T_TIME_FORMAT);
  }
  CHECK(a.say("14:30").text.value_or("") == place_prompt("14:30"));
  CHECK(a.raw_text(ten_kb).text.value_or("") == T_PLACE_LONG);
  for (std::string input : std::vector<std::string>{"<b>Гор&од</b>", "🏙️🌃", rtl,
                                                    "&amp;&lt;script&gt;", "<a href=\"x\">"}) {
    CAPTURE(input);
    CHECK(a.say(input).text.value_or("") == T_PLACE_NOT_FOUND);
  }
  CHECK(a.say("Москва, Россия").text.value_or("") == confirm_text({}));
  CHECK(a.raw_text(ten_kb).text.value_or("") == T_CONFIRM_HINT);
  for (std::string input : std::vector<std::string>{"<script>alert(1)</script>", "✅", rtl}) {
    CAPTURE(input);
    CHECK(a.say(input).text.value_or("") == T_CONFIRM_HINT);
  }
  CHECK(a.say("Да").text.value_or("") == T_SAVED);
  check_all_texts(h, 701);
  CHECK(h.bot->running());
}
