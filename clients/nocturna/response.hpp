// What one HTTP answer of the Nocturna API means (docs/calculations.md §7.4, §7.6): both envelopes
// are unwrapped and every failure gets an error class and a retry decision. Pure.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::remote {

enum class error_class {
  unavailable,  // transport failure, 502/503/504, 429, deadline, open circuit
  server,       // other 5xx, 404, other 4xx, success:false
  rejected,     // 400/422, 500 "Error calculating …": the input cannot be computed
  auth,         // 401, 403, refresh failed
  protocol,     // 2xx whose body is not the expected JSON
};
const char* error_class_name(error_class c);

struct call_error {
  error_class cls = error_class::unavailable;
  bool retryable = false;
  int http_status = 0;  // 0 = no HTTP response
  std::string request_id;
  std::string detail;  // for logs only: what went wrong and the start of the body
};

struct reply {
  bool ok = false;
  std::string payload;  // JSON of the payload object (the `data` of a wrapped envelope)
  call_error error;
};

// An HTTP answer with `status` and `body`; `request_id` is the X-Request-ID header (may be empty).
reply interpret_response(int status, std::string_view body, std::string_view request_id);

// A transport failure: connect error, reset, read timeout.
call_error transport_error(std::string what);

// At most `max_bytes` of `text`, cut at a UTF-8 character boundary, for log lines.
std::string excerpt(std::string_view text, std::size_t max_bytes = 300);

}  // namespace nocturna::remote
