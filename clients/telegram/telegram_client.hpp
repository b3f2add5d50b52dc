// Bot API calls over HTTP(S) with keep-alive (docs/telegram.md §1). One instance per thread:
// cpp-httplib clients are not thread-safe, except stop(), which aborts an in-flight call from
// another thread.
//
// Stale keep-alive connections: a server may close a connection that sat idle (the sandbox after
// 1 s, proxies after their own timeouts) just as a request goes out on it. So a connection idle
// longer than `max_idle` is closed and a new one opened before the call, and a call on a reused
// connection that fails to write, or sees EOF/reset before any response byte, is made once more
// on a new connection — for every method: the server never answered, so it never acted. A read
// timeout after the request went out fully is not such a case and is not retried here (the
// sender decides, by method: Telegram may have delivered a sendMessage).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/api_response.hpp"

namespace httplib {
class Client;
struct Request;
}  // namespace httplib

namespace nocturna::bot {

struct upload_file {
  std::string field;  // "photo"
  std::string filename;
  std::string content_type;
  std::string bytes;
};

class telegram_client {
 public:
  // `api_url` like "https://api.telegram.org" or "http://127.0.0.1:8090" (an optional path prefix
  // is kept). `ca_file`: certificates (PEM) trusted for https instead of the system's, when not
  // empty. Throws std::invalid_argument for a URL without scheme or host.
  telegram_client(const std::string& api_url, std::string token, const std::string& ca_file = "");
  ~telegram_client();
  telegram_client(const telegram_client&) = delete;
  telegram_client& operator=(const telegram_client&) = delete;

  // A connection idle longer than this is reopened before use (TELEGRAM_MAX_IDLE_MS).
  void set_max_idle(std::chrono::milliseconds max_idle) { max_idle_ = max_idle; }

  // POSTs `json_body` as application/json. `timeout` bounds reading the answer.
  api_response call(std::string_view method, const std::string& json_body,
                    std::chrono::milliseconds timeout);

  // POSTs multipart/form-data: plain `fields` plus one file part.
  api_response call_multipart(std::string_view method,
                              const std::vector<std::pair<std::string, std::string>>& fields,
                              const upload_file& file, std::chrono::milliseconds timeout);

  // Aborts the call in flight, if any; safe from any thread.
  void stop();

  // How many calls were made again after a stale connection (for tests and the log).
  int stale_retries() const { return stale_retries_; }

  // "/bot***/method": how a call is named in logs.
  static std::string log_name(std::string_view method);

 private:
  api_response send(std::string_view method, httplib::Request& req,
                    std::chrono::milliseconds timeout);

  std::unique_ptr<httplib::Client> http_;
  std::string path_prefix_;
  std::string token_;
  std::chrono::milliseconds max_idle_{20000};
  std::chrono::steady_clock::time_point last_used_{};
  std::atomic<int> aborts_{0};
  int stale_retries_ = 0;
};

// A fresh random multipart boundary.
std::string random_boundary();

// The multipart/form-data body of `fields` and `file` with `boundary` (pure, for the tests too).
std::string multipart_body(const std::vector<std::pair<std::string, std::string>>& fields,
                           const upload_file& file, const std::string& boundary);

}  // namespace nocturna::bot
