// Blocking client of OpenRouter's chat completions (docs/integrations.md §1.2–§1.6), for detached
// actors: one request per purpose with the caller's absolute deadline, at most two attempts
// (the second only for transient failures and only when enough time is left), a circuit breaker
// shared by every client of the process, and the answer returned already sanitised (§1.6).
// The API key never appears in a log line or in an error detail. One client per thread
// (cpp-httplib's client is not thread-safe); stop() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "clients/llm/prompts.hpp"
#include "clients/nocturna/circuit_breaker.hpp"

namespace httplib {
class Client;
}

namespace nocturna::llm {

namespace detail {
struct attempt_outcome;
}

// Filled from OPENROUTER_* (docs/integrations.md §1.1) by the caller; this header does not read the
// environment.
struct openrouter_config {
  std::string base_url = "https://openrouter.ai/api/v1";  // http or https; trailing '/' ignored
  std::string api_key;  // blank (after trimming) = disabled: no request is ever sent
  std::string model = "anthropic/claude-haiku-4.5";
  std::string app_url;                       // HTTP-Referer when non-empty
  std::string app_title;                     // X-OpenRouter-Title and X-Title when non-empty
  std::chrono::milliseconds timeout{45000};  // OPENROUTER_TIMEOUT, for callers without a deadline

  // §1.5; tests shrink these.
  int max_attempts = 2;
  std::chrono::milliseconds retry_min_left{10000};  // a retry needs this much left after its pause
  std::chrono::milliseconds retry_delay{1000};      // pause = d + uniform(0, d) without Retry-After
  std::chrono::milliseconds connect_timeout{10000};  // capped by the time left
};

// Whether `api_key` enables the LLM (non-blank after trimming, §1.1).
bool openrouter_enabled(std::string_view api_key);

enum class llm_errc {
  unavailable,   // network failure, 429, 5xx, 200 with an error object, stopped
  rejected,      // 400, 401, 402, 403 and other 4xx: retrying cannot help
  timeout,       // the deadline passed (client side or 408)
  malformed,     // not the JSON of §1.4, or no usable text in it
  breaker_open,  // failed at once without a request
};
const char* llm_errc_name(llm_errc e);

struct llm_error {
  llm_errc kind = llm_errc::unavailable;
  // The class of the table in §1.5: bad_request, auth, credits, moderation, client_error,
  // timeout, network, tls, rate_limited, upstream, empty, protocol, breaker_open, disabled,
  // stopped.
  std::string reason;
  int http_status = 0;     // 0 when no HTTP answer came
  int retry_after_s = -1;  // Retry-After of the last answer, -1 when absent
  std::string detail;      // for the log only; redacted, never the key
};

struct llm_usage {
  long prompt_tokens = 0;
  long completion_tokens = 0;
  long total_tokens = 0;
};

struct llm_result {
  bool ok = false;
  std::string text;  // sanitised Telegram HTML (§1.6): insert as is, never escape again
  std::string finish_reason;
  std::string model;  // as reported by the answer
  llm_usage usage;
  llm_error error;  // meaningful when !ok
  int attempts = 0;
  std::chrono::milliseconds latency{0};

  // One line for the log: outcome, class, status, attempts, latency, detail.
  std::string describe() const;
};

// The breaker of every OpenRouter client in the process (§1.5): `threshold` consecutive failed
// calls open it for `open_for`; a 402 (credits exhausted) keeps it open for `credits_open_for`.
// Thread-safe.
class llm_breaker {
 public:
  using clock = std::chrono::steady_clock;
  explicit llm_breaker(int threshold = 5,
                       std::chrono::milliseconds open_for = std::chrono::seconds(60),
                       std::chrono::milliseconds credits_open_for = std::chrono::minutes(10));

  bool allow(clock::time_point now);
  void record_success();
  void record_failure(clock::time_point now);
  void record_neutral();
  void record_credits_exhausted(clock::time_point now);
  remote::circuit_breaker::state current(clock::time_point now) const;

 private:
  mutable std::mutex mutex_;
  remote::circuit_breaker breaker_;
  std::chrono::milliseconds credits_open_for_;
  clock::time_point credits_until_{};
};

class openrouter_client {
 public:
  using clock = std::chrono::steady_clock;

  // Throws std::invalid_argument when base_url is not http(s)://host[:port][/path].
  // Without a breaker the client gets its own.
  explicit openrouter_client(openrouter_config cfg, std::shared_ptr<llm_breaker> breaker = nullptr);
  ~openrouter_client();
  openrouter_client(const openrouter_client&) = delete;
  openrouter_client& operator=(const openrouter_client&) = delete;

  // POST {base}/chat/completions with the parameters of `p`; never runs past `deadline`. On
  // success `text` is the sanitised answer capped at the purpose's hard cap.
  llm_result complete(purpose p, const std::string& system_prompt, const std::string& user_data,
                      clock::time_point deadline);
  // The same with deadline = now + cfg.timeout.
  llm_result complete(purpose p, const std::string& system_prompt, const std::string& user_data);

  // Ends the request in flight and every later one (they fail as `unavailable`/"stopped").
  void stop();

  const openrouter_config& config() const { return cfg_; }
  const std::shared_ptr<llm_breaker>& breaker() const { return breaker_; }

 private:
  detail::attempt_outcome attempt(const std::string& body, purpose p, clock::time_point deadline);
  bool pause(std::chrono::milliseconds d);
  std::string scrub(std::string_view text) const;

  openrouter_config cfg_;
  std::string path_;  // path prefix of base_url + "/chat/completions"
  std::unique_ptr<httplib::Client> http_;
  std::shared_ptr<llm_breaker> breaker_;
  std::mutex mutex_;  // guards stopped_ and the watch of the attempt in flight
  std::condition_variable wake_;
  bool stopped_ = false;
  bool in_flight_ = false;
};

// The JSON body of §1.2 (no streaming, no tools, no user identifiers).
std::string chat_request_body(const std::string& model, purpose p, std::string_view system_prompt,
                              std::string_view user_data);

}  // namespace nocturna::llm
