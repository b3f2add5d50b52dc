// One end-to-end set-up: a sandbox on an ephemeral loopback port, a control client, and the bot
// binary as a child process pointed at it, all in a fresh temporary directory.
#pragma once

#include <httplib.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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
#include "tests/support/time_factor.hpp"

namespace nocturna::testing {

inline const std::string e2e_token = "424242:e2e-SECRET-token-must-not-leak";

// An API URL where nothing listens: no test binds a privileged port, so a connection to it is
// refused at once (a port "free a moment ago" could be taken by another test's server meanwhile).
inline const std::string dead_api_url = "http://127.0.0.1:1/api";

// One value of a bot's /metrics on `health_port`; -1 when missing.
inline double bot_metric(int health_port, const std::string& name) {
  httplib::Client client("127.0.0.1", health_port);
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::atof(line.c_str() + name.size() + 1);
  return -1;
}

// The log of a bot whose LOG_DIR is `dir`/logs, as written so far.
inline std::string bot_log(const std::string& dir) {
  std::ifstream in(dir + "/logs/nocturna-bot.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A port the bot in `dir` logged after `marker`, past the first `from` bytes of its log (its
// listeners bind port 0 in tests, so no other process can take a port between choosing and
// binding it); 0 after the timeout.
inline int logged_port_in(const std::string& dir, const std::string& marker, std::size_t from = 0,
                          int timeout_ms = 20000) {
  int port = 0;
  wait_until(
      [&] {
        auto log = bot_log(dir);
        auto at = log.size() > from ? log.find(marker, from) : std::string::npos;
        if (at != std::string::npos) port = std::atoi(log.c_str() + at + marker.size());
        return port > 0;
      },
      timeout_ms);
  return port;
}

// The marker before the health listener's port in a bot's log (HEALTH_PORT=0 in tests).
inline const std::string health_port_marker = "health and metrics on http://127.0.0.1:";

struct harness {
  temp_dir dir;
  std::unique_ptr<sandbox::server> sandbox_server;
  std::unique_ptr<sandbox::control_client> control;
  std::unique_ptr<bot_process> bot;
  std::map<std::string, std::string> env;
  int webhook_port = 0;        // where the bot's webhook server listens (this run)
  std::size_t log_offset = 0;  // the size of the bot's log when this run started

  // `keep_alive_s`: how long the sandbox keeps a connection that sends nothing (see
  // sandbox::options); the stale-connection tests pass 1.
  explicit harness(bool sandbox_rate_limits = false, int keep_alive_s = 5) {
    sandbox::options o;
    o.port = 0;
    o.token = e2e_token;
    o.rate_limits = sandbox_rate_limits;
    o.keep_alive_timeout_s = keep_alive_s;
    sandbox_server = std::make_unique<sandbox::server>(o);
    sandbox_server->start();
    control = std::make_unique<sandbox::control_client>(sandbox_server->base_url());
    env = bot_env(sandbox_server->base_url(), e2e_token, dir.path());
  }

  ~harness() {
    if (bot) bot->stop();
    sandbox_server->stop();
    keep_log();
  }

  // NOCTURNA_E2E_KEEP_LOGS=DIR keeps each run's bot log there (named by process and run) and says
  // where on stderr, which CTest shows for a failed test: the evidence for a flake hunt.
  void keep_log() const {
    const char* keep = std::getenv("NOCTURNA_E2E_KEEP_LOGS");
    if (!keep || !*keep) return;
    static int run = 0;
    const std::string path =
        std::string(keep) + "/" + std::to_string(::getpid()) + "-" + std::to_string(++run) + ".log";
    std::ofstream(path) << log_file();
    std::fprintf(stderr, "bot log kept in %s\n", path.c_str());
  }

  // NOCTURNA_E2E_MODE=webhook (CTest's second run of the end-to-end suite) starts the bot in
  // webhook mode, fed by the sandbox's deliveries, unless the test chose a mode itself.
  void start_bot(const std::map<std::string, std::string>& extra = {}) {
    auto e = env;
    const bool webhook = webhook_run() && !extra.count("BOT_MODE");
    if (webhook)
      for (auto& [k, v] : webhook_env("e2e-webhook-secret-0123456789abcdef")) e[k] = v;
    for (auto& [k, v] : extra) e[k] = v;
    log_offset = log_file().size();
    bot = std::make_unique<bot_process>(e, dir.path());
    bot->start();
    if (e.count("BOT_MODE") && e["BOT_MODE"] == "webhook" && e["WEBHOOK_PORT"] == "0") {
      // Ready once the sandbox delivers to this run's server: setWebhook has been called.
      webhook_port = logged_port("[webhook] listening on 127.0.0.1:");
      const auto url = "http://127.0.0.1:" + std::to_string(webhook_port) + "/webhook";
      wait_until([&] { return control->stats().webhook_url == url; });
    }
  }

  // Webhook mode with `secret` (32+ characters). Port 0 twice: the bot binds an ephemeral port
  // and tells setWebhook which one; start_bot waits until the sandbox knows it (`webhook_port`).
  static std::map<std::string, std::string> webhook_env(const std::string& secret) {
    return {{"BOT_MODE", "webhook"},
            {"WEBHOOK_URL", "http://127.0.0.1:0"},
            {"WEBHOOK_HOST", "127.0.0.1"},
            {"WEBHOOK_PORT", "0"},
            {"WEBHOOK_SECRET", secret}};
  }

  // A port the bot logged after `marker` in this run; 0 after the timeout.
  int logged_port(const std::string& marker, int timeout_ms = 20000) const {
    return logged_port_in(dir.path(), marker, log_offset, timeout_ms);
  }

  // The health listener's port in this run.
  int health_port() const { return logged_port(health_port_marker); }

  static bool webhook_run() {
    const char* mode = std::getenv("NOCTURNA_E2E_MODE");
    return mode && std::string(mode) == "webhook";
  }

  // The bot's messages in `chat` once there are `n` of them (or the timeout passed).
  sandbox::transcript wait_replies(std::int64_t chat, std::size_t n, int timeout_ms = 30000) {
    return control->wait(chat, n, std::chrono::milliseconds(scaled_ms(timeout_ms)));
  }

  // The `method` calls (for `chat`, or all) once `n` of them are answered: a reply can show in the
  // transcript a moment before its call is logged as finished.
  std::vector<sandbox::call_record> answered_calls(const std::string& method,
                                                   std::optional<std::int64_t> chat, std::size_t n,
                                                   int timeout_ms = 20000) {
    auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
    for (;;) {
      auto calls = control->calls(0, method, chat).calls;
      std::size_t answered = 0;
      for (const auto& c : calls) answered += c.status != 0;
      if (answered >= n || std::chrono::steady_clock::now() > until) return calls;
      std::this_thread::sleep_for(std::chrono::milliseconds(15));
    }
  }

  // Waits until the bot logged update `update_id` as handled (its turn ended and each of its calls
  // was answered): the condition to check "nothing else was sent" on. False on timeout.
  bool wait_handled(std::int64_t update_id, int timeout_ms = 20000) const {
    const std::string line = " update=" + std::to_string(update_id) + " handled";
    return wait_until([&] { return log_file().find(line) != std::string::npos; }, timeout_ms);
  }

  // One integer read from the running bot's SQLite store (read-only, `?` bound to `key`); nothing
  // when the row is missing or the value NULL.
  std::optional<std::int64_t> store_int(const std::string& sql, std::int64_t key) const {
    const std::string path = dir.path() + "/data/nocturna.db";
    std::optional<std::int64_t> value;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 2000);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, key);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
          value = sqlite3_column_int64(st, 0);
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return value;
  }

  std::string log_file() const { return bot_log(dir.path()); }

  // True while the bot has not logged its gazetteer, built on a thread at nice +10 after start-up,
  // ready.
  bool places_pending() const { return log_file().find("gazetteer ready") == std::string::npos; }

  // A wait for the bot's reply: `timeout_ms`, and on while the gazetteer is still being built, up
  // to 80 s more. A place lookup waits for the gazetteer that long before it answers
  // (actors/session_dialogue.cpp), and on a starved machine the build outlasts a reply's usual
  // wait.
  class reply_wait {
   public:
    reply_wait(const harness& h, int timeout_ms)
        : h_(h),
          until_(wait_deadline(std::chrono::milliseconds(timeout_ms))),
          until_places_(wait_deadline(std::chrono::milliseconds(timeout_ms + 80000))) {}

    bool over() const {
      const auto now = std::chrono::steady_clock::now();
      return now > until_places_ || (now > until_ && !h_.places_pending());
    }

   private:
    const harness& h_;
    std::chrono::steady_clock::time_point until_, until_places_;
  };
};

// Calls a kill -9 may leave to be made again: unanswered a moment before it, or started since
// (`before` and `after` are the call log read just before and just after the kill), plus those
// answered in the last 100 ms, whose sent-log entry may still have been on its way to the disk
// (a group commit with fsync, slower on a busy machine).
inline int calls_in_flight_at_kill(const std::vector<sandbox::call_record>& before,
                                   const std::vector<sandbox::call_record>& after) {
  std::int64_t newest_start = 0;
  for (auto& c : before) newest_start = std::max(newest_start, c.start_ms);
  int in_flight = static_cast<int>(after.size() - before.size());
  for (auto& c : before)
    if (c.status == 0 || c.end_ms >= newest_start - 100) ++in_flight;
  return in_flight;
}

// The message_id a group reply quotes (reply_parameters.message_id); -1 without one.
inline std::int64_t quoted_message(const sandbox::call_record& c) {
  auto pos = c.params_json.find("\"reply_parameters\"");
  if (pos == std::string::npos) return -1;
  pos = c.params_json.find("\"message_id\":", pos);
  if (pos == std::string::npos) return -1;
  return std::stoll(c.params_json.substr(pos + 13));
}

}  // namespace nocturna::testing
