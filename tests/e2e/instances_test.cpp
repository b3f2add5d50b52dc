// Several instances on one PostgreSQL (docs/deployment.md, "Several instances"), polling mode:
// exactly one instance polls, the other stands by and takes over when the poller dies.
// The cases are named `…<postgres>`: CTest gives them the throw-away cluster
// (tests/support/pg_tests.cmake).
#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <set>

#include "tests/e2e/burst.hpp"
#include "tests/e2e/harness.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

bool logged(const std::string& dir, const std::string& line) {
  return bot_log(dir).find(line) != std::string::npos;
}

std::string http_get(int port, const std::string& path) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(5, 0);
  auto r = c.Get(path.c_str());
  return r ? r->body : "";
}

}  // namespace

TEST_CASE(
    "e2e instances: two pollers on one PostgreSQL, the leader killed mid-burst: the standby "
    "polls within the lease, nothing lost, order kept, never two pollers <postgres>") {
  postgres_backend db;
  harness h;
  const int lease_s = 6;
  const std::map<std::string, std::string> shared = {{"DATABASE_URL", db.url()},
                                                     {"BOT_MODE", "polling"},
                                                     {"INSTANCE_LEASE_S", std::to_string(lease_s)},
                                                     {"TELEGRAM_CONNECTIONS", "8"}};
  h.start_bot(shared);
  const std::string leader_dir = h.dir.path();
  REQUIRE(wait_until([&] { return logged(leader_dir, "holds the polling lease"); }));
  temp_dir standby_dir;
  auto standby_env = bot_env(h.sandbox_server->base_url(), e2e_token, standby_dir.path());
  for (const auto& [k, v] : shared) standby_env[k] = v;
  bot_process standby(standby_env, standby_dir.path());
  standby.start();
  REQUIRE(wait_until([&] { return logged(standby_dir.path(), "standing by"); }));
  const int standby_health = logged_port_in(standby_dir.path(), health_port_marker);
  const auto before = http_get(standby_health, "/health");
  CHECK(before.find(R"("role":"standby")") != std::string::npos);
  CHECK(before.find(R"("status":"ok")") != std::string::npos);
  // Both instances are in the standby's list of live peers, the leader as leader.
  const bool leader_listed = before.find(R"("role":"leader"},{"instance")") != std::string::npos ||
                             before.find(R"("role":"leader"}])") != std::string::npos;
  CHECK(leader_listed);
  CHECK(before.find(R"("peers":[)") != std::string::npos);

  // A burst over 50 group chats, 10 numbered commands each; slow answers keep calls in flight.
  sandbox::fault slow;
  slow.method = "sendMessage";
  slow.count = 100000;
  slow.error_code = 0;
  slow.delay_ms = 10;
  h.control->add_fault(slow);
  const int updates = 500;
  burst b(*h.control, updates, 50, 0, -3000);
  // Kill the leader once part of the burst is answered.
  REQUIRE(wait_until([&] { return h.control->calls(0, "sendMessage").calls.size() >= 100; }));
  const auto before_kill = h.control->calls(0, "sendMessage").calls;
  // The killed leader's own long poll stays open at the sandbox until the next poll ends it with
  // a 409 that nobody reads (Telegram answers a dead connection the same way): that one call is
  // not two live pollers. Any other 409 is.
  std::set<std::int64_t> dead_polls;
  for (const auto& c : h.control->calls(0, "getUpdates").calls)
    if (c.status == 0) dead_polls.insert(c.seq);
  const auto killed_at = std::chrono::steady_clock::now();
  h.bot->kill_hard();
  const int in_flight_at_kill =
      calls_in_flight_at_kill(before_kill, h.control->calls(0, "sendMessage").calls);
  REQUIRE(
      wait_until([&] { return logged(standby_dir.path(), "holds the polling lease (taken over)"); },
                 (lease_s + 5) * 1000));
  const auto takeover_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - killed_at)
                               .count();
  b.join();
  // CHECK, not REQUIRE: the tally below names what is missing.
  CHECK(wait_until([&] { return all_answered(h, b.sent); }, 60000));
  // Every call answered, so no late duplicate can still come.
  CHECK(wait_until([&] {
    for (const auto& c : h.control->calls(0, "sendMessage").calls)
      if (c.status == 0) return false;
    return true;
  }));
  const auto t = compare(b.sent, answers(h));
  std::size_t conflicts = 0;
  for (const auto& c : h.control->calls(0, "getUpdates").calls)
    if (c.status == 409 && !dead_polls.count(c.seq)) ++conflicts;
  CHECK(t.lost == 0);
  CHECK(t.duplicates <= in_flight_at_kill);
  CHECK(t.out_of_order_chats == 0);
  CHECK(conflicts == 0);
  CHECK(takeover_ms <= (lease_s + 5) * 1000);
  const auto after = http_get(standby_health, "/health");
  CHECK(after.find(R"("role":"leader")") != std::string::npos);
  CHECK(http_get(standby_health, "/metrics").find("nocturna_lease_takeovers_total 1") !=
        std::string::npos);
  MESSAGE(updates << " updates over 50 chats, leader killed: lost " << t.lost << ", duplicates "
                  << t.duplicates << " (calls in flight at the kill " << in_flight_at_kill
                  << "), chats out of order " << t.out_of_order_chats << ", 409s " << conflicts
                  << ", lease taken over " << takeover_ms << " ms after the kill");
  CHECK(standby.stop() == 0);
}
