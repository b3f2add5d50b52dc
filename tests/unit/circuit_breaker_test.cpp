// The remote backend's circuit breaker and retry timing (docs/calculations.md §7.6). Pure: time is
// passed in.
#include "clients/nocturna/circuit_breaker.hpp"

#include <doctest/doctest.h>

#include "clients/nocturna/retry_policy.hpp"

namespace {

using nocturna::remote::circuit_breaker;
using nocturna::remote::retry_policy;
using state = circuit_breaker::state;
using namespace std::chrono_literals;

const circuit_breaker::clock::time_point t0{};

}  // namespace

TEST_CASE("circuit breaker: opens after 5 consecutive failures") {
  circuit_breaker b;
  for (int i = 0; i < 4; ++i) {
    CHECK(b.allow(t0));
    b.record_failure(t0);
  }
  CHECK(b.current(t0) == state::closed);
  CHECK(b.allow(t0));
  b.record_failure(t0);
  CHECK(b.current(t0) == state::open);
  CHECK_FALSE(b.allow(t0 + 1s));
  CHECK_FALSE(b.allow(t0 + 29s));
}

TEST_CASE("circuit breaker: a success resets the count") {
  circuit_breaker b(3, 10s);
  b.record_failure(t0);
  b.record_failure(t0);
  b.record_success();
  b.record_failure(t0);
  b.record_failure(t0);
  CHECK(b.current(t0) == state::closed);
  CHECK(b.consecutive_failures() == 2);
}

TEST_CASE("circuit breaker: one half-open probe, success closes") {
  circuit_breaker b(2, 30s);
  b.record_failure(t0);
  b.record_failure(t0);
  CHECK(b.current(t0 + 30s) == state::half_open);
  CHECK(b.allow(t0 + 30s));        // the probe
  CHECK_FALSE(b.allow(t0 + 31s));  // everybody else waits for it
  b.record_success();
  CHECK(b.current(t0 + 31s) == state::closed);
  CHECK(b.allow(t0 + 31s));
}

TEST_CASE("circuit breaker: a failed probe re-opens for a full period") {
  circuit_breaker b(2, 30s);
  b.record_failure(t0);
  b.record_failure(t0);
  REQUIRE(b.allow(t0 + 40s));
  b.record_failure(t0 + 41s);
  CHECK(b.current(t0 + 70s) == state::open);
  CHECK_FALSE(b.allow(t0 + 70s));
  CHECK(b.allow(t0 + 71s));
}

TEST_CASE("circuit breaker: rejected input is neutral, a late failure does not extend") {
  circuit_breaker b(2, 30s);
  b.record_failure(t0);
  b.record_neutral();
  CHECK(b.consecutive_failures() == 1);
  b.record_failure(t0);
  CHECK(b.current(t0) == state::open);
  b.record_failure(t0 + 20s);  // a call that started before the breaker opened
  CHECK(b.current(t0 + 30s) == state::half_open);
  REQUIRE(b.allow(t0 + 30s));
  b.record_neutral();  // the probe got an answer: the backend is up
  CHECK(b.current(t0 + 30s) == state::closed);
}

TEST_CASE("circuit breaker: retry timing of the contract") {
  retry_policy p;
  CHECK(p.attempts() == 3);
  CHECK(p.total_deadline() == 33s);  // 10 s × 3 + 3 s
  p.attempt_timeout = 30s;
  CHECK(p.total_deadline() == 60s);  // capped
  p.attempt_timeout = 10s;
  CHECK(p.attempt_budget(4s) == 4s);
  CHECK(p.attempt_budget(20s) == 10s);
  CHECK(p.attempt_budget(-5ms) == 0ms);

  // c = min(4 s, 0.5 s · 2^(n−1)); delay in [c/2, c).
  CHECK(p.backoff(1, 0.0) == 250ms);
  CHECK(p.backoff(1, 0.999) >= 499ms);
  CHECK(p.backoff(1, 0.999) < 500ms);
  CHECK(p.backoff(2, 0.0) == 500ms);
  CHECK(p.backoff(3, 0.5) == 1500ms);
  CHECK(p.backoff(4, 0.0) == 2000ms);
  CHECK(p.backoff(5, 0.0) == 2000ms);  // c capped at 4 s
  CHECK(p.backoff(60, 1.0) == 4000ms);
}
