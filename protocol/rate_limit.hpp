// Token-bucket and backoff arithmetic, pure so it can be tested without clocks or actors.
#pragma once

#include <chrono>
#include <cstdint>

namespace nocturna {

using clock_ms = std::chrono::milliseconds;  // a monotonic time point measured in ms

// Capacity `capacity`, refilled at `per_second` tokens per second, starting full.
class token_bucket {
 public:
  token_bucket(double capacity, double per_second)
      : capacity_(capacity), rate_(per_second), tokens_(capacity) {}

  // Takes one token at `now` when available.
  bool try_take(clock_ms now);
  // How long from `now` until one token is available (0 when one is).
  clock_ms wait_time(clock_ms now);
  double tokens(clock_ms now);

 private:
  void refill(clock_ms now);
  double capacity_;
  double rate_;
  double tokens_;
  clock_ms last_{0};
  bool started_ = false;
};

// Exponential backoff: base * factor^(failures-1), capped at `cap`, then multiplied by
// 1 + jitter_low + (jitter_high - jitter_low) * random01, random01 ∈ [0,1).
// Poller: jitter ±10 % → (-0.1, 0.1); sender: +0–50 % → (0, 0.5). failures ≤ 0 gives 0.
clock_ms backoff_delay(int failures, clock_ms base, double factor, clock_ms cap, double jitter_low,
                       double jitter_high, double random01);

}  // namespace nocturna
