// The watchdog's arithmetic (docs/telegram.md §2.6): a getUpdates still in flight POLL_TIMEOUT + 40
// s after it started is stalled. Such a call can outlive its read timeout, which httplib applies to
// each read, on a connection that trickles bytes or whose peer vanished without a reset.
#pragma once

#include <cstdint>

namespace nocturna {

constexpr std::int64_t poll_watchdog_margin_ms = 40'000;

// `in_flight_since_ms` = 0 when no getUpdates is in flight.
inline bool poll_stalled(std::int64_t now_ms, std::int64_t in_flight_since_ms, int poll_timeout_s) {
  return in_flight_since_ms != 0 &&
         now_ms - in_flight_since_ms >
             poll_timeout_s * std::int64_t{1000} + poll_watchdog_margin_ms;
}

}  // namespace nocturna
