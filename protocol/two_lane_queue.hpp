// A FIFO with two lanes: interactive items always leave before background ones (the LLM queue of
// docs/integrations.md §1.1: "FIFO, interactive before forecasts").
#pragma once

#include <cstddef>
#include <deque>
#include <utility>

namespace nocturna {

template <class T>
class two_lane_queue {
 public:
  void push(T item, bool background) {
    (background ? background_ : interactive_).push_back(std::move(item));
  }

  bool empty() const { return interactive_.empty() && background_.empty(); }
  std::size_t size() const { return interactive_.size() + background_.size(); }

  // The oldest interactive item, else the oldest background one. Not on an empty queue.
  T pop() {
    auto& lane = interactive_.empty() ? background_ : interactive_;
    T item = std::move(lane.front());
    lane.pop_front();
    return item;
  }

 private:
  std::deque<T> interactive_, background_;
};

}  // namespace nocturna
