// The fixed-size memory of recently finished update ids (protocol/recent_ids.hpp), against a
// reference model built from std::set and std::deque.
#include <doctest/doctest.h>

#include <deque>
#include <random>
#include <set>

#include "protocol/recent_ids.hpp"

using nocturna::bot::recent_ids;

TEST_CASE("recent ids: remembers what was inserted, once, and forgets the oldest when full") {
  recent_ids ids(3);
  CHECK_FALSE(ids.contains(7));
  CHECK(ids.insert(7));
  CHECK_FALSE(ids.insert(7));  // already there: nothing is evicted for it
  CHECK(ids.insert(8));
  CHECK(ids.insert(9));
  CHECK(ids.size() == 3);
  CHECK(ids.insert(10));  // full: 7, the oldest, goes
  CHECK_FALSE(ids.contains(7));
  CHECK(ids.contains(8));
  CHECK(ids.contains(9));
  CHECK(ids.contains(10));
  CHECK(ids.size() == 3);
  CHECK_FALSE(ids.contains(-1));
  CHECK_FALSE(ids.insert(-1));
}

TEST_CASE("recent ids: behaves like a FIFO-bounded set over 200,000 random operations") {
  // Small id ranges force collisions, long probe runs and many deletions by backward shift.
  for (std::int64_t range : {16, 300, 100000}) {
    CAPTURE(range);
    const std::size_t capacity = 97;
    recent_ids ids(capacity);
    std::set<std::int64_t> model;
    std::deque<std::int64_t> order;
    std::mt19937_64 rng(static_cast<std::uint64_t>(range));
    std::uniform_int_distribution<std::int64_t> pick(0, range);
    for (int op = 0; op < 200000; ++op) {
      auto id = pick(rng);
      if (op % 3 == 0) {
        REQUIRE(ids.contains(id) == (model.count(id) == 1));
        continue;
      }
      bool fresh = model.count(id) == 0;
      REQUIRE(ids.insert(id) == fresh);
      if (!fresh) continue;
      if (order.size() == capacity) {
        model.erase(order.front());
        order.pop_front();
      }
      model.insert(id);
      order.push_back(id);
      REQUIRE(ids.size() == model.size());
    }
    for (std::int64_t id = 0; id <= std::min<std::int64_t>(range, 1000); ++id)
      REQUIRE(ids.contains(id) == (model.count(id) == 1));
  }
}
