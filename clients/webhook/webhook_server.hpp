// The webhook endpoint (docs/deployment.md, "Webhook"): only POST {path} with the secret header
// (compared in constant time), a single Content-Length of at most 1 MiB and no Content-Encoding
// or Transfer-Encoding has its body read; everything else is answered from the head alone (403,
// 404, 405, 411, 413, 415) and the connection closed. Connections wait for their head on one
// epoll thread (head_collector: deadline, size and count limits) and only then take one of
// `max_connections` worker threads, so slow or idle clients cannot hold up Telegram's updates.
// The rest is handed to `accept`, which stores the update and returns the HTTP status to answer
// (200 after the inbox commit, 400 not an update, 500 store down).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace nocturna::webhook {

class guarded_http_server;
class head_collector;
class connection_workers;

struct server_limits {
  std::chrono::milliseconds head_deadline{3000};      // from accept to the end of the head
  std::chrono::milliseconds request_deadline{10000};  // from accept to the answer written
  std::size_t max_pending = 0;                        // 0: half the descriptor limit, ≤ 8192
};

class server {
 public:
  using accept_fn = std::function<int(std::string_view body)>;
  server(std::string path, std::string secret, int max_connections, accept_fn accept,
         server_limits limits = {});
  ~server();
  int start(const std::string& host, int port);  // returns the bound port; throws on failure
  void stop();

 private:
  // Judges the head (request_gate.hpp); true after setting res.status to a refusal.
  bool refused(const httplib::Request& req, httplib::Response& res);
  void warn_refused(const std::string& remote_addr, const char* reason);

  std::string path_;
  std::string secret_;
  int max_connections_;
  accept_fn accept_;
  server_limits limits_;
  std::unique_ptr<guarded_http_server> http_;
  std::unique_ptr<connection_workers> workers_;
  std::unique_ptr<head_collector> collector_;
  std::thread thread_;
  std::atomic<std::int64_t> last_warning_ms_{0};
};

// Raises this process's soft descriptor limit to its hard limit (the unit sets LimitNOFILE) and
// returns the soft limit now in force.
std::size_t raise_descriptor_limit();

}  // namespace nocturna::webhook
