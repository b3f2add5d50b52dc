// Timing of the attempts of one call (docs/calculations.md §7.6): how long the whole call may take,
// how long each attempt may take and how long to wait before the next one. Pure; the jitter's
// random draw is passed in so tests are deterministic.
#pragma once

#include <chrono>

namespace nocturna::remote {

struct retry_policy {
  using ms = std::chrono::milliseconds;
  ms attempt_timeout = std::chrono::seconds(10);  // NOCTURNA_TIMEOUT
  int max_retries = 2;                            // NOCTURNA_MAX_RETRIES
  ms connect_timeout = std::chrono::seconds(3);   // capped by attempt_timeout
  ms deadline_slack = std::chrono::seconds(3);    // added to attempts × attempt_timeout
  ms deadline_cap = std::chrono::seconds(60);
  ms min_attempt = std::chrono::seconds(1);  // no new attempt with less than this left
  ms backoff_base = std::chrono::milliseconds(500);
  ms backoff_cap = std::chrono::seconds(4);

  int attempts() const { return 1 + (max_retries < 0 ? 0 : max_retries); }
  // min(attempt_timeout × attempts + slack, cap).
  ms total_deadline() const;
  // Before retry n (1-based): c/2 + u·c/2 with c = min(cap, base·2^(n−1)) and u in [0, 1).
  ms backoff(int retry, double u) const;
  // min(attempt_timeout, left).
  ms attempt_budget(ms left) const;
};

}  // namespace nocturna::remote
