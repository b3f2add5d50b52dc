// A hash map keyed by chat grows its bucket array with a burst of chats and keeps it after the
// chats are forgotten: tens of thousands of buckets for a handful of entries, pinned for the life
// of the process. Sweeps call this to give the array back (docs/architecture.md, "Backpressure").
#pragma once

#include <cstddef>

namespace nocturna::bot {

// Fits the bucket array of `m` (a std::unordered_map or set) to its elements when it has more
// than 1,024 buckets and holds fewer elements than a quarter of them. True when it did.
template <class HashContainer>
bool shrink_if_sparse(HashContainer& m) {
  constexpr std::size_t small_enough = 1024;
  if (m.bucket_count() <= small_enough || m.size() * 4 >= m.bucket_count()) return false;
  m.rehash(0);
  return true;
}

}  // namespace nocturna::bot
