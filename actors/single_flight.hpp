// Requests for the same key while its answer is being made wait for that one answer: the day's
// LLM text, the hour's sky picture.
#pragma once

#include <caf/all.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace nocturna::actors {

class single_flight {
 public:
  // Adds a waiter for `key`; true when it is the first, whose caller must start the work.
  bool join(const std::string& key, caf::response_promise waiter) {
    auto& waiters = waiting_[key];
    waiters.push_back(std::move(waiter));
    return waiters.size() == 1;
  }

  // Delivers `answer` to every waiter of `key`.
  template <class Answer>
  void settle(const std::string& key, const Answer& answer) {
    auto node = waiting_.extract(key);
    if (node.empty()) return;
    for (auto& waiter : node.mapped()) waiter.deliver(answer);
  }

 private:
  std::map<std::string, std::vector<caf::response_promise>> waiting_;
};

}  // namespace nocturna::actors
