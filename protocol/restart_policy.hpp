// The supervisor's arithmetic: how many restarts fall within the window, whether to escalate,
// and how long to wait before the next restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace nocturna {

class restart_policy {
 public:
  restart_policy(int limit, std::int64_t window_ms) : limit_(limit), window_ms_(window_ms) {}

  // Records a failure at `now_ms`. Returns false when it is one too many: escalate.
  bool allow_restart(std::int64_t now_ms) {
    times_.push_back(now_ms);
    while (!times_.empty() && now_ms - times_.front() > window_ms_) times_.pop_front();
    return static_cast<int>(times_.size()) <= limit_;
  }

  // Restarts within the window, the one just recorded included.
  int recent() const { return static_cast<int>(times_.size()); }

  // 100 ms doubling per recent restart, at most 5 s.
  std::int64_t backoff_ms() const {
    std::int64_t delay = 100;
    for (int i = 1; i < recent() && delay < 5000; ++i) delay *= 2;
    return delay < 5000 ? delay : 5000;
  }

 private:
  int limit_;
  std::int64_t window_ms_;
  std::deque<std::int64_t> times_;
};

}  // namespace nocturna
