// The sandbox's flood limits (clients/sandbox/rate_limiter.hpp): the group limit is a sliding 60 s
// window, so the e2e tests meet Telegram's rule and not a more lenient one.
#include <doctest/doctest.h>

#include "clients/sandbox/rate_limiter.hpp"

using nocturna::sandbox::rate_limiter;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("sandbox limits: at most 20 messages to a group in any 60 s") {
  rate_limiter limits;
  const auto t0 = rate_limiter::clock::now();
  const std::int64_t group = -100;
  // One a second: the per-chat limit never bites, only the group's.
  for (int i = 0; i < 20; ++i) CHECK(limits.take(group, t0 + seconds(i)) == 0);
  // A bucket refilling 1 per 3 s would take the 21st at 20 s; the window refuses it until the
  // first message is 60 s old.
  const int wait = limits.take(group, t0 + seconds(20));
  CHECK(wait == 40);
  CHECK(limits.take(group, t0 + seconds(59) + milliseconds(900)) > 0);
  CHECK(limits.take(group, t0 + seconds(60)) == 0);
  CHECK(limits.take(group, t0 + seconds(60) + milliseconds(500)) > 0);  // the 2nd is 59.5 s old
  CHECK(limits.take(group, t0 + seconds(61)) == 0);
  // Another group has its own window; a private chat has none.
  CHECK(limits.take(-200, t0 + seconds(61)) == 0);
  for (int i = 0; i < 25; ++i) CHECK(limits.take(42, t0 + seconds(70 + i)) == 0);
}

TEST_CASE("sandbox limits: a burst of 3 then one a second per chat") {
  rate_limiter limits;
  const auto t0 = rate_limiter::clock::now();
  for (int i = 0; i < 3; ++i) CHECK(limits.take(7, t0) == 0);
  CHECK(limits.take(7, t0) == 1);
  CHECK(limits.take(7, t0 + seconds(1)) == 0);
}
