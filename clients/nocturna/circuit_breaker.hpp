// Circuit breaker for one backend (docs/calculations.md §7.6): after `threshold` consecutive failed
// calls it opens for `open_for`, during which callers fail at once instead of waiting out the full
// deadline; then exactly one probe is let through, and its outcome closes or re-opens it.
// Pure and not synchronised: the owner passes the time in and holds a lock around it.
#pragma once

#include <chrono>

namespace nocturna::remote {

class circuit_breaker {
 public:
  using clock = std::chrono::steady_clock;
  enum class state { closed, open, half_open };

  explicit circuit_breaker(int threshold = 5,
                           std::chrono::milliseconds open_for = std::chrono::seconds(30));

  // May a call start now? In half-open state only the first caller (the probe) gets true; the
  // others are refused until the probe reports.
  bool allow(clock::time_point now);
  void record_success();
  void record_failure(clock::time_point now);
  // An outcome that says nothing about the backend's health (e.g. it rejected the input): the
  // failure count stays, but a probe that got an answer proves the backend is up.
  void record_neutral();

  state current(clock::time_point now) const;
  int consecutive_failures() const { return failures_; }

 private:
  int threshold_;
  std::chrono::milliseconds open_for_;
  int failures_ = 0;
  bool open_ = false;
  bool probe_in_flight_ = false;
  clock::time_point opened_at_{};
};

const char* breaker_state_name(circuit_breaker::state s);

}  // namespace nocturna::remote
