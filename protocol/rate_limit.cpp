#include "protocol/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace nocturna {

namespace {
// Tolerance for floating-point refill: 0.9999999 tokens is one token.
constexpr double epsilon = 1e-9;
// What wait_time reports when a token can never come (rate 0 or capacity below one).
constexpr clock_ms never_ms{24LL * 3600 * 1000};
}  // namespace

void token_bucket::refill(clock_ms now) {
  if (!started_) {
    started_ = true;
    last_ = now;
    return;
  }
  if (now <= last_) return;  // time never runs backwards for the bucket
  const double elapsed_s = static_cast<double>((now - last_).count()) / 1000.0;
  if (rate_ > 0) tokens_ = std::min(capacity_, tokens_ + elapsed_s * rate_);
  last_ = now;
}

bool token_bucket::try_take(clock_ms now) {
  refill(now);
  if (tokens_ + epsilon >= 1.0) {
    tokens_ = std::max(0.0, tokens_ - 1.0);
    return true;
  }
  return false;
}

clock_ms token_bucket::wait_time(clock_ms now) {
  refill(now);
  if (tokens_ + epsilon >= 1.0) return clock_ms{0};
  if (rate_ <= 0 || capacity_ + epsilon < 1.0) return never_ms;
  const double ms = std::ceil((1.0 - tokens_) / rate_ * 1000.0 - epsilon);
  if (!(ms < static_cast<double>(never_ms.count()))) return never_ms;
  return clock_ms{std::max<std::int64_t>(1, static_cast<std::int64_t>(ms))};
}

double token_bucket::tokens(clock_ms now) {
  refill(now);
  return tokens_;
}

clock_ms backoff_delay(int failures, clock_ms base, double factor, clock_ms cap, double jitter_low,
                       double jitter_high, double random01) {
  if (failures <= 0) return clock_ms{0};
  const double cap_ms = static_cast<double>(std::max<std::int64_t>(0, cap.count()));
  double d = static_cast<double>(std::max<std::int64_t>(0, base.count()));
  if (factor < 1.0 || !std::isfinite(factor)) factor = 1.0;
  for (int i = 1; i < failures && d < cap_ms; ++i) d *= factor;
  d = std::min(d, cap_ms);
  if (!std::isfinite(random01) || random01 < 0) random01 = 0;
  if (random01 >= 1) random01 = std::nextafter(1.0, 0.0);
  if (!std::isfinite(jitter_low)) jitter_low = 0;
  if (!std::isfinite(jitter_high)) jitter_high = 0;
  const double mult = 1.0 + jitter_low + (jitter_high - jitter_low) * random01;
  d *= std::max(0.0, mult);
  return clock_ms{static_cast<std::int64_t>(std::llround(d))};
}

}  // namespace nocturna
