#include "clients/llm/openrouter_client.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <stdexcept>
#include <thread>

#include "clients/capped_body.hpp"
#include "clients/logging.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/llm_sanitize.hpp"
#include "protocol/url.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::llm {

using std::chrono::milliseconds;

namespace {

constexpr std::size_t max_answer_bytes = 1u << 20;  // a 2,000-token answer is ~10 KB of JSON
constexpr const char* user_agent = "NocturnaBot/1.0";

std::shared_ptr<spdlog::logger> log() {
  return get_logger("llm");
}

double uniform01() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

milliseconds until(openrouter_client::clock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(t - openrouter_client::clock::now());
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// At most `max_bytes` of `text` on one line, cut at a UTF-8 boundary: error bodies may be pages.
std::string excerpt(std::string_view text, std::size_t max_bytes = 200) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && out.size() < max_bytes;) {
    char32_t cp;
    const auto n = decode_utf8(text, i, cp);
    if (n == 0) {
      ++i;
      continue;
    }
    if (out.size() + n > max_bytes) break;
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      out.push_back(' ');
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  if (out.size() < text.size()) out += "…";
  return out;
}

// Seconds of a Retry-After header; -1 when absent or an HTTP date (then the default pause holds).
int parse_retry_after(std::string_view header) {
  const auto v = trimmed(header);
  if (v.empty() || v.size() > 6) return -1;
  int s = 0;
  for (const char c : v) {
    if (c < '0' || c > '9') return -1;
    s = s * 10 + (c - '0');
  }
  return s;
}

llm_error make_error(llm_errc kind, std::string reason, int status, std::string detail) {
  llm_error e;
  e.kind = kind;
  e.reason = std::move(reason);
  e.http_status = status;
  e.detail = std::move(detail);
  return e;
}

// `message` (and `code`) of an OpenRouter error object.
std::string error_object_text(simdjson::dom::element err) {
  std::string_view message;
  std::string out;
  if (!err["message"].get(message)) out = std::string(message);
  std::int64_t code = 0;
  if (!err["code"].get(code)) out = fmt::format("code {}: {}", code, out);
  return out.empty() ? "error object without a message" : out;
}

}  // namespace

// ---- public helpers ----

bool openrouter_enabled(std::string_view api_key) {
  return !trimmed(api_key).empty();
}

const char* llm_errc_name(llm_errc e) {
  switch (e) {
    case llm_errc::unavailable:
      return "unavailable";
    case llm_errc::rejected:
      return "rejected";
    case llm_errc::timeout:
      return "timeout";
    case llm_errc::malformed:
      return "malformed";
    case llm_errc::breaker_open:
      return "breaker_open";
  }
  return "?";
}

std::string llm_result::describe() const {
  if (ok) {
    return fmt::format("ok model={} finish={} attempts={} latency={}ms tokens={}/{}/{}", model,
                       finish_reason, attempts, latency.count(), usage.prompt_tokens,
                       usage.completion_tokens, usage.total_tokens);
  }
  return fmt::format("{} ({}) status={} attempts={} latency={}ms: {}", llm_errc_name(error.kind),
                     error.reason, error.http_status, attempts, latency.count(), error.detail);
}

std::string chat_request_body(const std::string& model, purpose p, std::string_view system_prompt,
                              std::string_view user_data) {
  const auto& params = params_of(p);
  const std::string messages =
      "[" + json::object().add("role", "system").add("content", system_prompt).str() + "," +
      json::object().add("role", "user").add("content", user_data).str() + "]";
  return json::object()
      .add("model", model)
      .add_raw("messages", messages)
      .add("temperature", params.temperature)
      .add("max_tokens", params.max_tokens)
      .add("stream", false)
      .str();
}

// ---- breaker ----

llm_breaker::llm_breaker(int threshold, milliseconds open_for, milliseconds credits_open_for)
    : breaker_(threshold, open_for), credits_open_for_(credits_open_for) {}

bool llm_breaker::allow(clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (now < credits_until_) return false;
  return breaker_.allow(now);
}

void llm_breaker::record_success() {
  std::lock_guard lock(mutex_);
  breaker_.record_success();
}

void llm_breaker::record_failure(clock::time_point now) {
  std::lock_guard lock(mutex_);
  breaker_.record_failure(now);
}

void llm_breaker::record_neutral() {
  std::lock_guard lock(mutex_);
  breaker_.record_neutral();
}

