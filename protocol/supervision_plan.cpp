#include "protocol/supervision_plan.hpp"

#include <algorithm>

namespace nocturna {

std::vector<std::size_t> restart_set(const std::vector<child_deps>& children, std::size_t failed) {
  std::vector<bool> chosen(children.size(), false);
  chosen[failed] = true;
  // Repeat until nothing changes: a dependant of a dependant goes too.
  for (bool grew = true; grew;) {
    grew = false;
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (chosen[i]) continue;
      for (const auto& need : children[i].depends_on) {
        auto it = std::find_if(children.begin(), children.end(),
                               [&](const child_deps& c) { return c.label == need; });
        if (it != children.end() && chosen[static_cast<std::size_t>(it - children.begin())]) {
          chosen[i] = grew = true;
          break;
        }
      }
    }
  }
  std::vector<std::size_t> out{failed};
  for (std::size_t i = 0; i < children.size(); ++i)
    if (chosen[i] && i != failed) out.push_back(i);
  return out;
}

}  // namespace nocturna
