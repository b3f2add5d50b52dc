// The runtime's promises through the sandbox (docs/telegram.md §2, §3, §6, §8): order per chat with
// parallelism across chats, no re-delivery after a graceful restart, poison updates skipped,
// 429 and 5xx handling, stop within 2 s, no token in the logs.
#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <set>

#include "protocol/texts.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

TEST_CASE("e2e: 100 chats x 20 messages are all answered, in order per chat, chats in parallel") {
  harness h;
  h.start_bot({{"TELEGRAM_CONNECTIONS", "16"}});
  // Slow answers make concurrent calls visible in the sandbox's statistics.
  sandbox::fault slow;
  slow.method = "sendMessage";
  slow.count = 300;
  slow.error_code = 0;
  slow.delay_ms = 20;
  h.control->add_fault(slow);
  sandbox::send_options group;
  group.chat_type = "group";
  std::map<std::int64_t, std::vector<std::int64_t>> sent;  // chat → command message ids
  for (int round = 0; round < 20; ++round)
    for (int chat = 0; chat < 100; ++chat) {
      std::int64_t id = -1000 - chat;
      sent[id].push_back(h.control->send(id, "/help", group).message_id);
    }
  for (auto& [chat, ids] : sent) {
    auto t = h.wait_replies(chat, ids.size(), 60000);
    REQUIRE_MESSAGE(t.bot_messages().size() == ids.size(), "chat " << chat);
  }
  std::map<std::int64_t, std::vector<std::int64_t>> answered;
  for (auto& c : h.answered_calls("sendMessage", std::nullopt, 2000)) {
    REQUIRE(c.chat_id.has_value());
    CHECK(c.status == 200);
    answered[*c.chat_id].push_back(quoted_message(c));
  }
  for (auto& [chat, ids] : sent) CHECK_MESSAGE(answered[chat] == ids, "chat " << chat);
  auto stats = h.control->stats();
  CHECK(stats.max_in_flight > 1);
  CHECK(stats.max_in_flight_per_chat == 1);
  MESSAGE("max calls in flight: " << stats.max_in_flight);
}

TEST_CASE("e2e: a graceful stop confirms the offset and a restart re-delivers nothing") {
  harness h;
  h.start_bot();
  for (int i = 0; i < 3; ++i) h.control->send(11, "/help");
  REQUIRE(h.wait_replies(11, 3).bot_messages().size() == 3);
  CHECK(h.bot->stop() == 0);
  // Well inside a container's grace period; a sanitized build runs slower (time_factor.hpp).
  CHECK(h.bot->last_stop_ms() < scaled_ms(2000));
  MESSAGE("graceful stop took " << h.bot->last_stop_ms() << " ms");
  CHECK(h.control->stats().pending_updates == 0);
  h.start_bot();
  auto last = h.control->send(11, "/start");
  auto t = h.wait_replies(11, 4);
  REQUIRE(t.bot_messages().size() == 4);
  REQUIRE(h.wait_handled(last.update_id));
  auto final_transcript = h.control->get_transcript(11);
  CHECK(final_transcript.bot_messages().size() == 4);
  CHECK(h.control->calls(0, "sendMessage", 11).calls.size() == 4);
}

TEST_CASE("e2e: updates that arrive while the bot is down are answered once after it starts") {
  harness h;
  h.start_bot();
  h.control->send(12, "/help");
  REQUIRE(h.wait_replies(12, 1).bot_messages().size() == 1);
  REQUIRE(h.bot->stop() == 0);
  h.control->send(12, "/start");
  auto last = h.control->send(12, "/help");
  h.start_bot();
  auto t = h.wait_replies(12, 3);
  REQUIRE(t.bot_messages().size() == 3);
  REQUIRE(h.wait_handled(last.update_id));
  CHECK(h.control->calls(0, "sendMessage", 12).calls.size() == 3);
}

TEST_CASE("e2e: a poison update is skipped and later updates are still answered") {
  harness h;
  h.start_bot();
  auto help = h.control->send(13, "/help");
  REQUIRE(h.wait_replies(13, 1).bot_messages().size() == 1);
  // Ids above those handed out: an id below the bot's offset would be confirmed unseen.
  const auto id = std::to_string(help.update_id + 1), next = std::to_string(help.update_id + 2);
  auto poison_id = h.control->raw(R"({"update_id":)" + id + R"(,"message":42})");
  h.control->raw(R"({"update_id":)" + next + R"(,"message":{"message_id":"x","chat":{}}})");
  h.control->raw(R"(["not", "an", "update"])");
  h.control->send(13, "/start");
  auto t = h.wait_replies(13, 2);
  REQUIRE(t.bot_messages().size() == 2);
  CHECK(t.bot_messages()[1].plain.find("Привет") == 0);
  CHECK(h.bot->running());
  CHECK(wait_until([&] { return h.control->stats().pending_updates == 0; }));
  CHECK(wait_until(
      [&] { return h.log_file().find(std::to_string(poison_id)) != std::string::npos; }));
}

