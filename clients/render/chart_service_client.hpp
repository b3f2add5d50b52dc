// Blocking client of the external chart service "nocturna-image" (docs/integrations.md §2): sends
// the chart as JSON with the Bearer key, gets the picture back as base64 PNG inside JSON, and
// returns the checked PNG bytes or a typed error. Each attempt has its own deadline covering the
// whole exchange; a second attempt follows only transient failures (§2.6). The breaker and the 429
// pause are the caller's (it knows about every call). Not thread-safe: one client per worker.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "clients/render/chart_service_error.hpp"
#include "protocol/chart.hpp"

namespace nocturna::render {

namespace detail {
class attempt_watch;
}

struct chart_service_config {
  std::string base_url;  // e.g. "http://localhost:3011"; a trailing '/' is ignored
  std::string api_key;
  std::chrono::milliseconds timeout{20000};  // per attempt (CHART_SERVICE_TIMEOUT)
  int max_attempts = 2;
  std::chrono::milliseconds retry_delay{500};  // the pause is retry_delay + uniform(0, retry_delay)
};

class chart_service_client {
 public:
  explicit chart_service_client(chart_service_config cfg);

  using time_point = std::chrono::steady_clock::time_point;

  // Single wheel (/transit sky, /my_natal): POST {base}/api/v1/chart/render. No attempt runs
  // past `deadline` (the caller's picture phase), whatever CHART_SERVICE_TIMEOUT allows.
  chart_service_result render_wheel(const astro::chart& c, int size = 800,
                                    time_point deadline = time_point::max());
  // Transit biwheel (/my_transit): POST {base}/api/v1/chart/render/transit. Needs natal cusps.
  chart_service_result render_transit(const astro::chart& natal, const astro::chart& transit,
                                      int size = 1000, time_point deadline = time_point::max());

  // Synastry biwheel (/compat): POST {base}/api/v1/chart/render/synastry, the user inside. Needs
  // the cusps of both charts (the service's schema requires them).
  chart_service_result render_synastry(const astro::chart& user, const astro::chart& partner,
                                       int size = 1000, time_point deadline = time_point::max());

  // From another thread: ends the call in progress (it returns a timeout error at once) and every
  // later call; for shutdown.
  void cancel();

 private:
  chart_service_result post(const std::string& path, const std::string& body, time_point deadline);
  chart_service_result attempt(const std::string& path, const std::string& body,
                               time_point deadline);
  bool cancelled_now();

  chart_service_config cfg_;
  std::string origin_;       // scheme://host[:port]
  std::string path_prefix_;  // path part of base_url, without trailing '/'
  std::mutex mutex_;         // guards the three below, shared with cancel()
  std::condition_variable wake_;
  detail::attempt_watch* current_ = nullptr;
  bool cancelled_ = false;
};

}  // namespace nocturna::render
