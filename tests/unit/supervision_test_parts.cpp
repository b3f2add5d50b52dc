// The pure and thread-safe parts that make supervision hold: the call ledger, the store outbox,
// the restart set (rest-for-one) and the JSON log line.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "actors/call_ledger.hpp"
#include "actors/intake.hpp"
#include "actors/runtime.hpp"
#include "actors/store_outbox.hpp"
#include "clients/log_format.hpp"
#include "clients/store/store.hpp"
#include "protocol/supervision_plan.hpp"
#include "tests/support/bot_process.hpp"

using namespace nocturna;
using namespace nocturna::actors;

namespace {

bot::api_response accepted(std::string result) {
  bot::api_response r;
  r.kind = bot::outcome::ok;
  r.result_json = std::move(result);
  return r;
}

}  // namespace

TEST_CASE("intake backpressure pauses above the limit and resumes at half of it") {
  CHECK_FALSE(intake_paused(100, 100, false));
  CHECK(intake_paused(101, 100, false));
  CHECK(intake_paused(51, 100, true));  // still paused between half and the limit
  CHECK(intake_paused(100, 100, true));
  CHECK_FALSE(intake_paused(50, 100, true));
  CHECK_FALSE(intake_paused(0, 100, false));
}

using claim = call_ledger::claim;

TEST_CASE("call ledger: a call made once is answered from the ledger afterwards") {
  call_ledger ledger;
  bot::api_response answer;
  CHECK(ledger.begin({7, 0}, &answer) == claim::proceed);
  ledger.finish({7, 0}, accepted(R"({"message_id":1})"));
  REQUIRE(ledger.begin({7, 0}, &answer) == claim::answered);
  CHECK(answer.result_json == R"({"message_id":1})");
  CHECK(ledger.begin({7, 1}, &answer) == claim::proceed);  // another seq: a new call
}

TEST_CASE("call ledger: answers older than a moment are forgotten, newer ones kept") {
  call_ledger ledger;
  bot::api_response answer;
  ledger.begin({1, 0}, &answer);
  ledger.finish({1, 0}, accepted(R"({"message_id":1})"));
  const auto between = steady_ms() + 1;
  while (steady_ms() <= between) std::this_thread::yield();  // the next answer is strictly newer
  ledger.begin({2, 0}, &answer);
  ledger.finish({2, 0}, accepted(R"({"message_id":2})"));
  CHECK(ledger.remembered() == 2);
  CHECK(ledger.forget_before(between) == 1);
  CHECK(ledger.remembered() == 1);
  CHECK(ledger.begin({1, 0}, &answer) == claim::proceed);  // forgotten: made anew
  CHECK(ledger.begin({2, 0}, &answer) == claim::answered);
  CHECK(ledger.forget_before(steady_ms() + 1) == 1);
  CHECK(ledger.remembered() == 0);
}

TEST_CASE(
    "call ledger: a second asker is told to wait while the call is in flight, then answered") {
  call_ledger ledger;
  bot::api_response answer;
  REQUIRE(ledger.begin({8, 0}, &answer) == claim::proceed);
  CHECK(ledger.begin({8, 0}, &answer) == claim::busy);
  ledger.finish({8, 0}, accepted("42"));
  REQUIRE(ledger.begin({8, 0}, &answer) == claim::answered);
  CHECK(answer.result_json == "42");
}

TEST_CASE("call ledger: past its deadline a second asker takes a stuck call over") {
  call_ledger ledger;
  bot::api_response answer;
  REQUIRE(ledger.begin({10, 0}, &answer) == claim::proceed);
  CHECK(ledger.begin({10, 0}, &answer, true) == claim::proceed);
}

TEST_CASE("call ledger: after a failed call the waiter makes it itself, and the bound holds") {
  call_ledger ledger(2);
  bot::api_response answer;
  REQUIRE(ledger.begin({9, 0}, &answer) == claim::proceed);
  ledger.finish({9, 0}, bot::network_failure("reset"));
  CHECK(ledger.begin({9, 0}, &answer) == claim::proceed);
  ledger.finish({9, 0}, accepted("a"));
  for (int seq = 1; seq <= 2; ++seq) {
    ledger.begin({9, seq}, &answer);
    ledger.finish({9, seq}, accepted("b"));
  }
  CHECK(ledger.remembered() == 2);
  CHECK(ledger.begin({9, 0}, &answer) == claim::proceed);  // forgotten: the oldest
}