void llm_breaker::record_credits_exhausted(clock::time_point now) {
  std::lock_guard lock(mutex_);
  // The shared breaker has one open period; the longer 402 pause is kept beside it.
  credits_until_ = now + credits_open_for_;
  breaker_.record_failure(now);
}

remote::circuit_breaker::state llm_breaker::current(clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (now < credits_until_) return remote::circuit_breaker::state::open;
  return breaker_.current(now);
}

// ---- client ----

namespace detail {

struct attempt_outcome {
  bool ok = false;
  bool retryable = false;
  std::string content;  // the model's text; sanitised once the attempt succeeded
  std::string finish_reason;
  std::string model;
  llm_usage usage;
  llm_error error;
};

}  // namespace detail

namespace {

using detail::attempt_outcome;

attempt_outcome failed(llm_errc kind, std::string reason, int status, std::string detail,
                       bool retryable = false) {
  attempt_outcome r;
  r.error = make_error(kind, std::move(reason), status, std::move(detail));
  r.retryable = retryable;
  return r;
}

// A non-2xx answer: the table of §1.5.
attempt_outcome interpret_status(int status, std::string_view body, bool parsed,
                                 simdjson::dom::element doc, int retry_after) {
  std::string text;
  simdjson::dom::element err;
  if (parsed && !doc["error"].get(err) && err.is_object()) {
    text = error_object_text(err);
  } else {
    text = body.empty() ? "empty body" : "body: " + excerpt(body);
  }
  std::string detail = fmt::format("HTTP {}: {}", status, excerpt(text));
  attempt_outcome r;
  if (status == 400) {
    r = failed(llm_errc::rejected, "bad_request", status, std::move(detail));
  } else if (status == 401) {
    r = failed(llm_errc::rejected, "auth", status, std::move(detail));
  } else if (status == 402) {
    r = failed(llm_errc::rejected, "credits", status, std::move(detail));
  } else if (status == 403) {
    r = failed(llm_errc::rejected, "moderation", status, std::move(detail));
  } else if (status == 408) {
    r = failed(llm_errc::timeout, "timeout", status, std::move(detail), true);
  } else if (status == 429) {
    r = failed(llm_errc::unavailable, "rate_limited", status, std::move(detail), true);
  } else if (status >= 500) {
    r = failed(llm_errc::unavailable, "upstream", status, std::move(detail), true);
  } else if (status >= 400) {
    r = failed(llm_errc::rejected, "client_error", status, std::move(detail));
  } else {
    r = failed(llm_errc::unavailable, "upstream", status, std::move(detail));
  }
  r.error.retry_after_s = retry_after;
  return r;
}

// What one HTTP answer means (§1.4, §1.5).
attempt_outcome interpret(int status, const std::string& body, int retry_after) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  const bool parsed = !parser.parse(body).get(doc) && doc.is_object();
  if (status < 200 || status > 299) return interpret_status(status, body, parsed, doc, retry_after);
  if (!parsed) {
    return failed(llm_errc::malformed, "protocol", status,
                  "answer is not a JSON object: " + excerpt(body));
  }
  // Failures during generation come back as 200 with an error object (§1.4).
  simdjson::dom::element err;
  if (!doc["error"].get(err) && !err.is_null()) {
    return failed(llm_errc::unavailable, "upstream", status,
                  "error in a 200 answer: " +
                      excerpt(err.is_object() ? error_object_text(err) : "not an object"),
                  true);
  }

  attempt_outcome r;
  std::string_view sv;
  if (!doc["model"].get(sv)) r.model = std::string(sv);
  simdjson::dom::object u;
  if (!doc["usage"].get(u)) {
    std::int64_t n = 0;
    if (!u["prompt_tokens"].get(n)) r.usage.prompt_tokens = static_cast<long>(n);
    if (!u["completion_tokens"].get(n)) r.usage.completion_tokens = static_cast<long>(n);
    if (!u["total_tokens"].get(n)) r.usage.total_tokens = static_cast<long>(n);
  }
  simdjson::dom::array choices;
  simdjson::dom::element first;
  if (doc["choices"].get(choices) || choices.at(0).get(first)) {
    return failed(llm_errc::malformed, "empty", status, "answer has no choices", true);
  }
  if (!first["finish_reason"].get(sv)) r.finish_reason = std::string(sv);
  if (first["message"]["content"].get(sv) || trimmed(sv).empty()) {
    return failed(llm_errc::malformed, "empty", status,
                  "choices[0].message.content is missing or blank (finish_reason=" +
                      (r.finish_reason.empty() ? std::string("-") : r.finish_reason) + ")",
                  true);
  }
  r.content = std::string(sv);
  r.ok = true;
  return r;
}

}  // namespace

