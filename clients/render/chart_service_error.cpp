#include "clients/render/chart_service_error.hpp"

#include <fmt/format.h>

namespace nocturna::render {

const char* chart_service_errc_name(chart_service_errc e) {
  switch (e) {
    case chart_service_errc::bad_input:
      return "bad_input";
    case chart_service_errc::connect:
      return "connect";
    case chart_service_errc::timeout:
      return "timeout";
    case chart_service_errc::http_status:
      return "http_status";
    case chart_service_errc::rate_limited:
      return "rate_limited";
    case chart_service_errc::bad_json:
      return "bad_json";
    case chart_service_errc::service_error:
      return "service_error";
    case chart_service_errc::bad_base64:
      return "bad_base64";
    case chart_service_errc::not_png:
      return "not_png";
    case chart_service_errc::too_large:
      return "too_large";
  }
  return "unknown";
}

std::string chart_service_error::describe() const {
  return fmt::format("chart service: {} status={} code={} message=\"{}\" attempts={} latency_ms={}",
                     chart_service_errc_name(kind), http_status, code.empty() ? "-" : code, message,
                     attempts, latency_ms);
}

bool chart_service_retryable(const chart_service_error& e) {
  switch (e.kind) {
    case chart_service_errc::connect:
    case chart_service_errc::timeout:
      return true;
    case chart_service_errc::http_status:
      return e.http_status == 502 || e.http_status == 503 || e.http_status == 504;
    default:
      return false;
  }
}

}  // namespace nocturna::render