TEST_CASE("store outbox: entries wait in order, a failed batch goes back in front") {
  store_outbox outbox(3);
  bool was_empty = false;
  CHECK(outbox.add_done(1, &was_empty));
  CHECK(was_empty);
  CHECK(outbox.add_sent({1, 0, "r"}, &was_empty));
  CHECK_FALSE(was_empty);
  auto batch = outbox.take();
  CHECK(outbox.size() == 0);
  CHECK(batch.done == std::vector<std::int64_t>{1});
  REQUIRE(batch.sent.size() == 1);
  CHECK(outbox.add_done(2));
  outbox.restore(std::move(batch));
  auto again = outbox.take();
  CHECK(again.done == std::vector<std::int64_t>{1, 2});
  CHECK(outbox.add_done(3));
  CHECK(outbox.add_done(4));
  CHECK(outbox.add_done(5));
  CHECK_FALSE(outbox.add_done(6));  // bounded
}

TEST_CASE("store outbox: what waits is committed before an inbox write, on SQLite") {
  testing::temp_dir dir;
  auto db = store::open_store({dir.path(), ""});
  std::vector<store::inbox_row> rows{{1, 10, "{}"}, {2, 10, "{}"}};
  db->insert_batch(rows, 3);
  store_outbox outbox;
  CHECK(outbox.add_sent({1, 0, "first reply"}));
  CHECK(outbox.add_done(1));
  auto sent = outbox.after_commit(*db, [](store::store& s) { return s.sent_for(1); });
  CHECK(sent == std::map<int, std::string>{{0, "first reply"}});
  CHECK(outbox.size() == 0);
  CHECK(db->find(1)->state == store::inbox_state::done);
  CHECK(db->find(2)->state == store::inbox_state::pending);
}

TEST_CASE("store outbox: a lookup sees every entry added before it, while another thread commits") {
  testing::temp_dir dir;
  auto writer_db = store::open_store({dir.path(), ""});
  auto reader_db = store::open_store({dir.path(), ""});
  store_outbox outbox;
  std::atomic<int> added{0};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int seq = 0; seq < 100; ++seq) {
      outbox.add_sent({7, seq, "r"});
      added = seq + 1;
      outbox.commit(*writer_db);
    }
    done = true;
  });
  int misses = 0;
  while (!done) {
    int before = added.load();
    auto sent = outbox.after_commit(*reader_db, [](store::store& s) { return s.sent_for(7); });
    if (static_cast<int>(sent.size()) < before) ++misses;
  }
  writer.join();
  CHECK(misses == 0);
  CHECK(reader_db->sent_for(7).size() == 100);
}

TEST_CASE("restart set: a failed child alone, or with its dependants in start order") {
  std::vector<child_deps> tree = {
      {"store", {}},  {"sender", {}},           {"dispatcher", {}},
      {"poller", {}}, {"watchdog", {"poller"}}, {"audit", {"watchdog"}}};
  CHECK(restart_set(tree, 0) == std::vector<std::size_t>{0});
  CHECK(restart_set(tree, 2) == std::vector<std::size_t>{2});
  CHECK(restart_set(tree, 3) == std::vector<std::size_t>{3, 4, 5});
  CHECK(restart_set(tree, 4) == std::vector<std::size_t>{4, 5});
}

TEST_CASE("json log line: the fields come from the line convention") {
  auto line = json_log_line(1765049401123, "error", "main",
                            "[dispatcher] chat=-42 update=1001 session crashed (boom \"x\")");
  CHECK(line == R"j({"ts":"2025-12-06T19:30:01.123Z","level":"error","actor":"dispatcher",)j"
                R"j("chat_id":-42,"update_id":1001,"event":"session",)j"
                R"j("msg":"chat=-42 update=1001 session crashed (boom \"x\")"})j");
  auto bare = json_log_line(0, "info", "main", "bot running event=start");
  CHECK(bare == R"j({"ts":"1970-01-01T00:00:00.000Z","level":"info","actor":"main",)j"
                R"j("chat_id":null,"update_id":null,"event":"start",)j"
                R"j("msg":"bot running event=start"})j");
}
