#include "actors/call_ledger.hpp"

#include "actors/runtime.hpp"

namespace nocturna::actors {

std::optional<bot::api_response> call_ledger::begin(key k, std::int64_t deadline_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (auto it = done_.find(k); it != done_.end()) return it->second;
    if (!in_flight_.count(k)) break;
    auto left = deadline_ms - steady_ms();
    if (left <= 0) break;  // the other maker is stuck past our deadline: make it ourselves
    changed_.wait_for(lock, std::chrono::milliseconds(left));
  }
  in_flight_[k] = true;
  return std::nullopt;
}

void call_ledger::finish(key k, const bot::api_response& r) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    in_flight_.erase(k);
    if (r.succeeded() && !done_.count(k)) {
      done_.emplace(k, r);
      done_order_.emplace_back(k, steady_ms());
      while (done_order_.size() > capacity_) {
        done_.erase(done_order_.front().first);
        done_order_.pop_front();
      }
    }
  }
  changed_.notify_all();
}

std::size_t call_ledger::forget_before(std::int64_t before_ms) {
  std::lock_guard<std::mutex> guard(mutex_);
  std::size_t forgotten = 0;
  while (!done_order_.empty() && done_order_.front().second < before_ms) {
    done_.erase(done_order_.front().first);
    done_order_.pop_front();
    ++forgotten;
  }
  return forgotten;
}

std::size_t call_ledger::remembered() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return done_.size();
}

}  // namespace nocturna::actors