openrouter_client::openrouter_client(openrouter_config cfg, std::shared_ptr<llm_breaker> breaker)
    : cfg_(std::move(cfg)), breaker_(std::move(breaker)) {
  cfg_.api_key = trimmed(cfg_.api_key);
  const auto base = api_base(cfg_.base_url, "OpenRouter URL");
  path_ = base.path + "/chat/completions";
  http_ = std::make_unique<httplib::Client>(base.origin);
  // A stale pooled connection would cost an attempt; a handshake is nothing next to generation.
  http_->set_keep_alive(false);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  http_->enable_server_certificate_verification(true);
#endif
  if (!breaker_) breaker_ = std::make_shared<llm_breaker>();
  add_secret(cfg_.api_key);
}

openrouter_client::~openrouter_client() = default;

void openrouter_client::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
}

bool openrouter_client::pause(milliseconds d) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, d, [this] { return stopped_; });
}

std::string openrouter_client::scrub(std::string_view text) const {
  std::string out(text);
  const auto& key = cfg_.api_key;
  if (!key.empty()) {
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + 3))
      out.replace(pos, key.size(), "***");
  }
  return redact(out);
}

detail::attempt_outcome openrouter_client::attempt(const std::string& body, purpose p,
                                                   clock::time_point deadline) {
  const auto left = std::max(until(deadline), milliseconds(1));
  http_->set_connection_timeout(std::min(cfg_.connect_timeout, left));
  http_->set_read_timeout(left);
  http_->set_write_timeout(left);

  httplib::Request req;
  req.method = "POST";
  req.path = path_;
  req.headers = {{"Authorization", "Bearer " + cfg_.api_key},
                 {"Content-Type", "application/json"},
                 {"Accept", "application/json"},
                 {"User-Agent", user_agent}};
  if (!cfg_.app_url.empty()) req.headers.emplace("HTTP-Referer", cfg_.app_url);
  if (!cfg_.app_title.empty()) {
    req.headers.emplace("X-OpenRouter-Title", cfg_.app_title);
    req.headers.emplace("X-Title", cfg_.app_title);
  }
  req.body = body;
  capped_body answer(max_answer_bytes);
  req.content_receiver = answer.receiver();

  // httplib's timeouts are per socket operation; a server that trickles bytes would outlive the
  // deadline, so a watcher aborts the exchange at the deadline (or at stop()).
  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  bool done = false, fired = false, stopped = false;
  std::thread watch([&] {
    std::unique_lock lock(mutex_);
    wake_.wait_until(lock, deadline, [&] { return done || stopped_; });
    if (done) return;
    fired = true;
    stopped = stopped_;
    // httplib's stop() only reaches a socket that exists: repeat until send() gives up.
    while (!done) {
      http_->stop();
      wake_.wait_for(lock, milliseconds(10), [&] { return done; });
    }
  });
  const bool sent = http_->send(req, res, err);
  {
    std::lock_guard lock(mutex_);
    done = true;
  }
  wake_.notify_all();
  watch.join();

  if (answer.too_large)
    return failed(llm_errc::malformed, "protocol", res.status, "answer over 1 MiB");
  if (!sent) {
    if (stopped) return failed(llm_errc::unavailable, "stopped", 0, "client stopped");
    if (fired || err == httplib::Error::ConnectionTimeout || until(deadline) <= milliseconds(5))
      return failed(llm_errc::timeout, "timeout", 0, "no answer within the deadline", true);
    // A certificate that fails verification will fail again: no retry.
    if (err == httplib::Error::SSLServerVerification || err == httplib::Error::SSLLoadingCerts)
      return failed(llm_errc::unavailable, "tls", 0, httplib::to_string(err));
    return failed(llm_errc::unavailable, "network", 0, httplib::to_string(err), true);
  }
  auto r =
      interpret(res.status, answer.text, parse_retry_after(res.get_header_value("Retry-After")));
  if (r.ok) {
    std::string text = r.finish_reason == "length" ? drop_unfinished_tail(r.content) : r.content;
    text = sanitize_llm_text(text, params_of(p).hard_cap);
    if (text.empty()) {
      r.ok = false;
      r.retryable = true;
      r.error =
          make_error(llm_errc::malformed, "empty", res.status, "no visible text after sanitising");
    } else {
      r.content = std::move(text);
    }
  }
  r.error.detail = scrub(r.error.detail);
  return r;
}

