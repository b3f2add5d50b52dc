// GET /health and GET /metrics on HEALTH_HOST:HEALTH_PORT (docs/telegram.md §4.4), never on the
// webhook's port. Handlers run on httplib's threads and only read shared state.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "clients/health/health_state.hpp"
#include "clients/health/metrics.hpp"

namespace httplib {
class Server;
}

namespace nocturna::health {

class server {
 public:
  server(std::shared_ptr<state> st, std::shared_ptr<metrics::registry> m);
  ~server();
  // Binds (port 0 = ephemeral) and serves on a thread; returns the bound port. Throws
  // std::runtime_error when the address cannot be bound.
  int start(const std::string& host, int port);
  // Test-only (FAULT_INJECTION=on): POST /debug/crash?actor=NAME calls `crash(NAME)` and answers
  // 200 {"ok":true} when it named an actor, else 404. Without this call the path does not exist.
  // Call before start().
  void enable_fault_injection(std::function<bool(const std::string&)> crash);
  void stop();

 private:
  std::shared_ptr<state> state_;
  std::shared_ptr<metrics::registry> metrics_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
};

}  // namespace nocturna::health
