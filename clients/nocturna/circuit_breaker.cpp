#include "clients/nocturna/circuit_breaker.hpp"

namespace nocturna::remote {

circuit_breaker::circuit_breaker(int threshold, std::chrono::milliseconds open_for)
    : threshold_(threshold < 1 ? 1 : threshold), open_for_(open_for) {}

bool circuit_breaker::allow(clock::time_point now) {
  if (!open_) return true;
  if (now - opened_at_ < open_for_ || probe_in_flight_) return false;
  probe_in_flight_ = true;
  return true;
}

void circuit_breaker::record_success() {
  failures_ = 0;
  open_ = false;
  probe_in_flight_ = false;
}

void circuit_breaker::record_failure(clock::time_point now) {
  ++failures_;
  // A failed probe re-opens for a full period. A call that started before the breaker opened and
  // fails afterwards must not extend the open period.
  if (probe_in_flight_ || (!open_ && failures_ >= threshold_)) {
    open_ = true;
    opened_at_ = now;
  }
  probe_in_flight_ = false;
}

void circuit_breaker::record_neutral() {
  if (probe_in_flight_) {
    open_ = false;
    probe_in_flight_ = false;
    failures_ = 0;
  }
}

circuit_breaker::state circuit_breaker::current(clock::time_point now) const {
  if (!open_) return state::closed;
  if (now - opened_at_ < open_for_) return state::open;
  return state::half_open;
}

const char* breaker_state_name(circuit_breaker::state s) {
  switch (s) {
    case circuit_breaker::state::closed:
      return "closed";
    case circuit_breaker::state::open:
      return "open";
    case circuit_breaker::state::half_open:
      return "half_open";
  }
  return "?";
}

}  // namespace nocturna::remote
