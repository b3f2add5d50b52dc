// The webhook endpoint (telegram.md §4.3): only POST {path}; the secret header checked in constant
// time (403); bodies over 1 MiB → 413; the rest is handed to `accept`, which stores the update and
// returns the HTTP status to answer (200 after the inbox commit, 400 not an update, 500 store
// down).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace httplib {
class Server;
}

namespace nocturna::webhook {

class server {
 public:
  using accept_fn = std::function<int(std::string_view body)>;
  server(std::string path, std::string secret, int max_connections, accept_fn accept);
  ~server();
  int start(const std::string& host, int port);  // returns the bound port; throws on failure
  void stop();

 private:
  std::string path_;
  std::string secret_;
  accept_fn accept_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::int64_t last_warning_ms_ = 0;
};

}  // namespace nocturna::webhook
