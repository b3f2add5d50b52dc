// A request body bound for the local cpp-httplib servers (health, calc serve), checked from the
// head before httplib reads a byte of the body: httplib 0.11's payload limit applies only to a
// declared Content-Length, while a chunked body is read whole and a compressed one inflated
// first (docs/deployment.md, "Webhook").
#pragma once

#include <httplib.h>

#include <cstddef>
#include <string>

namespace nocturna {

// 0 when the body may be read, else the status to answer: 415 for any Content-Encoding, 411 for
// Transfer-Encoding (no length to check up front), 413 for a Content-Length over `max_bytes` or
// one that is not a plain number.
inline int body_limit_status(const httplib::Request& req, std::size_t max_bytes) {
  if (req.has_header("Content-Encoding")) return 415;
  if (req.has_header("Transfer-Encoding")) return 411;
  if (!req.has_header("Content-Length")) return 0;
  const std::string length = req.get_header_value("Content-Length");
  if (length.empty() || length.size() > 12 ||
      length.find_first_not_of("0123456789") != std::string::npos)
    return 413;
  return std::stoull(length) > max_bytes ? 413 : 0;
}

// Installs the check as `http`'s pre-routing handler and sets httplib's own limit too. The unread
// body of a refused request stays on the connection and is parsed as the next request (and
// refused as malformed) unless the server closes after each request.
inline void limit_request_bodies(httplib::Server& http, std::size_t max_bytes) {
  http.set_payload_max_length(max_bytes);
  http.set_pre_routing_handler([max_bytes](const httplib::Request& req, httplib::Response& res) {
    const int status = body_limit_status(req, max_bytes);
    if (status == 0) return httplib::Server::HandlerResponse::Unhandled;
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  });
}

}  // namespace nocturna
