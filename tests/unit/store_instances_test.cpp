// Several instances on one database (clients/store/sql_store_instances.cpp), on both store
// backends: one holder per chat, takeover after the lease ran out, pick-up of rows received by
// another instance, and the heartbeats of live instances.
#include <doctest/doctest.h>

#include <ctime>

#include "tests/unit/store_backends.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

std::vector<std::int64_t> ids(const std::vector<store::inbox_row>& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.update_id);
  return out;
}

const std::int64_t t0 = 1'800'000'000;  // a fixed clock: leases are compared, never waited for

}  // namespace

TEST_CASE_TEMPLATE("store: one instance holds a chat until its lease runs out", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  CHECK(db->lease_chat(10, "b", t0 + 1, t0 + 16) == "a");   // a holds it
  CHECK(db->lease_chat(10, "a", t0 + 5, t0 + 20) == "a");   // a extends it
  CHECK(db->lease_chat(10, "b", t0 + 16, t0 + 31) == "a");  // still a's until t0 + 20
  CHECK(db->lease_chat(10, "b", t0 + 21, t0 + 36) == "b");  // a's ran out: b takes over
  CHECK(db->lease_chat(11, "a", t0 + 21, t0 + 36) == "a");  // another chat is independent
  CHECK(db->renew_chat_leases("a", t0 + 50) == 1);
  CHECK(db->lease_chat(11, "b", t0 + 40, t0 + 55) == "a");  // renewed
  db->release_chat(11, "b");                                // not b's: nothing
  CHECK(db->lease_chat(11, "b", t0 + 40, t0 + 55) == "a");
  db->release_chat(11, "a");
  CHECK(db->lease_chat(11, "b", t0 + 40, t0 + 55) == "b");
}

TEST_CASE_TEMPLATE("store: the holder picks up its chats' rows once, in order, and a dead one's", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  REQUIRE(db->lease_chat(20, "b", t0, t0 + 15) == "b");
  // Instance b received rows for both chats (and c for chat 30, which nobody holds yet).
  db->insert_batch({pending_row(1, 10), pending_row(2, 20), pending_row(3, 10), pending_row(4, 30)},
                   5);
  auto a_rows = db->claim_chat_rows("a", t0 + 1, t0 + 16);
  // a holds chat 10, and takes chat 30 (pending rows, no holder).
  CHECK(ids(a_rows) == std::vector<std::int64_t>{1, 3, 4});
  CHECK(db->lease_chat(30, "b", t0 + 1, t0 + 16) == "a");
  CHECK(ids(db->claim_chat_rows("b", t0 + 1, t0 + 16)) == std::vector<std::int64_t>{2});
  // Nothing new: nothing returned twice.
  CHECK(db->claim_chat_rows("a", t0 + 2, t0 + 17).empty());
  db->insert_batch({pending_row(5, 10)}, 6);
  CHECK(ids(db->claim_chat_rows("a", t0 + 3, t0 + 18)) == std::vector<std::int64_t>{5});
  db->mark_done({1, 3});
  // a dies: its leases run out, b takes its chats and the rows a left pending.
  auto b_rows = db->claim_chat_rows("b", t0 + 19, t0 + 34);
  CHECK(ids(b_rows) == std::vector<std::int64_t>{4, 5});
  CHECK(db->lease_chat(10, "a", t0 + 20, t0 + 35) == "b");
}

TEST_CASE_TEMPLATE("store: a pick-up takes the oldest rows first, each exactly once", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  db->insert_batch({pending_row(1, 10), pending_row(2, 10), pending_row(3, 10), pending_row(4, 10),
                    pending_row(5, 10)},
                   6);
  CHECK(ids(db->claim_chat_rows("a", t0, t0 + 15, 2)) == std::vector<std::int64_t>{1, 2});
  CHECK(ids(db->claim_chat_rows("a", t0, t0 + 15, 2)) == std::vector<std::int64_t>{3, 4});
  CHECK(ids(db->claim_chat_rows("a", t0, t0 + 15, 2)) == std::vector<std::int64_t>{5});
  CHECK(db->claim_chat_rows("a", t0, t0 + 15, 2).empty());
}

TEST_CASE_TEMPLATE("store: live instances are those with a recent heartbeat, with their chats", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->heartbeat("a", "webhook", "serving", t0);
  db->heartbeat("b", "webhook", "serving", t0 + 10);
  db->heartbeat("a", "webhook", "serving", t0 + 12);  // a beats again
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  REQUIRE(db->lease_chat(11, "a", t0, t0 + 15) == "a");
  auto live = db->live_instances(t0 + 5);
  REQUIRE(live.size() == 2);
  CHECK(live[0].instance_id == "a");
  CHECK(live[0].chats == 2);
  CHECK(live[0].heartbeat_at == t0 + 12);
  CHECK(live[1].instance_id == "b");
  CHECK(live[1].chats == 0);
  CHECK(db->live_instances(t0 + 11).size() == 1);
  db->forget_instance("a");
  CHECK(db->live_instances(0).size() == 1);
  CHECK(db->lease_chat(10, "b", t0 + 1, t0 + 16) == "b");  // a's chats were released
}

TEST_CASE_TEMPLATE("store: rows another instance claimed come back marked as taken over", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  db->insert_batch({pending_row(1, 10), pending_row(2, 10)}, 3);
  REQUIRE(ids(db->claim_chat_rows("a", t0, t0 + 15)) == std::vector<std::int64_t>{1, 2});
  db->insert_batch({pending_row(3, 10)}, 4);
  // a dies with rows 1 and 2 claimed; row 3 never ran anywhere.
  auto rows = db->claim_chat_rows("b", t0 + 16, t0 + 31);
  REQUIRE(ids(rows) == std::vector<std::int64_t>{1, 2, 3});
  CHECK(rows[0].taken_over);
  CHECK(rows[1].taken_over);
  CHECK_FALSE(rows[2].taken_over);
}

TEST_CASE_TEMPLATE("store: a chat whose claimed row still runs is not released", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  db->insert_batch({pending_row(1, 10)}, 2);
  REQUIRE(ids(db->claim_chat_rows("a", t0, t0 + 15)) == std::vector<std::int64_t>{1});
  db->release_chat(10, "a");
  CHECK(db->lease_chat(10, "b", t0 + 1, t0 + 16) == "a");
  db->mark_done({1});
  db->release_chat(10, "a");
  CHECK(db->lease_chat(10, "b", t0 + 1, t0 + 16) == "b");
}

TEST_CASE_TEMPLATE("store: an instance's claimed rows are listed in pages, others' are not", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  REQUIRE(db->lease_chat(10, "a", t0, t0 + 15) == "a");
  REQUIRE(db->lease_chat(20, "b", t0, t0 + 15) == "b");
  db->insert_batch({pending_row(1, 10), pending_row(2, 20), pending_row(3, 10), pending_row(4, 10)},
                   5);
  REQUIRE(db->claim_chat_rows("a", t0, t0 + 15).size() == 3);
  REQUIRE(db->claim_chat_rows("b", t0, t0 + 15).size() == 1);
  db->mark_done({3});
  CHECK(ids(db->claimed_rows("a", 0, 1)) == std::vector<std::int64_t>{1});
  CHECK(ids(db->claimed_rows("a", 1, 10)) == std::vector<std::int64_t>{4});
  CHECK(ids(db->claimed_rows("b", 0, 10)) == std::vector<std::int64_t>{2});
}
