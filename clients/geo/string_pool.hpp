// Interned strings in one arena (the compact gazetteer of clients/geo/gazetteer.hpp): each
// distinct text is stored once, back to back in a single buffer, and named by a 4-byte id. The
// gazetteer's 24,000 cities repeat a few hundred country, region and zone names; as separate
// std::strings they cost ~28 MB, in a pool a few MB. Pure; not thread-safe while being filled,
// read-only (and so shareable) once frozen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::geo {

class string_pool {
 public:
  using id = std::uint32_t;

  // The id of `text`, stored now if it is new. The same text always gets the same id.
  id intern(std::string_view text);
  std::string_view get(id i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return {text_.data() + begin, ends_[i] - begin};
  }
  std::size_t size() const { return ends_.size(); }
  // Drops the look-up table that intern() needs and the buffers' spare capacity: call once
  // everything is in. intern() after freeze() is still correct (the table is rebuilt).
  void freeze();
  // Heap bytes held (text, offsets and the look-up table).
  std::size_t bytes() const;

 private:
  static constexpr id empty_slot = 0xFFFFFFFFu;
  void grow_table();
  std::size_t slot_of(std::string_view text) const;  // its slot, or the empty one to take

  std::string text_;                 // every distinct text, back to back
  std::vector<std::uint32_t> ends_;  // ends_[i]: where text i ends in text_
  std::vector<id> table_;            // open addressing (linear probing) over ids; build time only
};

}  // namespace nocturna::geo
