// Telegram's flood limits end to end: the sandbox answers like Telegram (--rate-limits: a burst of
// 3 then 1/s per chat, 30/s overall, 20 in any 60 s per group) and the bot runs with its defaults
// (TELEGRAM_RATE_LIMITS=on, CHAT_BACKLOG_LIMIT=5). Due daily forecasts go out at the broadcast
// lane's 20/s while users send /start; not one call may get a 429.
//
// NOCTURNA_E2E_FORECASTS sets the number of due forecasts (default 200, about 10 s; the figure of
// issue 15 is 1000, about 50 s: NOCTURNA_E2E_FORECASTS=1000 ctest -R 'e2e limits').
#include <doctest/doctest.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <ctime>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "clients/store/store.hpp"
#include "tests/e2e/harness.hpp"
#include "tests/e2e/subscribers.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

using steady = std::chrono::steady_clock;

int forecast_count() {
  const char* v = std::getenv("NOCTURNA_E2E_FORECASTS");
  int n = v ? std::atoi(v) : 0;
  return n > 0 ? n : 200;
}

std::map<std::string, std::string> bot_defaults() {
  return {{"TELEGRAM_RATE_LIMITS", "on"}, {"CHAT_BACKLOG_LIMIT", "5"}};
}

// The private chat of `user` exists in the sandbox (as if the user had written once), without an
// update the bot would answer: a my_chat_member "member" update, dropped at the bot's start.
void make_chat(harness& h, std::int64_t user, std::int64_t update_id) {
  const std::string id = std::to_string(user);
  const std::string bot =
      R"({"id":424242,"is_bot":true,"first_name":"Nocturna","username":"nocturna_sandbox_bot"})";
  h.control->raw(R"({"update_id":)" + std::to_string(update_id) +
                 R"(,"my_chat_member":{"chat":{"id":)" + id +
                 R"(,"type":"private","first_name":"Load"},"from":{"id":)" + id +
                 R"(,"is_bot":false,"first_name":"Load"},"date":)" +
                 std::to_string(std::time(nullptr)) + R"(,"old_chat_member":{"user":)" + bot +
                 R"(,"status":"kicked","until_date":0},"new_chat_member":{"user":)" + bot +
                 R"(,"status":"member"}}})");
}

// Every call (of `method`, or all) the sandbox has logged so far.
std::vector<sandbox::call_record> all_calls(harness& h, const std::string& method = "") {
  std::vector<sandbox::call_record> all;
  std::int64_t since = 0;
  for (;;) {
    auto page = h.control->calls(since, method);
    if (page.calls.empty()) return all;
    for (auto& c : page.calls) all.push_back(std::move(c));
    if (page.next <= since) return all;
    since = page.next;
  }
}

// The bot's /metrics text (empty when it does not answer).
std::string metrics_of(int health_port) {
  httplib::Client health("127.0.0.1", health_port);
  auto r = health.Get("/metrics");
  return r && r->status == 200 ? r->body : std::string();
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

std::size_t count_429(const std::vector<sandbox::call_record>& calls) {
  return static_cast<std::size_t>(
      std::count_if(calls.begin(), calls.end(), [](const auto& c) { return c.status == 429; }));
}

}  // namespace

