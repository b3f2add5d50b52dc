// /start, /help, the unknown-command hint and the free-text hint through the sandbox
// (docs/behaviour.md §4.1, §4.2, §1.2, §1.3, §11 item 1-2).
#include <doctest/doctest.h>

#include "protocol/bot_types.hpp"
#include "protocol/html.hpp"
#include "protocol/replies.hpp"
#include "protocol/texts.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

std::string last_bot_text(const sandbox::transcript& t) {
  auto bots = t.bot_messages();
  return bots.empty() ? "" : bots.back().text.value_or("");
}

}  // namespace

TEST_CASE("e2e: /start greets by name with the name escaped") {
  harness h;
  h.start_bot();
  sandbox::send_options o;
  o.from = sandbox::user_info{7, "<b>&", "O'Neil", "", "ru"};
  h.control->send(7, "/start", o);
  auto t = h.wait_replies(7, 1);
  REQUIRE(t.bot_messages().size() == 1);
  auto msg = t.bot_messages()[0];
  bot::user u;
  u.id = 7;
  u.first_name = "<b>&";
  u.last_name = "O'Neil";
  CHECK(msg.text.value_or("") == texts::start_text(u));
  CHECK(msg.parse_mode == "HTML");
  CHECK(msg.plain.find("Привет, <b>& O'Neil!") == 0);
}

TEST_CASE("e2e: /help is T_HELP, /foo is T_UNKNOWN_CMD, /cancel alone is T_CANCEL_NONE") {
  harness h;
  h.start_bot();
  h.control->send(1, "/help");
  CHECK(last_bot_text(h.wait_replies(1, 1)) == texts::help);
  h.control->send(1, "/foo");
  CHECK(last_bot_text(h.wait_replies(1, 2)) == texts::unknown_command);
  h.control->send(1, "/Help@nocturna_sandbox_bot");
  CHECK(last_bot_text(h.wait_replies(1, 3)) == texts::help);
  h.control->send(1, "/cancel");
  CHECK(last_bot_text(h.wait_replies(1, 4)) == texts::cancel_none);
}

TEST_CASE("e2e: a command for another bot and an edited message get no call at all") {
  harness h;
  h.start_bot();
  auto first = h.control->send(2, "/help@OtherBot");
  h.control->edit(2, first.message_id, "/help");
  // A marker: once it is handled, the two before were handled.
  auto marker = h.control->send(2, "/start");
  auto t = h.wait_replies(2, 1);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].plain.find("Привет") == 0);
  REQUIRE(h.wait_handled(marker.update_id));
  CHECK(h.control->get_transcript(2).bot_messages().size() == 1);
  CHECK(h.control->calls(0, "sendMessage", 2).calls.size() == 1);
}

TEST_CASE("e2e: free text gets T_TEXT_HINT once a minute") {
  harness h;
  h.start_bot();
  h.control->send(3, "привет, бот");
  CHECK(last_bot_text(h.wait_replies(3, 1)) == texts::text_hint);
  h.control->send(3, "ещё текст");
  h.control->send(3, "/help");
  auto t = h.wait_replies(3, 2);
  REQUIRE(t.bot_messages().size() == 2);
  CHECK(t.bot_messages()[1].text.value_or("") == texts::help);
}

TEST_CASE("e2e: in a group personal commands are private-only and replies quote the command") {
  harness h;
  h.start_bot();
  sandbox::send_options o;
  o.chat_type = "group";
  o.chat_title = "Астрологи";
  auto sent = h.control->send(-500, "/natal", o);
  auto t = h.wait_replies(-500, 1);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].text.value_or("") == texts::private_only);
  auto calls = h.control->calls(0, "sendMessage", -500).calls;
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].params_json.find("\"message_id\":" + std::to_string(sent.message_id)) !=
        std::string::npos);
  h.control->send(-500, "/foo", o);  // unknown and not addressed to us: ignored in groups
  h.control->send(-500, "/help", o);
  t = h.wait_replies(-500, 2);
  REQUIRE(t.bot_messages().size() == 2);
  CHECK(t.bot_messages()[1].text.value_or("") == texts::help);
}

TEST_CASE("e2e: a button press is always answered") {
  harness h;
  h.start_bot();
  h.control->send(4, "/help");
  auto t = h.wait_replies(4, 1);
  REQUIRE(!t.bot_messages().empty());
  auto press = h.control->press(4, t.bot_messages()[0].message_id, "n:deadbeef:y", true);
  auto answers = h.answered_calls("answerCallbackQuery", std::nullopt, 1);
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].param_string("callback_query_id").value_or("") == press.callback_query_id);
  CHECK(answers[0].param_string("text").value_or("") == texts::stale);
  CHECK(answers[0].status == 200);
}

TEST_CASE("e2e: every message the bot sent is valid Telegram HTML within the limits") {
  harness h;
  h.start_bot();
  sandbox::send_options o;
  o.from = sandbox::user_info{9, std::string(300, '<') + "&amp;\xF0\x9F\x8C\x9F", "", "", ""};
  h.control->send(9, "/start", o);
  h.control->send(9, "/help");
  auto t = h.wait_replies(9, 2);
  REQUIRE(t.bot_messages().size() == 2);
  for (auto& m : h.answered_calls("sendMessage", 9, 2)) CHECK(m.status == 200);
  CHECK(html::validate(t.bot_messages()[0].text.value_or("")) == std::nullopt);
}
