// shrink_if_sparse (protocol/sparse_map.hpp): the bucket array of a map a burst grew is given
// back once the burst's entries are gone, and the entries left are kept.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "protocol/sparse_map.hpp"

using nocturna::bot::shrink_if_sparse;

TEST_CASE("sparse map: a map emptied after a burst gives back its buckets, keeping what is left") {
  std::unordered_map<std::int64_t, std::string> chats;
  for (std::int64_t chat = 0; chat < 20000; ++chat) chats[chat] = "state";
  const auto burst_buckets = chats.bucket_count();
  REQUIRE(burst_buckets >= 20000);
  CHECK_FALSE(shrink_if_sparse(chats));  // full: nothing to give back
  for (std::int64_t chat = 10; chat < 20000; ++chat) chats.erase(chat);
  CHECK(chats.bucket_count() == burst_buckets);  // erasing alone keeps the array
  CHECK(shrink_if_sparse(chats));
  CHECK(chats.bucket_count() < 100);
  REQUIRE(chats.size() == 10);
  for (std::int64_t chat = 0; chat < 10; ++chat) CHECK(chats.at(chat) == "state");
}

TEST_CASE("sparse map: small or still busy maps are left alone") {
  std::unordered_set<std::int64_t> small;
  for (std::int64_t i = 0; i < 500; ++i) small.insert(i);
  for (std::int64_t i = 1; i < 500; ++i) small.erase(i);
  CHECK_FALSE(shrink_if_sparse(small));  // at most 1,024 buckets: not worth a rehash
  std::unordered_set<std::int64_t> busy;
  for (std::int64_t i = 0; i < 20000; ++i) busy.insert(i);
  for (std::int64_t i = 0; i < 10000; ++i) busy.erase(i);
  CHECK_FALSE(shrink_if_sparse(busy));  // half full
  CHECK(busy.size() == 10000);
}
