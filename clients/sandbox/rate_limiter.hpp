// Telegram-like flood limits: about 1 message/s per chat with a burst of 3, 30/s overall, and at
// most 20 messages in any 60 s per group (a sliding window, as Telegram counts it: a bucket
// refilling 1 per 3 s would let 40 through in one minute). Used only when the sandbox runs with
// rate limits on.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>

namespace nocturna::sandbox {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  // Takes the tokens of one message to `chat_id` at `now`. Returns 0 when allowed, else the
  // seconds to wait (retry_after) and takes nothing.
  int take(std::int64_t chat_id, clock::time_point now);
  void reset();

 private:
  struct bucket {
    double capacity = 0;
    double per_second = 0;
    double tokens = 0;
    clock::time_point last{};
    bool started = false;
    void refill(clock::time_point now);
    double wait_seconds() const;  // until one token is there
  };
  static bucket make(double capacity, double per_second);

  std::mutex mu_;
  bucket overall_ = make(30, 30);
  std::map<std::int64_t, bucket> chats_;
  // Per group: the send times within the last 60 s.
  std::map<std::int64_t, std::deque<clock::time_point>> groups_;
};

}  // namespace nocturna::sandbox
