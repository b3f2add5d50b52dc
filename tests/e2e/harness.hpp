// One end-to-end set-up: a sandbox on an ephemeral loopback port, a control client, and the bot
// binary as a child process pointed at it, all in a fresh temporary directory.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "clients/sandbox/control_client.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "tests/support/bot_process.hpp"

namespace nocturna::testing {

inline const std::string e2e_token = "424242:e2e-SECRET-token-must-not-leak";

// A loopback port that was free a moment ago (bound, read, closed): for a URL that must be known
// before its server starts, or for a port nobody listens on.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct harness {
  temp_dir dir;
  std::unique_ptr<sandbox::server> sandbox_server;
  std::unique_ptr<sandbox::control_client> control;
  std::unique_ptr<bot_process> bot;
  std::map<std::string, std::string> env;
  int webhook_port = 0;  // kept across restarts of the bot

  explicit harness(bool sandbox_rate_limits = false) {
    sandbox::options o;
    o.port = 0;
    o.token = e2e_token;
    o.rate_limits = sandbox_rate_limits;
    sandbox_server = std::make_unique<sandbox::server>(o);
    sandbox_server->start();
    control = std::make_unique<sandbox::control_client>(sandbox_server->base_url());
    env = bot_env(sandbox_server->base_url(), e2e_token, dir.path());
  }

  ~harness() {
    if (bot) bot->stop();
    sandbox_server->stop();
  }

  // NOCTURNA_E2E_MODE=webhook (CTest's second run of the end-to-end suite) starts the bot in
  // webhook mode, fed by the sandbox's deliveries, unless the test chose a mode itself.
  void start_bot(const std::map<std::string, std::string>& extra = {}) {
    auto e = env;
    const bool webhook = webhook_run() && !extra.count("BOT_MODE");
    if (webhook) {
      if (webhook_port == 0) webhook_port = free_port();
      e["BOT_MODE"] = "webhook";
      e["WEBHOOK_URL"] = "http://127.0.0.1:" + std::to_string(webhook_port);
      e["WEBHOOK_HOST"] = "127.0.0.1";
      e["WEBHOOK_PORT"] = std::to_string(webhook_port);
      e["WEBHOOK_SECRET"] = "e2e-webhook-secret";
    }
    for (auto& [k, v] : extra) e[k] = v;
    bot = std::make_unique<bot_process>(e, dir.path());
    bot->start();
    // Ready once the sandbox delivers to the bot: setWebhook has been called.
    for (int i = 0; webhook && i < 500 && control->stats().webhook_url.empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  static bool webhook_run() {
    const char* mode = std::getenv("NOCTURNA_E2E_MODE");
    return mode && std::string(mode) == "webhook";
  }

  // The bot's messages in `chat` once there are `n` of them (or the timeout passed).
  sandbox::transcript wait_replies(std::int64_t chat, std::size_t n, int timeout_ms = 15000) {
    return control->wait(chat, n, std::chrono::milliseconds(timeout_ms));
  }

  // The `method` calls (for `chat`, or all) once `n` of them are answered: a reply can show in the
  // transcript a moment before its call is logged as finished.
  std::vector<sandbox::call_record> answered_calls(const std::string& method,
                                                   std::optional<std::int64_t> chat, std::size_t n,
                                                   int timeout_ms = 5000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      auto calls = control->calls(0, method, chat).calls;
      std::size_t answered = 0;
      for (const auto& c : calls) answered += c.status != 0;
      if (answered >= n || std::chrono::steady_clock::now() > until) return calls;
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
  }

  std::string log_file() const {
    std::ifstream in(dir.path() + "/logs/nocturna-bot.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

// The message_id a group reply quotes (reply_parameters.message_id); -1 without one.
inline std::int64_t quoted_message(const sandbox::call_record& c) {
  auto pos = c.params_json.find("\"reply_parameters\"");
  if (pos == std::string::npos) return -1;
  pos = c.params_json.find("\"message_id\":", pos);
  if (pos == std::string::npos) return -1;
  return std::stoll(c.params_json.substr(pos + 13));
}

inline void sleep_ms(int ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace nocturna::testing
