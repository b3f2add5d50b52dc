#pragma once

#include <string_view>

namespace nocturna {

// Compares secrets without an early exit, so the time taken does not tell how much matched
// (docs/telegram.md §4.3): lengths first, then the OR of every byte's XOR.
inline bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]);
  return diff == 0;
}

}  // namespace nocturna
