#include "actors/call_ledger.hpp"

#include "actors/runtime.hpp"

namespace nocturna::actors {

call_ledger::claim call_ledger::begin(key k, bot::api_response* answer, bool take_over) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (auto it = done_.find(k); it != done_.end()) {
    *answer = it->second;
    return claim::answered;
  }
  if (in_flight_.count(k) && !take_over) return claim::busy;
  in_flight_[k] = true;
  return claim::proceed;
}

void call_ledger::finish(key k, const bot::api_response& r) {
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
