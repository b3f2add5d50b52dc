// Interned strings in one arena (clients/geo/string_pool.hpp).
#include "clients/geo/string_pool.hpp"

#include <functional>
#include <limits>
#include <stdexcept>

namespace nocturna::geo {

std::size_t string_pool::slot_of(std::string_view text) const {
  const std::size_t mask = table_.size() - 1;  // the size is a power of two
  for (std::size_t s = std::hash<std::string_view>{}(text)&mask;; s = (s + 1) & mask)
    if (table_[s] == empty_slot || get(table_[s]) == text) return s;
}

void string_pool::grow_table() {
  std::size_t size = 1024;
  while (size < (ends_.size() + 1) * 4) size *= 2;  // half full at most after the next growth
  std::vector<id>(size, empty_slot).swap(table_);
  for (id i = 0; i < ends_.size(); ++i) table_[slot_of(get(i))] = i;
}

string_pool::id string_pool::intern(std::string_view text) {
  // At most half full, so a probe always ends at an empty slot soon.
  if ((ends_.size() + 1) * 2 > table_.size()) grow_table();
  const std::size_t s = slot_of(text);
  if (table_[s] != empty_slot) return table_[s];
  if (text_.size() + text.size() > std::numeric_limits<std::uint32_t>::max() ||
      ends_.size() >= empty_slot)
    throw std::length_error("string pool full");
  text_.append(text);
  ends_.push_back(static_cast<std::uint32_t>(text_.size()));
  table_[s] = static_cast<id>(ends_.size() - 1);
  return table_[s];
}

void string_pool::freeze() {
  std::vector<id>().swap(table_);
  text_.shrink_to_fit();
  ends_.shrink_to_fit();
}

std::size_t string_pool::bytes() const {
  return text_.capacity() + ends_.capacity() * sizeof(std::uint32_t) +
         table_.capacity() * sizeof(id);
}

}  // namespace nocturna::geo
