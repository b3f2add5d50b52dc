#include <doctest/doctest.h>

#include "actors/webhook_receiver.hpp"
#include "protocol/command_menu.hpp"
#include "protocol/plain_fallback.hpp"
#include "protocol/poll_watchdog.hpp"
#include "protocol/restart_policy.hpp"
#include "protocol/send_policy.hpp"
#include "protocol/two_lane_queue.hpp"

using namespace nocturna;

TEST_CASE("restart policy: five restarts in the window are allowed, the sixth escalates") {
  restart_policy p(5, 30'000);
  for (int i = 0; i < 5; ++i) CHECK(p.allow_restart(i * 1000));
  CHECK_FALSE(p.allow_restart(5000));
}

TEST_CASE("restart policy: failures older than the window are forgotten") {
  restart_policy p(2, 10'000);
  CHECK(p.allow_restart(0));
  CHECK(p.allow_restart(1000));
  CHECK(p.allow_restart(20'000));
  CHECK(p.recent() == 1);
}

TEST_CASE("restart policy: backoff doubles from 100 ms and stops at 5 s") {
  restart_policy p(100, 1'000'000);
  p.allow_restart(0);
  CHECK(p.backoff_ms() == 100);
  p.allow_restart(1);
  CHECK(p.backoff_ms() == 200);
  p.allow_restart(2);
  CHECK(p.backoff_ms() == 400);
  for (int i = 0; i < 20; ++i) p.allow_restart(3 + i);
  CHECK(p.backoff_ms() == 5000);
}

TEST_CASE("send policy: which calls take per-chat tokens, skip the FIFO, may be repeated") {
  CHECK(bot::counts_per_chat("sendMessage"));
  CHECK(bot::counts_per_chat("sendPhoto"));
  CHECK(bot::counts_per_chat("editMessageText"));
  CHECK_FALSE(bot::counts_per_chat("deleteMessage"));
  CHECK_FALSE(bot::counts_per_chat("sendChatAction"));
  CHECK(bot::skips_chat_fifo("answerCallbackQuery"));
  CHECK_FALSE(bot::skips_chat_fifo("sendChatAction"));  // never after the reply it announces
  CHECK_FALSE(bot::skips_chat_fifo("sendMessage"));
  CHECK(bot::is_idempotent("editMessageText"));
  CHECK(bot::is_idempotent("deleteMessage"));
  CHECK(bot::is_idempotent("getMe"));
  CHECK(bot::is_idempotent("setMyCommands"));
  CHECK_FALSE(bot::is_idempotent("sendMessage"));
  CHECK_FALSE(bot::is_idempotent("sendPhoto"));
  CHECK(bot::default_deadline("sendPhoto").count() == 60000);
  CHECK(bot::default_deadline("sendMessage").count() == 30000);
}

TEST_CASE("plain fallback: HTML text becomes what the user would see, without parse_mode") {
  auto plain = bot::as_plain_text_call(
      R"({"chat_id":5,"text":"<b>Жирный</b> &amp; <i>курсив</i>","parse_mode":"HTML",)"
      R"("link_preview_options":{"is_disabled":true}})");
  REQUIRE(plain.has_value());
  CHECK(*plain == R"({"chat_id":5,"text":"Жирный & курсив",)"
                  R"("link_preview_options":{"is_disabled":true}})");
  CHECK_FALSE(bot::as_plain_text_call(R"({"chat_id":5,"text":"plain"})").has_value());
  CHECK_FALSE(bot::as_plain_text_call("not json").has_value());
}

TEST_CASE(
    "command menu: every command of docs/behaviour.md §6 and /moon, then the group scope with "
    "five") {
  auto bodies = bot::command_menu_bodies();
  REQUIRE(bodies.size() == 2);
  CHECK(bodies[0].find(R"({"command":"transit","description":"Текущая карта транзитов"})") !=
        std::string::npos);
  CHECK(bodies[0].find(R"("command":"cancel")") != std::string::npos);
  CHECK(bodies[0].find("scope") == std::string::npos);
  CHECK(bodies[1].find(R"("scope":{"type":"all_group_chats"})") != std::string::npos);
  CHECK(bodies[1].find(R"("command":"natal")") == std::string::npos);
  CHECK(bodies[1].find(R"("command":"transit_aspects")") != std::string::npos);
  const std::string moon = R"({"command":"moon","description":"Лунный календарь"})";
  CHECK(bodies[0].find(moon) != std::string::npos);
  CHECK(bodies[1].find(moon) != std::string::npos);
}

TEST_CASE("poll watchdog: stalled only when a call is in flight longer than POLL_TIMEOUT + 40 s") {
  CHECK_FALSE(nocturna::poll_stalled(1'000'000, 0, 25));  // nothing in flight
  CHECK_FALSE(nocturna::poll_stalled(1'000'000 + 65'000, 1'000'000, 25));
  CHECK(nocturna::poll_stalled(1'000'000 + 65'001, 1'000'000, 25));
  CHECK(nocturna::poll_stalled(1'000'000 + 41'001, 1'000'000, 1));
}

TEST_CASE("two-lane queue: interactive items leave first, each lane in arrival order") {
  nocturna::two_lane_queue<int> q;
  CHECK(q.empty());
  q.push(1, true);
  q.push(2, false);
  q.push(3, true);
  q.push(4, false);
  CHECK(q.size() == 4);
  CHECK(q.pop() == 2);
  CHECK(q.pop() == 4);
  q.push(5, false);
  CHECK(q.pop() == 5);
  CHECK(q.pop() == 1);
  CHECK(q.pop() == 3);
  CHECK(q.empty());
}

TEST_CASE("setWebhook: a WEBHOOK_URL with port 0 gets the port the server is bound to") {
  nocturna::actors::webhook_options o;
  o.path = "/webhook";
  auto url_of = [&](const std::string& url) {
    o.url = url;
    auto body = nocturna::actors::set_webhook_body(o, 43210);
    auto start = body.find("\"url\":\"") + 7;
    return body.substr(start, body.find('"', start) - start);
  };
  CHECK(url_of("http://127.0.0.1:0") == "http://127.0.0.1:43210/webhook");
  CHECK(url_of("http://127.0.0.1:0/base") == "http://127.0.0.1:43210/base/webhook");
  CHECK(url_of("https://bot.example.com") == "https://bot.example.com/webhook");
  CHECK(url_of("https://bot.example.com:8443") == "https://bot.example.com:8443/webhook");
  CHECK(url_of("http://127.0.0.1:10") == "http://127.0.0.1:10/webhook");
}
