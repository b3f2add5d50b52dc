// The webhook's decision on a request from its line and headers alone, taken before a byte of the
// body is read (docs/deployment.md, "Webhook"): only an authorised POST to the webhook path with
// one plain Content-Length of at most 1 MiB may have its body read. Everything else is answered
// at once and the connection closed, so a request without the secret costs no memory however
// large or compressed its body claims to be.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::webhook {

inline constexpr std::size_t max_body_bytes = 1024 * 1024;

struct request_head {
  std::string_view method;
  std::string_view path;
  std::optional<std::string_view> secret;  // X-Telegram-Bot-Api-Secret-Token
  std::size_t content_length_headers = 0;  // how many Content-Length headers were sent
  std::string_view content_length;         // the first one's value
  bool has_content_encoding = false;
  bool has_transfer_encoding = false;
};

struct gate_verdict {
  int status = 0;      // 0: read the body and hand it on; otherwise answer this status now
  const char* reason;  // for the log line, never containing request data
  std::size_t body_length = 0;
};

// `expected_secret` is compared in constant time. The order matters: an unauthorised request
// learns nothing but 403 (or 404/405 for another path or method).
gate_verdict check_request_head(const request_head& head, std::string_view webhook_path,
                                std::string_view expected_secret);

}  // namespace nocturna::webhook
