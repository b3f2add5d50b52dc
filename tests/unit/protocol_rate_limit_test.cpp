// protocol/rate_limit: token-bucket arithmetic and backoff. A group's limit is a sliding window,
// not a bucket: it is tested with the sender's queue (protocol_send_queue_test.cpp).
#include <doctest/doctest.h>

#include "protocol/rate_limit.hpp"

using nocturna::backoff_delay;
using nocturna::clock_ms;
using nocturna::token_bucket;

TEST_CASE("token bucket starts full and empties at capacity") {
  token_bucket b(3, 1);  // per chat: capacity 3, 1 per second
  const clock_ms t0{100000};
  CHECK(b.tokens(t0) == doctest::Approx(3));
  CHECK(b.try_take(t0));
  CHECK(b.try_take(t0));
  CHECK(b.try_take(t0));
  CHECK_FALSE(b.try_take(t0));
  CHECK(b.tokens(t0) == doctest::Approx(0));
  CHECK(b.wait_time(t0) == clock_ms{1000});
}

TEST_CASE("token bucket refills at its rate and never beyond capacity") {
  token_bucket b(3, 1);
  const clock_ms t0{5000};
  for (int i = 0; i < 3; ++i) REQUIRE(b.try_take(t0));
  CHECK(b.wait_time(t0 + clock_ms{400}) == clock_ms{600});
  CHECK_FALSE(b.try_take(t0 + clock_ms{999}));
  CHECK(b.try_take(t0 + clock_ms{1000}));
  CHECK_FALSE(b.try_take(t0 + clock_ms{1000}));
  CHECK(b.tokens(t0 + clock_ms{2500}) == doctest::Approx(1.5));
  CHECK(b.tokens(t0 + clock_ms{60000}) == doctest::Approx(3));  // capped
  // Time running backwards changes nothing.
  CHECK(b.tokens(t0) == doctest::Approx(3));
}

TEST_CASE("overall bucket of 30 per second") {
  token_bucket b(30, 30);
  const clock_ms t0{0};
  int taken = 0;
  while (b.try_take(t0)) ++taken;
  CHECK(taken == 30);
  CHECK(b.wait_time(t0) == clock_ms{34});  // ceil(1000 / 30)
  // Over one simulated second at 1 ms steps, 30 more go out.
  taken = 0;
  for (int ms = 1; ms <= 1000; ++ms) {
    if (b.try_take(clock_ms{ms})) ++taken;
  }
  CHECK(taken == 30);
}

TEST_CASE("wait_time is zero with a token and never negative") {
  token_bucket b(1, 0.5);
  CHECK(b.wait_time(clock_ms{10}) == clock_ms{0});
  CHECK(b.try_take(clock_ms{10}));
  CHECK(b.wait_time(clock_ms{10}) == clock_ms{2000});
  CHECK(b.wait_time(clock_ms{2009}) == clock_ms{1});
  CHECK(b.wait_time(clock_ms{2010}) == clock_ms{0});
  token_bucket never(1, 0);
  CHECK(never.try_take(clock_ms{0}));
  CHECK(never.wait_time(clock_ms{0}) > clock_ms{3600 * 1000});
}

TEST_CASE("backoff grows exponentially and is capped") {
  const clock_ms base{1000};
  const clock_ms cap{30000};
  // Poller: 1 s x 1.5 up to 30 s; random 0.5 sits in the middle of the ±10 % band.
  CHECK(backoff_delay(0, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{0});
  CHECK(backoff_delay(-3, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{0});
  CHECK(backoff_delay(1, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{1000});
  CHECK(backoff_delay(2, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{1500});
  CHECK(backoff_delay(3, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{2250});
  CHECK(backoff_delay(9, base, 1.5, cap, -0.1, 0.1, 0.5) == clock_ms{25629});
  CHECK(backoff_delay(10, base, 1.5, cap, -0.1, 0.1, 0.5) == cap);
  CHECK(backoff_delay(1000000, base, 1.5, cap, -0.1, 0.1, 0.5) == cap);
  // Conflict: 5 s doubling to 60 s.
  CHECK(backoff_delay(1, clock_ms{5000}, 2, clock_ms{60000}, 0, 0, 0) == clock_ms{5000});
  CHECK(backoff_delay(4, clock_ms{5000}, 2, clock_ms{60000}, 0, 0, 0) == clock_ms{40000});
  CHECK(backoff_delay(5, clock_ms{5000}, 2, clock_ms{60000}, 0, 0, 0) == clock_ms{60000});
  // Sender: 0.5 s, 1 s, 2 s.
  CHECK(backoff_delay(3, clock_ms{500}, 2, clock_ms{2000}, 0, 0.5, 0) == clock_ms{2000});
}

TEST_CASE("backoff jitter stays within its bounds") {
  const clock_ms base{1000};
  const clock_ms cap{30000};
  CHECK(backoff_delay(1, base, 1.5, cap, -0.1, 0.1, 0.0) == clock_ms{900});
  CHECK(backoff_delay(1, base, 1.5, cap, -0.1, 0.1, 0.999999) == clock_ms{1100});
  CHECK(backoff_delay(10, base, 1.5, cap, -0.1, 0.1, 0.0) == clock_ms{27000});
  CHECK(backoff_delay(10, base, 1.5, cap, -0.1, 0.1, 0.999999) == clock_ms{33000});
  for (int i = 0; i <= 100; ++i) {
    const double r = i / 101.0;
    const auto d = backoff_delay(2, clock_ms{500}, 2, clock_ms{2000}, 0, 0.5, r);
    CHECK(d >= clock_ms{1000});
    CHECK(d <= clock_ms{1500});
  }
  // Out-of-range random values are clamped into [0, 1).
  CHECK(backoff_delay(1, base, 1.5, cap, -0.1, 0.1, -5) == clock_ms{900});
  CHECK(backoff_delay(1, base, 1.5, cap, -0.1, 0.1, 7) == clock_ms{1100});
}