TEST_CASE("e2e: a 429 freezes all sending for retry_after, then the call is retried") {
  harness h;
  h.start_bot();
  // The start-up calls (getMe of the intake, the dispatcher and the inline answerer, the menus)
  // first: one handed to a worker a moment before the 429 came back may still reach the server
  // after it, which the freeze cannot undo and this test is not about.
  h.control->send(13, "/help");
  REQUIRE(h.wait_replies(13, 1).bot_messages().size() == 1);
  REQUIRE(wait_until([&] {
    for (auto& c : h.control->calls(0).calls)
      if (c.status == 0 && c.method != "getUpdates") return false;
    return true;
  }));
  sandbox::fault flood;
  flood.method = "sendMessage";
  flood.count = 1;
  flood.error_code = 429;
  flood.retry_after = 1;
  h.control->add_fault(flood);
  h.control->send(14, "/help");
  // Once the 429 was answered, another chat's reply must wait for the freeze too.
  REQUIRE(wait_until([&] {
    for (auto& c : h.control->calls(0, "sendMessage").calls)
      if (c.status == 429) return true;
    return false;
  }));
  h.control->send(15, "/help");
  REQUIRE(h.wait_replies(14, 1).bot_messages().size() == 1);
  REQUIRE(h.wait_replies(15, 1).bot_messages().size() == 1);
  auto calls = h.control->calls(0).calls;
  const sandbox::call_record* flooded = nullptr;
  for (auto& c : calls)
    if (c.status == 429) flooded = &c;
  REQUIRE(flooded != nullptr);
  for (auto& c : calls) {
    if (c.seq <= flooded->seq || c.method == "getUpdates") continue;
    // Nothing of any method went out before retry_after (1 s) expired.
    CHECK_MESSAGE(c.start_ms >= flooded->end_ms + 1000,
                  c.method << " chat " << c.chat_id.value_or(0) << " at " << c.start_ms
                           << "; the 429 (chat " << flooded->chat_id.value_or(0) << ") ran "
                           << flooded->start_ms << "-" << flooded->end_ms);
  }
  CHECK(h.control->calls(0, "sendMessage").calls.size() == 4);  // the warm-up, 429, retry, chat 15
}

TEST_CASE("e2e: 5xx answers are retried and the reply still arrives once") {
  harness h;
  h.start_bot();
  sandbox::fault down;
  down.method = "sendMessage";
  down.count = 2;
  down.error_code = 502;
  down.raw_body = "<html>Bad Gateway</html>";
  h.control->add_fault(down);
  h.control->send(16, "/help");
  auto t = h.wait_replies(16, 1);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].text.value_or("") == texts::help);
  auto calls = h.answered_calls("sendMessage", 16, 3);
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].status == 502);
  CHECK(calls[1].status == 502);
  CHECK(calls[2].status == 200);
}

TEST_CASE("e2e: a reply to a group that became a supergroup goes to the new chat once") {
  harness h;
  h.start_bot();
  sandbox::send_options supergroup;
  supergroup.chat_type = "supergroup";
  h.control->send(-1009, "hello", supergroup);  // the new chat exists; plain text gets no reply
  sandbox::fault moved;
  moved.method = "sendMessage";
  moved.chat_id = -1008;
  moved.count = 0;  // every call to the old chat
  moved.error_code = 400;
  moved.description = "Bad Request: group chat was upgraded to a supergroup chat";
  moved.migrate_to_chat_id = -1009;
  h.control->add_fault(moved);
  sandbox::send_options group;
  group.chat_type = "group";
  h.control->send(-1008, "/help", group);
  auto t = h.wait_replies(-1009, 1);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].text.value_or("") == texts::help);
  CHECK(h.answered_calls("sendMessage", -1008, 1).size() == 1);
  CHECK(h.answered_calls("sendMessage", -1009, 1).size() == 1);
  CHECK(h.control->get_transcript(-1008).bot_messages().empty());
  CHECK(h.log_file().find("chat migrated to -1009") != std::string::npos);
}

