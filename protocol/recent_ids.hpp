// The last N distinct ids seen, for "did this finish a moment ago?" (actors/dispatcher.cpp).
//
// All storage is allocated once, at construction: a node-based set allocated one node per update
// during a burst, and the few thousand nodes it kept afterwards sat scattered over the burst's
// heap, each pinning a page the allocator could otherwise hand back (tests/soak/memory_soak.cpp).
// An open-addressing table (linear probing, backward-shift deletion) plus a ring of insertion
// order keeps lookups O(1) without that.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace nocturna::bot {

class recent_ids {
 public:
  // Remembers at most `capacity` ids (at least 1); ids are non-negative.
  explicit recent_ids(std::size_t capacity);

  bool contains(std::int64_t id) const;
  // Remembers `id`, forgetting the oldest one when full. False when it was remembered already
  // (its age is not renewed).
  bool insert(std::int64_t id);
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return order_.size(); }

 private:
  static constexpr std::int64_t empty = -1;
  std::size_t home(std::int64_t id) const;
  std::size_t find_slot(std::int64_t id) const;  // its slot, or the empty slot ending its probe
  void erase(std::int64_t id);

  std::vector<std::int64_t> order_;  // ring: the oldest at `oldest_`
  std::size_t oldest_ = 0;
  std::size_t size_ = 0;
  std::vector<std::int64_t> slots_;  // power of two, at least twice the capacity
  std::size_t mask_ = 0;
};

}  // namespace nocturna::bot
