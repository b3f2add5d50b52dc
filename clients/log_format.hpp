// LOG_FORMAT=json: one JSON object per log line, for Loki, ELK or journald users:
//   {"ts":"2026-12-06T19:30:01.123Z","level":"error","actor":"dispatcher","chat_id":42,
//    "update_id":1001,"event":"session","msg":"chat=42 update=1001 session crashed (...)"}
// The fields come from the project's line convention ("[actor] chat=N update=N words…"): the
// actor from the leading tag (or the logger's name), chat_id and update_id from `chat=` and
// `update=` (null when absent), event from an `event=` field or else the first plain word.
#pragma once

#include <spdlog/formatter.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace nocturna {

// The JSON line (without the newline) of one already redacted message. `ts_ms`: unix ms.
std::string json_log_line(std::int64_t ts_ms, std::string_view level, std::string_view logger,
                          std::string_view message);

// An spdlog formatter writing json_log_line plus a newline.
std::unique_ptr<spdlog::formatter> make_json_formatter();

}  // namespace nocturna
