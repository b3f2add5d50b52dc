// Outcome of a call to the external chart service (docs/integrations.md §2): PNG bytes or a typed
// error that says whether a retry makes sense. Error texts never contain the API key.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nocturna::render {

enum class chart_service_errc {
  bad_input,      // the chart cannot be sent (not 10 finite planets in range, not 12 cusps)
  connect,        // connection refused / reset / DNS
  timeout,        // the per-attempt deadline passed
  http_status,    // an HTTP status other than 200 and 429
  rate_limited,   // 429: stay off for retry_after_s
  bad_json,       // the body is not the JSON of §2.5
  service_error,  // 200 with "status" other than "success", or no image
  bad_base64,     // data.image is not standard base64
  not_png,        // the decoded bytes are not a PNG, or its dimensions are not sane
  too_large,      // the image (or the whole answer) exceeds the size limit
};

const char* chart_service_errc_name(chart_service_errc e);

struct chart_service_error {
  chart_service_errc kind = chart_service_errc::connect;
  int http_status = 0;    // 0 when no HTTP answer came
  std::string code;       // the service's error.code when it sent one (e.g. RENDER_ERROR)
  std::string message;    // short detail for the log
  int retry_after_s = 0;  // for rate_limited
  int attempts = 0;       // attempts made by the client
  long latency_ms = 0;    // wall time of the whole call

  // One log line: kind, status, code, message, attempts, latency.
  std::string describe() const;
};

// Transient failures worth a second attempt (§2.6): connect/reset errors, timeouts, 502/503/504.
bool chart_service_retryable(const chart_service_error& e);

class chart_service_result {
 public:
  chart_service_result(std::string png) : v_(std::move(png)) {}
  chart_service_result(chart_service_error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  const std::string& png() const { return std::get<0>(v_); }
  std::string& png() { return std::get<0>(v_); }
  const chart_service_error& error() const { return std::get<1>(v_); }
  chart_service_error& error() { return std::get<1>(v_); }

 private:
  std::variant<std::string, chart_service_error> v_;
};

}  // namespace nocturna::render
