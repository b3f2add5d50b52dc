// The polling leader lease (clients/store/leader_lease.hpp) on the throw-away PostgreSQL cluster:
// one holder at a time, and the lease passes on as soon as the holder's connection is gone.
#include "clients/store/leader_lease.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <thread>

#include "tests/unit/store_backends.hpp"

using namespace nocturna;
using testing::postgres_backend;

namespace {

// A key no other test (running beside this one on the same cluster) uses.
std::int64_t fresh_key() {
  static std::mt19937_64 rng{std::random_device{}()};
  return static_cast<std::int64_t>(rng());
}

// PostgreSQL ends a closed connection's session (and frees its locks) on its own schedule:
// wait for the condition, with a bound, instead of assuming it already happened.
bool takes_within(store::leader_lease& lease, std::chrono::seconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!lease.try_acquire()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace

TEST_CASE("leader lease: one holder at a time, the next takes it when the holder goes <postgres>") {
  postgres_backend db;
  const auto key = fresh_key();
  auto first = std::make_unique<store::leader_lease>(db.url(), key, 15);
  store::leader_lease second(db.url(), key, 15);
  store::leader_lease other_bot(db.url(), key + 1, 15);
  REQUIRE(first->try_acquire());
  CHECK(first->still_held());
  CHECK_FALSE(second.try_acquire());
  CHECK(second.last_error() == "held by another instance");
  CHECK(other_bot.try_acquire());  // another bot's lease is independent
  CHECK(first->try_acquire());     // asking again while holding keeps it
  first.reset();                   // the holder's connection closes (as at kill -9)
  CHECK(takes_within(second, std::chrono::seconds(10)));
  CHECK(second.still_held());
}

TEST_CASE("leader lease: a holder whose session was ended knows it lost the lease <postgres>") {
  postgres_backend db;
  const auto key = fresh_key();
  store::leader_lease holder(db.url(), key, 15);
  store::leader_lease standby(db.url(), key, 15);
  REQUIRE(holder.try_acquire());
  // An advisory lock on a bigint key shows in pg_locks as classid (high half) and objid (low).
  const auto bits = static_cast<std::uint64_t>(key);
  db.exec_raw(
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND "
      "classid = " +
      std::to_string(bits >> 32) + " AND objid = " + std::to_string(bits & 0xffffffffu) +
      " AND objsubid = 1");
  CHECK_FALSE(holder.still_held());
  CHECK_FALSE(holder.held());
  CHECK(takes_within(standby, std::chrono::seconds(10)));
}

TEST_CASE("leader lease: heartbeats on the lease's connection list the live instances <postgres>") {
  postgres_backend db;
  db.open();  // the schema, with the table of instances
  const auto key = fresh_key();
  store::leader_lease leader(db.url(), key, 15);
  store::leader_lease standby(db.url(), key, 15);
  REQUIRE(leader.try_acquire());
  CHECK(leader.beat("inst-a", "leader") ==
        std::vector<std::pair<std::string, std::string>>{{"inst-a", "leader"}});
  const auto seen = standby.beat("inst-b", "standby");
  CHECK(seen == std::vector<std::pair<std::string, std::string>>{{"inst-a", "leader"},
                                                                 {"inst-b", "standby"}});
  CHECK(leader.held());  // beating keeps the lock
  standby.forget("inst-b");
  CHECK(leader.beat("inst-a", "leader").size() == 1);
}

TEST_CASE("leader lease: an unreachable database is 'not now', with the password removed") {
  store::leader_lease lease("postgresql://bot:pa%24%24word@127.0.0.1:1/nocturna", 42, 15);
  CHECK_FALSE(lease.try_acquire());
  CHECK_FALSE(lease.still_held());
  CHECK(lease.last_error().find("pa$$word") == std::string::npos);
  CHECK(lease.last_error().find("pa%24%24word") == std::string::npos);
  CHECK(lease.last_error().find("127.0.0.1:1") != std::string::npos);
}

TEST_CASE("leader lease: the key depends on the bot id only, never on the token's secret") {
  CHECK(store::polling_lease_key("123:secret-a") == store::polling_lease_key("123:secret-b"));
  CHECK(store::polling_lease_key("123:secret-a") != store::polling_lease_key("124:secret-a"));
}
