#include "clients/sandbox/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace nocturna::sandbox {

rate_limiter::bucket rate_limiter::make(double capacity, double per_second) {
  bucket b;
  b.capacity = capacity;
  b.per_second = per_second;
  b.tokens = capacity;
  return b;
}

void rate_limiter::bucket::refill(clock::time_point now) {
  if (started) {
    const double elapsed = std::chrono::duration<double>(now - last).count();
    tokens = std::min(capacity, tokens + std::max(0.0, elapsed) * per_second);
  }
  started = true;
  last = now;
}

double rate_limiter::bucket::wait_seconds() const {
  return tokens >= 1 ? 0.0 : (1 - tokens) / per_second;
}

namespace {
constexpr std::size_t group_per_window = 20;
constexpr auto group_window = std::chrono::seconds(60);
}  // namespace

int rate_limiter::take(std::int64_t chat_id, clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto chat_it = chats_.try_emplace(chat_id, make(3, 1)).first;
  bucket* all[] = {&overall_, &chat_it->second};
  double wait = 0;
  for (bucket* b : all) {
    b->refill(now);
    wait = std::max(wait, b->wait_seconds());
  }
  std::deque<clock::time_point>* group = nullptr;
  if (chat_id < 0) {
    group = &groups_[chat_id];
    while (!group->empty() && now - group->front() >= group_window) group->pop_front();
    if (group->size() >= group_per_window) {
      // Until the oldest of the last 20 leaves the window.
      wait = std::max(wait,
                      std::chrono::duration<double>(group->front() + group_window - now).count());
    }
  }
  if (wait > 0) return std::max(1, static_cast<int>(std::ceil(wait)));
  for (bucket* b : all) b->tokens -= 1;
  if (group) group->push_back(now);
  return 0;
}

void rate_limiter::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  overall_ = make(30, 30);
  chats_.clear();
  groups_.clear();
}

}  // namespace nocturna::sandbox
