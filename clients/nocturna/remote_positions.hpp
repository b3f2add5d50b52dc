// The remote positions backend (docs/calculations.md §7): body positions from the Nocturna API,
// behind a circuit breaker. Safe to call from several worker threads at once: each call borrows an
// HTTP client from a small pool (cpp-httplib clients are not thread-safe), and the token state and
// the breaker are shared under locks.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clients/astro/positions_backend.hpp"
#include "clients/nocturna/bearer_tokens.hpp"
#include "clients/nocturna/circuit_breaker.hpp"
#include "clients/nocturna/retry_policy.hpp"

namespace nocturna::remote {

class nocturna_client;

struct remote_options {
  std::string base_url;  // NOCTURNA_API_URL, including /api
  std::string service_token;
  bool refresh_on_401 = true;
  bool chiron = false;
  retry_policy policy;
  int breaker_threshold = 5;
  std::chrono::milliseconds breaker_open_for = std::chrono::seconds(30);
  // After a failed Chiron request Chiron is not asked for again for this long (§7.5).
  std::chrono::milliseconds chiron_pause = std::chrono::hours(1);
};

class remote_positions : public astro::positions_backend {
 public:
  // Throws std::invalid_argument when base_url is not an http(s) URL.
  explicit remote_positions(remote_options opts);
  ~remote_positions() override;

  // Errors: unavailable (down, timed out, open circuit, auth, malformed answer), input_rejected
  // (the server cannot compute this moment), internal (a JD that is not a number).
  astro::calc_result<std::vector<astro::body_position>> positions(double jd_ut) override;
  std::string ephemeris_name() const override { return "remote"; }

  // Aborts calls in flight and makes later ones fail fast (shutdown); safe from any thread.
  void stop();

  circuit_breaker::state breaker_state() const;
  const remote_options& options() const { return opts_; }

 private:
  std::unique_ptr<nocturna_client> acquire();
  void release(std::unique_ptr<nocturna_client> c);
  void add_chiron(nocturna_client& client, double jd_ut,
                  std::chrono::steady_clock::time_point deadline,
                  std::vector<astro::body_position>& out);

  remote_options opts_;
  std::shared_ptr<bearer_tokens> tokens_;

  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<nocturna_client>> idle_;
  std::vector<nocturna_client*> busy_;
  bool stopped_ = false;

  mutable std::mutex breaker_mutex_;
  circuit_breaker breaker_;

  std::atomic<std::chrono::steady_clock::rep> chiron_paused_until_{0};
};

}  // namespace nocturna::remote
