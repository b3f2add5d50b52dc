// A tiny HTTP/1.1 server on a loopback ephemeral port that answers Bot API calls with keep-alive
// and misbehaves on cue the way real servers and proxies do with idle connections: it closes a
// connection after reading a request (EOF before any answer byte), resets it, resets it in the
// middle of a request body, or never answers. For the Telegram client's stale-connection tests.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace nocturna::testing {

class keepalive_server {
 public:
  enum class action {
    answer,         // 200 {"ok":true,"result":true}, connection kept
    close,          // reads the request, closes the connection: EOF, no answer byte
    reset,          // reads the request, resets the connection (RST)
    reset_in_body,  // reads the headers only, resets while the body is still coming
    hang,           // reads the request, never answers (until stop)
  };

  keepalive_server();
  ~keepalive_server();
  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // What to do with request number `n` (1-based, counted over all connections); default answer.
  void on_request(int n, action a);

  // The connection number (1-based, in accept order) of each request received so far.
  std::vector<int> request_connections() const;

 private:
  void accept_loop();
  void serve(int fd, int connection);
  action next_action(int connection);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  std::map<int, action> script_;
  std::vector<int> requests_;  // connection of each request
  std::vector<std::thread> workers_;
  std::vector<int> open_fds_;
};

}  // namespace nocturna::testing