TEST_CASE("e2e limits: due forecasts at 20/s while users send /start, no 429") {
  const int n = forecast_count();
  const std::int64_t first_user = 5'000'000;
  harness h(true);
  for (int i = 0; i < n; ++i) make_chat(h, first_user + i, 900'000'000 + i);
  {
    auto db = store::open_sqlite(h.dir.path() + "/data");
    const auto due = static_cast<std::int64_t>(std::time(nullptr)) - 30;
    for (int i = 0; i < n; ++i) {
      add_subscriber(*db, first_user + i, due);
    }
  }
  auto extra = bot_defaults();
  extra["TELEGRAM_DROP_PENDING"] = "true";
  const auto started = steady::now();
  h.start_bot(extra);
  const int health_port = h.health_port();
  // Users write once the bot has dropped the pending updates (the chats made above), or their
  // /start would be dropped with them.
  for (auto until = started + std::chrono::seconds(30);
       h.control->calls(0, "getUpdates").calls.empty() && h.control->stats().webhook_url.empty() &&
       steady::now() < until;)
    sleep_ms(20);

  // 50 users send /start, one every 150 ms while the forecasts go out; each measures its reply.
  const int users = 50;
  std::vector<std::future<long>> replies;
  auto pacer = std::async(std::launch::async, [&] {
    for (int i = 0; i < users; ++i) {
      replies.push_back(std::async(std::launch::async, [&h, i] {
        const std::int64_t chat = 6'000'000 + i;
        const auto t0 = steady::now();
        h.control->send(chat, "/start");
        auto t = h.control->wait(chat, 1, std::chrono::seconds(20));
        if (t.bot_messages().empty()) return -1L;
        return static_cast<long>(
            std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t0).count());
      }));
      sleep_ms(150);
    }
  });
  pacer.get();
  std::vector<long> latencies;
  for (auto& f : replies) latencies.push_back(f.get());
  std::sort(latencies.begin(), latencies.end());

  // Every forecast delivered (or the time a generous bound allows).
  const std::string all_sent = R"(nocturna_forecasts_total{result="sent"} )" + std::to_string(n);
  for (auto until = started + std::chrono::seconds(30 + n / 10);
       !has_line(metrics_of(health_port), all_sent) && steady::now() < until;)
    sleep_ms(100);
  std::vector<sandbox::call_record> forecasts;
  for (auto& c : all_calls(h, "sendMessage"))
    if (c.chat_id && *c.chat_id >= first_user && *c.chat_id < first_user + n && c.status == 200)
      forecasts.push_back(c);
  REQUIRE(static_cast<int>(forecasts.size()) == n);
  std::int64_t first_start = forecasts.front().start_ms, last_end = 0;
  for (auto& c : forecasts) {
    first_start = std::min(first_start, c.start_ms);
    last_end = std::max(last_end, c.end_ms);
  }
  // The bot's first call (getMe) marks its start on the sandbox's clock.
  const auto first_call = h.control->calls(0, "getMe").calls;
  REQUIRE_FALSE(first_call.empty());
  const double minimum_s = n / 20.0;
  const double from_first_s = (last_end - first_start) / 1000.0;
  const double from_start_s = (last_end - first_call.front().start_ms) / 1000.0;
  const auto p50 = latencies[latencies.size() / 2];
  const auto p99 = latencies[(latencies.size() * 99 + 99) / 100 - 1];
  const auto calls = all_calls(h);
  MESSAGE(n << " forecasts: first to last " << from_first_s << " s, bot start (getMe) to last "
            << from_start_s << " s, minimum " << minimum_s << " s; /start replies of " << users
            << " users: p50 " << p50 << " ms, p99 " << p99 << " ms, max " << latencies.back()
            << " ms; 429 answers: " << count_429(calls) << " of " << calls.size() << " calls");
  CHECK(count_429(calls) == 0);
  CHECK(latencies.front() >= 0);  // every /start answered
  // Replies overtake the queued forecasts: behind them, a /start would wait up to the queue's
  // length at 20/s (about 10 s here). The issue's 1 s is checked in the measured run
  // (NOCTURNA_E2E_FORECASTS set, a quiet machine); under `make test` beside other CPU-heavy tests
  // a bound that still tells "overtakes" from "queued behind" (load 11 on 2 cores measured 1.8 s).
  const long p99_bound = std::getenv("NOCTURNA_E2E_FORECASTS") ? 1000 : 5000;
  CHECK(p99 <= p99_bound);
  CHECK(from_first_s <= 1.1 * minimum_s);
}

TEST_CASE("e2e limits: a group flooded with 40 commands gets no 429") {
  harness h(true);
  h.start_bot(bot_defaults());
  const int health_port = h.health_port();
  const std::int64_t group = -1'009'001;
  for (int i = 0; i < 40; ++i) {
    sandbox::send_options o;
    o.from = sandbox::user_info{};
    o.from->id = 7'100'000 + i % 7;
    o.from->first_name = "Member";
    h.control->send(group, "/help", o);
  }
  // All 40 handled (answered, or acknowledged by the backlog limit), nothing waiting in the
  // sender, nothing in flight at the sandbox.
  bool settled = false;
  for (auto until = steady::now() + std::chrono::seconds(90); !settled && steady::now() < until;) {
    auto m = metrics_of(health_port);
    settled = has_line(m, "nocturna_update_handling_seconds_count 40") &&
              has_line(m, "nocturna_sender_queued_calls 0");
    if (settled)
      for (auto& c : h.control->calls(0, "sendMessage").calls) settled = settled && c.status != 0;
    if (!settled) sleep_ms(100);
  }
  REQUIRE(settled);
  const auto replies = h.control->get_transcript(group).bot_messages().size();
  const auto calls = all_calls(h);
  MESSAGE("group flood: " << replies << " replies, " << count_429(calls) << " 429 answers of "
                          << calls.size() << " calls");
  CHECK(replies > 0);
  CHECK(count_429(calls) == 0);
}
