#include "clients/sandbox/sandbox_state.hpp"

#include <cctype>

namespace nocturna::sandbox {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bot_identity identity_from(const options& o) {
  bot_identity b;
  b.id = 0;
  for (char c : o.token) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || b.id > 100000000000000) break;
    b.id = b.id * 10 + (c - '0');
  }
  if (b.id == 0) b.id = 1000000001;
  b.first_name = "Nocturna Sandbox";
  b.username = o.bot_username;
  return b;
}

sandbox_state::sandbox_state(options o) : opt(std::move(o)), bot(identity_from(opt)) {}

std::string sandbox_state::commands_json() const {
  std::lock_guard<std::mutex> lock(mu_);
  return commands_json_;
}

void sandbox_state::set_commands_json(std::string json) {
  std::lock_guard<std::mutex> lock(mu_);
  commands_json_ = std::move(json);
}

bool sandbox_state::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stop_cv_.wait_for(lock, d, [this] { return stopping_.load(); });
}

void sandbox_state::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  updates.stop();
  chats.stop();
}

}  // namespace nocturna::sandbox
