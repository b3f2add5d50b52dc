// What /health reports (docs/telegram.md §4.4), written by the actors and read by the health
// server.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nocturna::health {

// Telegram unreached for this long → HTTP 503.
constexpr std::int64_t telegram_unreached_limit_ms = 180'000;

struct snapshot {
  std::string mode;      // polling | webhook
  std::string instance;  // this process's instance id (actors/runtime.hpp)
  // polling on a shared PostgreSQL: leader (polls) | standby (waits for the lease);
  // otherwise "single" (polling alone) or "webhook"
  std::string role;
  // The instances alive on the shared database, as (instance id, role); empty when alone.
  std::vector<std::pair<std::string, std::string>> peers;
  // Webhook instances sharing a database: the chats this one serves (holds the lease of); -1
  // when it runs alone.
  std::int64_t owned_chats = -1;
  std::int64_t now_ms = 0;
  std::int64_t started_ms = 0;
  std::int64_t last_telegram_ok_ms = 0;  // 0 = never
  std::int64_t last_update_ms = 0;       // 0 = none yet
  bool conflict = false;                 // 409: another instance polls this token
  int sessions = 0;
  std::map<std::string, std::string> upstreams;  // calc/llm/chart → ok | open | disabled | …
  std::map<std::string, std::string> services;   // supervised actor → running | restarting
  std::int64_t webhook_pending = -1;             // from getWebhookInfo; -1 = unknown
  std::int64_t webhook_last_error_date = 0;
};

// The HTTP status and JSON body of GET /health for `s` (pure).
std::pair<int, std::string> render(const snapshot& s);

class state {
 public:
  explicit state(std::string mode);
  void telegram_reached();
  void update_received();
  void set_conflict(bool on) { conflict_ = on; }
  void set_instance(std::string id);
  void set_role(std::string role);
  void set_peers(std::vector<std::pair<std::string, std::string>> peers);
  void set_sessions(int n) { sessions_ = n; }
  void set_owned_chats(std::int64_t n) { owned_chats_ = n; }
  void set_upstream(const std::string& name, const std::string& status);
  void set_service(const std::string& name, bool running);
  void set_webhook_info(std::int64_t pending, std::int64_t last_error_date);
  snapshot take() const;

 private:
  std::string mode_;
  std::int64_t started_ms_;
  std::atomic<std::int64_t> last_telegram_ok_ms_{0};
  std::atomic<std::int64_t> last_update_ms_{0};
  std::atomic<bool> conflict_{false};
  std::atomic<int> sessions_{0};
  std::atomic<std::int64_t> owned_chats_{-1};
  std::atomic<std::int64_t> webhook_pending_{-1};
  std::atomic<std::int64_t> webhook_last_error_date_{0};
  mutable std::mutex mutex_;
  std::map<std::string, std::string> upstreams_;
  std::map<std::string, std::string> services_;
  std::string instance_, role_;
  std::vector<std::pair<std::string, std::string>> peers_;
};

// Wall-clock milliseconds (Unix epoch).
std::int64_t unix_ms();

}  // namespace nocturna::health
