// The supervisor's choice of what to restart, as a pure function: a failed child and, rest-for-one
// style, every child that declared it depends on it (transitively), in start order.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nocturna {

struct child_deps {
  std::string label;
  std::vector<std::string> depends_on;  // labels of children this one needs
};

// Indices into `children` to restart when child `failed` goes down, `failed` first, then its
// dependants in start order.
std::vector<std::size_t> restart_set(const std::vector<child_deps>& children, std::size_t failed);

}  // namespace nocturna