llm_result openrouter_client::complete(purpose p, const std::string& system_prompt,
                                       const std::string& user_data) {
  return complete(p, system_prompt, user_data, clock::now() + cfg_.timeout);
}

llm_result openrouter_client::complete(purpose p, const std::string& system_prompt,
                                       const std::string& user_data, clock::time_point deadline) {
  const auto start = clock::now();
  const char* what = params_of(p).name;
  llm_result out;
  auto finish = [&]() -> llm_result {
    out.latency = std::chrono::duration_cast<milliseconds>(clock::now() - start);
    return std::move(out);
  };

  if (cfg_.api_key.empty()) {
    out.error = make_error(llm_errc::rejected, "disabled", 0, "no OpenRouter API key");
    return finish();
  }
  // Queueing may have used the whole budget; that says nothing about OpenRouter.
  if (until(deadline) <= milliseconds(0)) {
    out.error = make_error(llm_errc::timeout, "timeout", 0, "deadline passed before the request");
    return finish();
  }
  if (!breaker_->allow(start)) {
    out.error = make_error(llm_errc::breaker_open, "breaker_open", 0, "circuit breaker open");
    log()->info("{}: circuit breaker open, no request", what);
    return finish();
  }

  const std::string body = chat_request_body(cfg_.model, p, system_prompt, user_data);
  log()->debug("{} request: model={} system={} user={}", what, cfg_.model, system_prompt,
               user_data);
  const int attempts = std::max(1, cfg_.max_attempts);
  attempt_outcome last;
  last.error = make_error(llm_errc::timeout, "timeout", 0, "deadline reached before the request");
  for (int n = 1; n <= attempts; ++n) {
    {
      std::lock_guard lock(mutex_);
      if (stopped_) {
        last.error = make_error(llm_errc::unavailable, "stopped", 0, "client stopped");
        break;
      }
    }
    if (until(deadline) <= milliseconds(0)) break;
    out.attempts = n;
    last = attempt(body, p, deadline);
    if (last.ok) {
      breaker_->record_success();
      out.ok = true;
      out.text = std::move(last.content);
      out.finish_reason = std::move(last.finish_reason);
      out.model = std::move(last.model);
      out.usage = last.usage;
      auto r = finish();
      log()->info("{} {}", what, r.describe());
      log()->debug("{} answer: {}", what, r.text);
      return r;
    }
    log()->warn("{} attempt {}/{} failed: {} ({}) status={} {}", what, n, attempts,
                llm_errc_name(last.error.kind), last.error.reason, last.error.http_status,
                last.error.detail);
    if (!last.retryable || n == attempts) break;
    const milliseconds pause_for =
        last.error.retry_after_s >= 0
            ? milliseconds(std::chrono::seconds(last.error.retry_after_s))
            : cfg_.retry_delay + milliseconds(static_cast<long>(
                                     static_cast<double>(cfg_.retry_delay.count()) * uniform01()));
    if (until(deadline) - pause_for < cfg_.retry_min_left) {
      log()->info("{}: no retry, {} ms left and the pause is {} ms", what, until(deadline).count(),
                  pause_for.count());
      break;
    }
    if (!pause(pause_for)) {
      last.error = make_error(llm_errc::unavailable, "stopped", 0, "client stopped");
      break;
    }
  }

  out.error = last.error;
  const auto& reason = out.error.reason;
  if (reason == "stopped" || out.attempts == 0) {
    breaker_->record_neutral();
  } else if (reason == "credits") {
    breaker_->record_credits_exhausted(clock::now());
    log()->error("OpenRouter credits exhausted (402): LLM texts paused");
  } else if (reason == "bad_request" || reason == "moderation" || reason == "client_error") {
    // The request, not the service, was at fault: says nothing about OpenRouter's health.
    breaker_->record_neutral();
    if (reason == "bad_request") log()->error("{}: OpenRouter rejected the request (400)", what);
  } else {
    breaker_->record_failure(clock::now());
    if (reason == "auth") log()->error("OpenRouter key rejected");
  }
  auto r = finish();
  log()->warn("{} failed: {}", what, r.describe());
  return r;
}

}  // namespace nocturna::llm
