// Messages between actors (docs/architecture.md "Messages between actors"). Plain data; the CAF
// glue is in actors/message_types.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "protocol/api_response.hpp"

namespace nocturna::msg {

// One update handed from the poller (or the webhook receiver) to the dispatcher and a session.
// `rerun` marks an inbox row handled again after a restart (its sent-log is consulted).
struct update {
  std::int64_t update_id = 0;
  std::int64_t chat_id = 0;
  std::string json;
  bool rerun = false;
  std::int64_t received_ms = 0;  // steady-clock ms when it was received (for latency metrics)
};

enum class send_lane { interactive, broadcast };

// One Bot API call for the sender. `update_id`/`seq` key the sent-log (seq < 0: not logged).
struct bot_call {
  std::int64_t chat_id = 0;  // 0 = not tied to a chat (getMe, setMyCommands, ...)
  std::string method;
  std::string json_body;  // parameters as JSON, unless `file` is set
  // multipart upload: plain fields plus one file part (sendPhoto)
  std::vector<std::pair<std::string, std::string>> fields;
  std::string file_field, file_name, file_type, file_bytes;
  std::int64_t update_id = 0;
  int seq = -1;
  send_lane lane = send_lane::interactive;
  std::int64_t deadline_ms = 0;  // steady-clock ms; 0 = the method's default deadline
};

// The sender's answer: the classified response of the last attempt.
using call_result = bot::api_response;

}  // namespace nocturna::msg
