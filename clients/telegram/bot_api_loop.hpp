// Every outgoing Bot API call but the long poll, made by one thread over libcurl's multi
// interface, woken by epoll for the sockets and timeouts libcurl names (its socket interface:
// a wake-up drives the calls on the ready connection, not every call in flight)
// (docs/telegram.md §1): up to `connections` keep-alive connections, each carrying one
// call at a time over HTTP/1.1 or many at once where the server speaks HTTP/2 (api.telegram.org
// does, over TLS). A call waiting for its answer costs a few hundred bytes, not a thread, and no
// thread switches hands with another per call: the caller hands a call over and gets its answer
// in a callback.
//
// Stale keep-alive connections: a call is made once more on a new connection when a reused one
// fails before any answer byte (the server never answered, so it never acted), and a connection
// idle longer than `max_idle` (rounded up to whole seconds) is reopened before use. A call
// whose request went out fully and got no answer is `maybe_delivered` and is not retried here:
// the sender decides, by method (actors/sender.cpp).
//
// The getUpdates long poll stays on its own HTTP/1.1 connection (telegram_client.hpp): some
// servers break long polls over HTTP/2.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clients/telegram/telegram_client.hpp"
#include "protocol/api_response.hpp"

namespace nocturna::bot {

struct bot_api_request {
  std::string method;
  std::string json_body;  // sent as application/json when there is no file
  // multipart/form-data: these fields plus the file
  std::vector<std::pair<std::string, std::string>> fields;
  std::optional<upload_file> file;
  std::chrono::milliseconds timeout{10000};  // the whole call, connecting included
};

class bot_api_loop {
 public:
  struct options {
    std::string api_url;  // "https://api.telegram.org" or "http://127.0.0.1:8090"
    std::string token;
    int connections = 16;  // TELEGRAM_CONNECTIONS
    std::chrono::milliseconds max_idle{20000};
    std::string ca_file;  // trusted certificates for https; empty: the system's
  };
  using on_answer = std::function<void(api_response)>;

  // Starts the loop's thread. Throws std::invalid_argument for a URL without scheme or host.
  explicit bot_api_loop(options o);
  ~bot_api_loop();
  bot_api_loop(const bot_api_loop&) = delete;
  bot_api_loop& operator=(const bot_api_loop&) = delete;

  // Thread-safe. `done` runs exactly once, on the loop's thread, so it must be short (send a
  // message). After stop(), at once with a failure.
  void submit(bot_api_request request, on_answer done);

  // The same call, waiting for its answer: for CAF's test coordinator, where every blocking call
  // runs on the test's thread (actors/blocking_spawn.hpp).
  api_response call(bot_api_request request);

  // How many calls can be in flight without waiting for a connection: the connections, times
  // the streams one connection carries once a server answered over HTTP/2.
  std::size_t capacity() const;
  // Calls handed over and not yet answered.
  std::size_t in_flight() const;

  // Answers every call in flight with a failure ("stopped") and refuses new ones; joins the
  // thread. Idempotent.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nocturna::bot