TEST_CASE("e2e: a getUpdates stalled past POLL_TIMEOUT + 40 s is aborted and polling resumes") {
  harness h;
  h.start_bot({{"POLL_TIMEOUT", "1"}});
  const int health_port = h.health_port();
  REQUIRE(h.answered_calls("getUpdates", std::nullopt, 1).size() >= 1);
  // The read timeout (POLL_TIMEOUT + 10 s) never fires: a byte arrives every second.
  sandbox::fault stall;
  stall.method = "getUpdates";
  stall.error_code = 0;
  stall.delay_ms = 600000;
  stall.trickle_ms = 1000;
  h.control->add_fault(stall);
  // Counted after the fault is in place: a getUpdates logged after this count takes the fault (the
  // sandbox logs a call before it looks for faults). Counted before, a poll logged in between
  // would pass unstalled and carry the update.
  const auto polls = h.control->calls(0, "getUpdates").calls.size();
  // The update goes once the next getUpdates (the one that takes the fault) is in flight. A poll
  // logged just before the fault went in but not yet past the sandbox's fault lookup takes it
  // instead: then the next getUpdates is the one after the watchdog's abort, 41 s on.
  REQUIRE(
      wait_until([&] { return h.control->calls(0, "getUpdates").calls.size() > polls; }, 60000));
  h.control->send(19, "/help");
  auto t = h.wait_replies(19, 1, 90000);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].text.value_or("") == texts::help);
  auto log = h.log_file();
  CHECK(log.find("[watchdog] actor=poller getUpdates in flight for") != std::string::npos);
  CHECK(log.find("reason=watchdog new connection") != std::string::npos);
  httplib::Client health("127.0.0.1", health_port);
  auto metrics = health.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("nocturna_poll_watchdog_aborts_total 1") != std::string::npos);
}

TEST_CASE("e2e: idle sessions are evicted, the heap handed back and measured, chats go on") {
  harness h;
  h.start_bot({{"SESSION_IDLE_S", "1"}});
  const int health_port = h.health_port();
  for (std::int64_t chat : {31, 32, 33}) h.control->send(chat, "/help");
  for (std::int64_t chat : {31, 32, 33})
    REQUIRE(h.wait_replies(chat, 1).bot_messages().size() == 1);
  auto metrics = [&] {
    httplib::Client m("127.0.0.1", health_port);
    auto res = m.Get("/metrics");
    return res ? res->body : std::string();
  };
  // The sweep stops the three idle sessions and 2 s later the heap is trimmed and measured.
  CHECK(wait_until(
      [&] { return h.log_file().find("idle sessions evicted, 0 left") != std::string::npos; }));
  CHECK(wait_until(
      [&] { return metrics().find("\nnocturna_sessions_alive 0") != std::string::npos; }));
  auto after = metrics();
  auto at = after.find("\nnocturna_heap_in_use_bytes ");
  REQUIRE(at != std::string::npos);
#ifndef __SANITIZE_ADDRESS__
  // (Built with AddressSanitizer, `make sanitize`, the bot is linked without jemalloc and allocates
  // through the sanitizer's own allocator: there is nothing to trim and this figure reads 0.)
  CHECK(std::atof(after.c_str() + at + 28) > 1e6);  // the gazetteer and ephemeris alone
  // The bot's heap is jemalloc's (CMakeLists.txt), read through its own statistics.
  CHECK(h.log_file().find("heap=jemalloc") != std::string::npos);
#endif
  CHECK(after.find("\nnocturna_heap_free_bytes ") != std::string::npos);
  // libgeonames was read by the bot's child process, not in the bot
  // (clients/geo/geonames_child.hpp).
  CHECK(h.log_file().find("(read by a child process)") != std::string::npos);
  // A chat whose session went gets a new one.
  h.control->send(31, "/help");
  CHECK(h.wait_replies(31, 2).bot_messages().size() == 2);
}

TEST_CASE("e2e: the log records the run and contains no token") {
  harness h;
  h.start_bot();
  h.control->send(18, "/help");
  REQUIRE(h.wait_replies(18, 1).bot_messages().size() == 1);
  h.bot->stop();
  auto log = h.log_file();
  CHECK(log.find("sendMessage") != std::string::npos);  // debug level logs every call
  CHECK(log.find(e2e_token) == std::string::npos);
  CHECK(log.find("e2e-SECRET") == std::string::npos);
  CHECK(h.bot->output().find(e2e_token) == std::string::npos);
}

TEST_CASE("e2e: a rejected token stops the bot with exit code 2") {
  harness h;
  h.env["TELEGRAM_BOT_TOKEN"] = "1:wrong-token";
  h.start_bot();
  CHECK(h.bot->wait_exit(10000) == 2);
  CHECK(h.bot->output().find("wrong-token") == std::string::npos);
}

TEST_CASE("e2e: a bad configuration value stops start-up with exit code 2 naming it") {
  harness h;
  h.start_bot({{"LOG_LEVEL", "loud"}});
  CHECK(h.bot->wait_exit(5000) == 2);
  CHECK(h.bot->output().find("LOG_LEVEL") != std::string::npos);
}
