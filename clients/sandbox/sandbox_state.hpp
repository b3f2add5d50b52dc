// Everything one sandbox server knows, shared by its Bot API and control API handlers.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

#include "clients/sandbox/api_schema.hpp"
#include "clients/sandbox/call_log.hpp"
#include "clients/sandbox/chat_state.hpp"
#include "clients/sandbox/faults.hpp"
#include "clients/sandbox/photos.hpp"
#include "clients/sandbox/rate_limiter.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "clients/sandbox/update_queue.hpp"

namespace nocturna::sandbox {

struct sandbox_state {
  explicit sandbox_state(options o);

  options opt;
  bot_identity bot;
  api_schema schema;
  chat_store chats;
  photo_store photos;
  update_queue updates;
  call_log calls;
  fault_list faults;
  rate_limiter limits;

  // setMyCommands' last list, as JSON.
  std::string commands_json() const;
  void set_commands_json(std::string json);

  // Sleeps up to `d`; returns false when the server is stopping.
  bool sleep_for(std::chrono::milliseconds d);
  void stop();
  bool stopping() const { return stopping_; }

 private:
  mutable std::mutex mu_;
  std::condition_variable stop_cv_;
  std::string commands_json_ = "[]";
  std::atomic<bool> stopping_{false};
};

// Seconds since the epoch (Message.date).
std::int64_t unix_now();

// The bot's User from its token ("123:abc" → id 123).
bot_identity identity_from(const options& o);

}  // namespace nocturna::sandbox
