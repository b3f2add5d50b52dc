#include "clients/nocturna/retry_policy.hpp"

#include <algorithm>

namespace nocturna::remote {

retry_policy::ms retry_policy::total_deadline() const {
  return std::min(attempt_timeout * attempts() + deadline_slack, deadline_cap);
}

retry_policy::ms retry_policy::backoff(int retry, double u) const {
  // Doubling stops at the cap long before it could overflow.
  ms c = backoff_base;
  for (int i = 1; i < retry && c < backoff_cap; ++i) c *= 2;
  c = std::min(c, backoff_cap);
  u = std::clamp(u, 0.0, 1.0);
  return c / 2 + ms(static_cast<ms::rep>(u * static_cast<double>(c.count()) / 2.0));
}

retry_policy::ms retry_policy::attempt_budget(ms left) const {
  return std::max(ms(0), std::min(attempt_timeout, left));
}

}  // namespace nocturna::remote
