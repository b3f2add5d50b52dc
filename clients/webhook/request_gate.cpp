#include "clients/webhook/request_gate.hpp"

#include "protocol/constant_time.hpp"

namespace nocturna::webhook {
namespace {

// Digits only, no sign or spaces, and no overflow: anything else is not a length we trust.
std::optional<std::size_t> parse_length(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::size_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

}  // namespace

gate_verdict check_request_head(const request_head& head, std::string_view webhook_path,
                                std::string_view expected_secret) {
  if (head.path != webhook_path) return {404, "unknown path"};
  if (head.method != "POST") return {405, "method not allowed"};
  if (!head.secret || !constant_time_equal(*head.secret, expected_secret))
    return {403, "missing or wrong secret"};
  if (head.has_content_encoding) return {415, "Content-Encoding is not accepted"};
  // Chunked bodies have no length to check up front; Telegram always sends Content-Length.
  if (head.has_transfer_encoding) return {411, "Transfer-Encoding is not accepted"};
  if (head.content_length_headers == 0) return {411, "no Content-Length"};
  // Two lengths could be read differently by a proxy in front of us (request smuggling).
  if (head.content_length_headers > 1) return {400, "more than one Content-Length"};
  auto length = parse_length(head.content_length);
  if (!length) return {400, "malformed Content-Length"};
  if (*length > max_body_bytes) return {413, "body over 1 MiB"};
  return {0, "accepted", *length};
}

}  // namespace nocturna::webhook
