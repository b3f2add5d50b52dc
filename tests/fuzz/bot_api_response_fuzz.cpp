// libFuzzer target: a Bot API HTTP answer (status from the first byte, the rest the body) →
// classified response; the result parsers of getMe, getWebhookInfo and sendMessage.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/api_response.hpp"
#include "protocol/bot_types.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const int statuses[] = {200, 400, 401, 403, 404, 409, 429, 500, 502, 503};
  const int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = nocturna::bot::classify_response(status, body);
  (void)nocturna::bot::outcome_name(r.kind);
  (void)nocturna::bot::parse_user(body);
  (void)nocturna::bot::parse_webhook_info(body);
  (void)nocturna::bot::parse_message_id(body);
  return 0;
}
