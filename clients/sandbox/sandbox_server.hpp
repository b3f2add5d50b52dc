// The sandbox Bot API server: our stand-in for Telegram, as strict as Telegram so that bot bugs
// show as failing tests. Serves the Bot API (/bot{token}/{method}), the control API
// (/sandbox/…) and a small web chat page (/). See docs/sandbox.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace nocturna::sandbox {

struct options {
  std::string host = "127.0.0.1";
  int port = 8090;  // 0 = ephemeral
  std::string token = "1000000001:SANDBOX-placeholder-token";
  bool rate_limits = false;  // Telegram-like flood limits (429) on sendMessage/sendPhoto/edit*
  std::string bot_username = "nocturna_sandbox_bot";
  // api.min.json; empty or missing = the source tree's share/telegram-bot-api/api.min.json.
  std::string api_spec_path;
  int threads = 128;        // HTTP worker threads: long polls and keep-alive connections hold one
  int webhook_threads = 4;  // concurrent webhook deliveries (different chats)
  // A connection that sends no request for this long is closed (httplib's keep-alive wait, also
  // before a new connection's first request). 1 s tests the bot's stale-connection retry; the
  // end-to-end harness uses 5 s, nearer real servers, so a test process starved for a second
  // under load does not lose a request it had not written yet (docs/sandbox.md).
  int keep_alive_timeout_s = 1;
};

class server {
 public:
  explicit server(options opts);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Loads the API spec, binds, starts serving on a thread; returns the bound port. Throws
  // std::runtime_error on failure.
  int start();
  // Ends long polls and waits, stops serving and the webhook pusher. Idempotent.
  void stop();
  // "http://127.0.0.1:PORT" once started.
  std::string base_url() const;
  const std::string& token() const;
  // The clock of the call log (ms since the server was made): `start_ms` and `end_ms` of every
  // call record count on it, so a caller can time events against the calls (benchmarks).
  std::int64_t clock_ms() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The api.min.json the server uses when options.api_spec_path is empty or missing.
std::string default_api_spec_path();

}  // namespace nocturna::sandbox
