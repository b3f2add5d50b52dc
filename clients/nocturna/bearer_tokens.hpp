// Which Bearer token the calls send (docs/calculations.md §7.8), shared by every client of one
// backend. At first the service token itself; after a 401 it is exchanged for a short-lived access
// token, which is used until `expires_in − 300 s` and then exchanged again before the next call.
// One exchange at a time: the lock is held while `refresh` runs, so the other callers wait for it
// and then use its result.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "clients/nocturna/response.hpp"

namespace nocturna::remote {

struct access_grant {
  std::string token;
  std::chrono::seconds expires_in{1800};
};

// Performs the exchange with the service token; false with `err` set on failure.
using refresh_fn =
    std::function<bool(const std::string& service_token, access_grant& out, call_error& err)>;

class bearer_tokens {
 public:
  using clock = std::chrono::steady_clock;

  bearer_tokens(std::string service_token, bool refresh_on_401);

  const std::string& service_token() const { return service_; }
  // Exchange on 401 is on and there is a service token to exchange.
  bool can_refresh() const { return refresh_on_401_ && !service_.empty(); }

  // The Bearer for the next call (empty = send no Authorization header). Exchanges first when the
  // current access token is past its use-by time; false with `err` when that exchange failed.
  bool current(const refresh_fn& refresh, std::string& bearer, call_error& err);

  // After a 401 for `rejected`: exchanges, unless another caller already replaced `rejected`, in
  // which case its newer token is returned without a second exchange.
  bool after_unauthorized(const std::string& rejected, const refresh_fn& refresh,
                          std::string& bearer, call_error& err);

  // How many exchanges succeeded (for tests and /health).
  int refresh_count() const;

 private:
  bool exchange_locked(const refresh_fn& refresh, call_error& err);
  std::string bearer_locked() const;

  const std::string service_;
  const bool refresh_on_401_;
  mutable std::mutex mutex_;
  std::string access_;
  clock::time_point use_until_{};
  int refreshes_ = 0;
};

}  // namespace nocturna::remote
