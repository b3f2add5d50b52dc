// One Bot API answer: HTTP status and body, in Telegram's {"ok":…} shape.
#pragma once

#include <optional>
#include <string>

namespace nocturna::sandbox {

struct api_reply {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::string description;  // of errors, for the call log
  int trickle_ms = 0;       // > 0: one space every trickle_ms for trickle_for_ms, then the body
  int trickle_for_ms = 0;
};

// {"ok":true,"result":<result_json>} (+ "description" when given).
api_reply api_ok(const std::string& result_json, const std::string& description = "");
// {"ok":false,"error_code":code,"description":…} (+ parameters.retry_after for 429).
api_reply api_error(int code, const std::string& description,
                    std::optional<int> retry_after = std::nullopt);
api_reply bad_request(const std::string& description);  // 400; description starts "Bad Request: "

}  // namespace nocturna::sandbox
