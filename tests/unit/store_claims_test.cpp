// Claims on inbox rows (docs/architecture.md "Claims and leases") and the LLM counter keyed by
// update, on both store backends.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>

#include "tests/unit/store_backends.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

std::int64_t now_s() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

TEST_CASE_TEMPLATE("store: a claim takes unclaimed and expired rows, not another owner's", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->insert_batch({pending_row(1, 10), pending_row(2, 10), pending_row(3, 11)}, 4);
  db->mark_done({2});
  auto first = db->claim_pending("bot-a", now_s() + 600, false);
  REQUIRE(first.size() == 2);
  CHECK(first[0].update_id == 1);
  CHECK(first[1].update_id == 3);
  // Another instance sharing the database gets nothing while a's lease runs.
  CHECK(db->claim_pending("bot-b", now_s() + 600, false).empty());
  // a claims again (a restarted dispatcher of the same process): its own rows come back.
  CHECK(db->claim_pending("bot-a", now_s() + 600, false).size() == 2);
  // A lease that ran out frees the rows for anyone.
  db->claim_pending("bot-a", now_s() - 1, false);
  CHECK(db->claim_pending("bot-b", now_s() + 600, false).size() == 2);
  // One instance alone takes over everything pending.
  auto all = db->claim_pending("bot-c", now_s() + 600, true);
  CHECK(all.size() == 2);
  // Crashes counted on a row come with it.
  db->add_attempt(3);
  auto again = db->claim_pending("bot-c", now_s() + 600, false);
  REQUIRE(again.size() == 2);
  CHECK(again[1].attempts == 1);
}

TEST_CASE_TEMPLATE("store: pending rows come back in pages, every one exactly once", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  std::vector<store::inbox_row> rows;
  for (std::int64_t id = 1; id <= 25; ++id) rows.push_back(pending_row(id, 100 + id % 3));
  db->insert_batch(rows, 26);
  db->mark_done({7});
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = db->claim_pending("bot-a", now_s() + 600, true, after, 10);
    CHECK(page.size() <= 10);
    for (auto& r : page) seen.push_back(r.update_id);
    if (page.size() < 10) break;
    after = page.back().update_id;
  }
  REQUIRE(seen.size() == 24);  // 25 rows, one done
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i - 1] < seen[i]);
  CHECK(std::find(seen.begin(), seen.end(), 7) == seen.end());
}

TEST_CASE_TEMPLATE("store: the LLM generation of one update counts once however often re-run", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->count_llm_generation(5, "2026-12-06", 100) == 1);
  CHECK(db->count_llm_generation(5, "2026-12-06", 100) == 1);  // the re-run
  CHECK(db->count_llm_generation(5, "2026-12-06", 101) == 2);
  CHECK(db->llm_count(5, "2026-12-06") == 2);
  // A reopened store (a restarted process) remembers it.
  auto reopened = backend.open();
  CHECK(reopened->count_llm_generation(5, "2026-12-06", 101) == 2);
}
