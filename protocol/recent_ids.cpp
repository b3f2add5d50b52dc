#include "protocol/recent_ids.hpp"

#include <algorithm>

namespace nocturna::bot {

recent_ids::recent_ids(std::size_t capacity) : order_(std::max<std::size_t>(1, capacity)) {
  std::size_t slots = 2;
  while (slots < 2 * order_.size()) slots *= 2;
  slots_.assign(slots, empty);
  mask_ = slots - 1;
}

std::size_t recent_ids::home(std::int64_t id) const {
  // Fibonacci hashing: consecutive update ids spread over the table.
  auto h = static_cast<std::uint64_t>(id) * 0x9E3779B97F4A7C15ULL;
  return static_cast<std::size_t>(h >> 32) & mask_;
}

std::size_t recent_ids::find_slot(std::int64_t id) const {
  auto i = home(id);
  while (slots_[i] != empty && slots_[i] != id) i = (i + 1) & mask_;
  return i;
}

bool recent_ids::contains(std::int64_t id) const {
  return id >= 0 && slots_[find_slot(id)] == id;
}

bool recent_ids::insert(std::int64_t id) {
  if (id < 0) return false;
  auto slot = find_slot(id);
  if (slots_[slot] == id) return false;
  if (size_ == order_.size()) {
    erase(order_[oldest_]);
    oldest_ = (oldest_ + 1) % order_.size();
    --size_;
    slot = find_slot(id);  // the erase may have shifted the probe sequence
  }
  slots_[slot] = id;
  order_[(oldest_ + size_) % order_.size()] = id;
  ++size_;
  return true;
}

// Backward-shift deletion: entries after the hole that would no longer be found move into it, so
// no probe sequence is ever broken and no tombstones accumulate.
void recent_ids::erase(std::int64_t id) {
  auto hole = find_slot(id);
  if (slots_[hole] != id) return;
  for (auto next = (hole + 1) & mask_; slots_[next] != empty; next = (next + 1) & mask_) {
    auto want = home(slots_[next]);
    // Does `want` lie cyclically in (hole, next]? Then the entry is still reachable: it stays.
    bool reachable = hole <= next ? (hole < want && want <= next) : (hole < want || want <= next);
    if (reachable) continue;
    slots_[hole] = slots_[next];
    hole = next;
  }
  slots_[hole] = empty;
}

}  // namespace nocturna::bot
