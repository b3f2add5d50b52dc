// Every Bot API call the sandbox received, and how many were in flight at once (overall and per
// chat) — what end-to-end tests assert the bot's call order and concurrency with.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace nocturna::sandbox {

struct call_entry {
  std::int64_t seq = 0;
  std::string method;  // canonical case; as requested when unknown
  std::optional<std::int64_t> chat_id;
  std::string params_json;
  std::int64_t start_ms = 0;  // since server start
  std::int64_t end_ms = -1;   // -1 while in flight
  int status = 0;             // HTTP status returned; 0 while in flight
  std::string description;    // on errors
};

struct call_stats {
  std::int64_t calls = 0;
  std::int64_t max_in_flight = 0;
  std::int64_t max_in_flight_per_chat = 0;
};

class call_log {
 public:
  call_log();

  // Records the start of a call. `track` counts it in the overall in-flight statistics (every
  // method but getUpdates, whose long poll is always in flight), `track_chat` also in its chat's.
  // Returns its seq.
  std::int64_t begin(std::string method, std::optional<std::int64_t> chat_id,
                     std::string params_json, bool track, bool track_chat);
  void end(std::int64_t seq, int status, std::string description);

  // {"calls":[…],"next":N}: calls with seq ≥ since, optionally of one method (case-insensitive)
  // and one chat.
  std::string calls_json(std::int64_t since, const std::string& method,
                         std::optional<std::int64_t> chat_id) const;
  call_stats stats() const;
  std::int64_t now_ms() const;
  void reset();

 private:
  call_entry* find(std::int64_t seq);
  void leave_flight(std::int64_t seq);

  mutable std::mutex mu_;
  std::chrono::steady_clock::time_point started_;
  std::deque<call_entry> calls_;
  std::int64_t next_seq_ = 1;
  std::int64_t in_flight_ = 0;
  std::map<std::int64_t, std::int64_t> in_flight_per_chat_;
  std::map<std::int64_t, std::optional<std::int64_t>> active_;  // seq → chat of tracked calls
  call_stats stats_;
};

std::string call_json(const call_entry& c);

}  // namespace nocturna::sandbox
