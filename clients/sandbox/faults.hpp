// Fault injection: the next calls of a method are delayed and/or answered with an error, to test
// how the bot copes with 5xx, 429, proxies and slow answers.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nocturna::sandbox {

struct fault {
  std::string method = "*";             // case-insensitive; "*" = any method
  std::optional<std::int64_t> chat_id;  // only calls for this chat (optional)
  int count = 1;                        // ≤ 0 = every call until cleared
  int error_code = 500;                 // 0 = only the delay, then the call is handled normally
  std::string description;              // default: from error_code
  std::optional<int> retry_after;
  std::optional<std::int64_t> migrate_to_chat_id;
  int delay_ms = 0;
  // > 0: instead of waiting delay_ms in silence, the answer is preceded by one space every
  // trickle_ms for delay_ms — a stalled connection that no per-read timeout notices.
  int trickle_ms = 0;
  std::optional<std::string> raw_body;  // answer with this body and HTTP status error_code
};

// Reads a fault from its control-API JSON; nothing (and `error`) when malformed.
std::optional<fault> parse_fault(const std::string& json, std::string& error);

// The body of the error answer for `f` (Bot API JSON unless raw_body is set).
std::string fault_body(const fault& f);
std::string fault_description(const fault& f);

class fault_list {
 public:
  void add(fault f);
  void clear();
  // The fault for this call, consuming one of its count.
  std::optional<fault> take(const std::string& method, std::optional<std::int64_t> chat_id);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<fault> faults_;
};

}  // namespace nocturna::sandbox
