// Blocking client of the Nocturna Calculations API (docs/calculations.md §7.2, §7.6, §7.8): JSON
// requests with the Bearer token, bounded retries with backoff and jitter inside a total deadline,
// no retry on 4xx, one token exchange and retry on 401. One instance per thread: cpp-httplib's
// client is not thread-safe, except stop(). Instances of one backend share a bearer_tokens.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "clients/nocturna/bearer_tokens.hpp"
#include "clients/nocturna/response.hpp"
#include "clients/nocturna/retry_policy.hpp"

namespace httplib {
class Client;
}

namespace nocturna::remote {

inline constexpr const char* user_agent = "NocturnaBot/1.0";

struct http_request {
  std::string method = "POST";  // POST or GET
  std::string path;             // below the base URL, e.g. "/calculations/planetary-positions"
  std::string body;
  std::string content_type = "application/json";
  // Explicit Bearer for this request; empty → none. Used by one-shot calls only: the retrying
  // call() takes it from bearer_tokens.
  std::string bearer;
};

class nocturna_client {
 public:
  using clock = std::chrono::steady_clock;

  // `base_url` like "https://calculations.nocturna.ru/api" (http or https, trailing `/` ignored).
  // Throws std::invalid_argument for anything else.
  nocturna_client(const std::string& base_url, retry_policy policy,
                  std::shared_ptr<bearer_tokens> tokens);
  ~nocturna_client();
  nocturna_client(const nocturna_client&) = delete;
  nocturna_client& operator=(const nocturna_client&) = delete;

  // The full policy: attempts until success, a non-retryable error, the attempt budget or
  // `deadline` (default: now + policy.total_deadline()). `max_retries` overrides the policy's.
  // Each failed attempt is logged with `op`.
  reply call(http_request req, std::string_view op, std::optional<clock::time_point> deadline = {},
             std::optional<int> max_retries = {});

  // Exactly one attempt with req.bearer, no token exchange, no retry, no log.
  reply send_once(const http_request& req, std::chrono::milliseconds timeout);

  // The service-token exchange of §7.8 with `service_token`, bounded by `timeout`.
  bool exchange(const std::string& service_token, std::chrono::milliseconds timeout,
                access_grant& out, call_error& err);

  // Attempts made by the last call() (for tests and logs).
  int last_attempts() const { return last_attempts_; }

  // Aborts the request in flight and every later one; safe from any thread.
  void stop();

  const retry_policy& policy() const { return policy_; }

 private:
  bool sleep_for(std::chrono::milliseconds d);

  std::unique_ptr<httplib::Client> http_;
  std::string prefix_;
  retry_policy policy_;
  std::shared_ptr<bearer_tokens> tokens_;
  int last_attempts_ = 0;
  std::atomic<bool> stopped_{false};
  std::mutex sleep_mutex_;
  std::condition_variable sleep_cv_;
};

}  // namespace nocturna::remote
