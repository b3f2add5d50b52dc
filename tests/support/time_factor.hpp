// The tests' waits for a condition, and how much longer they may last on a slow build. A wait for a
// condition only bounds a failing run, so stretching it changes no verdict: `make sanitize`
// (Makefile) sets NOCTURNA_TEST_TIME_FACTOR because code built with the sanitizers runs several
// times slower.
#pragma once

#include <chrono>
#include <cstdlib>
#include <thread>

namespace nocturna::testing {

// NOCTURNA_TEST_TIME_FACTOR as a whole number from 1 to 20; 1 when unset or not such a number.
inline int time_factor() {
  static const int factor = [] {
    const char* text = std::getenv("NOCTURNA_TEST_TIME_FACTOR");
    const int value = text ? std::atoi(text) : 1;
    return value >= 1 && value <= 20 ? value : 1;
  }();
  return factor;
}

// `ms` of waiting, stretched by time_factor().
inline int scaled_ms(int ms) {
  return ms * time_factor();
}

// The moment a wait of `wait` (stretched by time_factor()) started now ends.
template <class Rep, class Period>
std::chrono::steady_clock::time_point wait_deadline(std::chrono::duration<Rep, Period> wait) {
  return std::chrono::steady_clock::now() + wait * time_factor();
}

inline void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// Polls `condition` every 15 ms until it holds (true) or `timeout_ms` passed (false). Timeouts are
// generous on purpose: they only bound a failing wait, and a loaded machine is slow.
template <class Condition>
bool wait_until(Condition condition, int timeout_ms = 20000) {
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > until) return false;
    sleep_ms(15);
  }
}

}  // namespace nocturna::testing
