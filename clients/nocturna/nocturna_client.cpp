#include "clients/nocturna/nocturna_client.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "clients/logging.hpp"
#include "protocol/url.hpp"

namespace nocturna::remote {
namespace {

using std::chrono::milliseconds;

double jitter_draw() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

milliseconds left_until(nocturna_client::clock::time_point deadline) {
  return std::chrono::duration_cast<milliseconds>(deadline - nocturna_client::clock::now());
}

reply failure(call_error e) {
  reply r;
  r.error = std::move(e);
  return r;
}

std::shared_ptr<spdlog::logger> log() {
  return get_logger("nocturna");
}

void log_failure(std::string_view op, int attempt, int attempts, const call_error& e) {
  log()->warn("{} attempt {}/{} failed: class={} status={} request_id={} {}", op, attempt, attempts,
              error_class_name(e.cls), e.http_status, e.request_id.empty() ? "-" : e.request_id,
              e.detail);
}

}  // namespace

nocturna_client::nocturna_client(const std::string& base_url, retry_policy policy,
                                 std::shared_ptr<bearer_tokens> tokens)
    : policy_(policy), tokens_(std::move(tokens)) {
  auto base = api_base(base_url, "API URL");
  prefix_ = std::move(base.path);
  http_ = std::make_unique<httplib::Client>(base.origin);
  http_->set_keep_alive(true);
  // Requests are small: without this a keep-alive request can wait ~40 ms for delayed ACKs.
  http_->set_tcp_nodelay(true);
  if (!tokens_) tokens_ = std::make_shared<bearer_tokens>("", false);
}

nocturna_client::~nocturna_client() = default;

void nocturna_client::stop() {
  {
    std::lock_guard lock(sleep_mutex_);
    stopped_ = true;
  }
  sleep_cv_.notify_all();
  http_->stop();
}

bool nocturna_client::sleep_for(milliseconds d) {
  std::unique_lock lock(sleep_mutex_);
  return !sleep_cv_.wait_for(lock, d, [this] { return stopped_.load(); });
}

reply nocturna_client::send_once(const http_request& r, milliseconds timeout) {
  if (stopped_) return failure(transport_error("client stopped"));
  const auto budget = std::max(timeout, milliseconds(1));
  http_->set_connection_timeout(std::min(policy_.connect_timeout, budget));
  http_->set_read_timeout(budget);
  http_->set_write_timeout(budget);

  httplib::Request req;
  req.method = r.method;
  req.path = prefix_ + r.path;
  req.headers = {
      {"Accept", "application/json"}, {"User-Agent", user_agent}, {"Content-Type", r.content_type}};
  if (!r.bearer.empty()) req.headers.emplace("Authorization", "Bearer " + r.bearer);
  if (r.method != "GET") req.body = r.body;
  // The read timeout restarts with every chunk; this bounds a server that trickles its body.
  const auto deadline = clock::now() + budget;
  req.progress = [deadline](std::uint64_t, std::uint64_t) { return clock::now() < deadline; };

  auto res = http_->send(req);
  if (!res) {
    const auto err = res.error();
    return failure(transport_error(err == httplib::Error::Canceled
                                       ? std::string("attempt deadline reached")
                                       : httplib::to_string(err)));
  }
  return interpret_response(res->status, res->body, res->get_header_value("X-Request-ID"));
}

bool nocturna_client::exchange(const std::string& service_token, milliseconds timeout,
                               access_grant& out, call_error& err) {
  http_request req;
  req.path = "/auth/service-token/refresh";
  req.bearer = service_token;
  auto r = send_once(req, timeout);
  if (!r.ok) {
    err = r.error;
    if (r.error.http_status == 401 || r.error.http_status == 403) {
      log()->error("service token rejected: status={} request_id={} {}", r.error.http_status,
                   r.error.request_id.empty() ? "-" : r.error.request_id, r.error.detail);
    } else {
      log()->error("service token exchange failed: class={} status={} {}",
                   error_class_name(r.error.cls), r.error.http_status, r.error.detail);
    }
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view token;
  if (parser.parse(r.payload).get(o) || o.at_key("access_token").get(token) || token.empty()) {
    err.cls = error_class::auth;
    err.detail = "token exchange answer has no access_token";
    log()->error("service token exchange failed: {}", err.detail);
    return false;
  }
  out.token = std::string(token);
  add_rotating_secret("nocturna access token", out.token);
  std::int64_t expires_in = 0;
  double expires_in_f = 0;
  if (!o["expires_in"].get(expires_in)) {
    out.expires_in = std::chrono::seconds(expires_in);
  } else if (!o["expires_in"].get(expires_in_f)) {
    out.expires_in = std::chrono::seconds(static_cast<std::int64_t>(expires_in_f));
  }
  log()->info("service token exchanged for an access token valid {} s", out.expires_in.count());
  return true;
}

reply nocturna_client::call(http_request req, std::string_view op,
                            std::optional<clock::time_point> deadline,
                            std::optional<int> max_retries) {
  const auto end = deadline.value_or(clock::now() + policy_.total_deadline());
  const int attempts = 1 + std::max(0, max_retries.value_or(policy_.max_retries));
  auto refresh = [this, end](const std::string& service, access_grant& out, call_error& err) {
    return exchange(service, policy_.attempt_budget(left_until(end)), out, err);
  };

  bool exchanged = false;
  reply last = failure(transport_error("deadline reached before the first attempt"));
  last_attempts_ = 0;
  for (int attempt = 1; attempt <= attempts;) {
    const auto left = left_until(end);
    if (left <= milliseconds(0) || (attempt > 1 && left < policy_.min_attempt)) break;
    if (stopped_) return failure(transport_error("client stopped"));

    call_error token_error;
    if (!tokens_->current(refresh, req.bearer, token_error)) return failure(token_error);
    ++last_attempts_;
    last = send_once(req, policy_.attempt_budget(left));
    if (last.ok) return last;

    if (last.error.http_status == 401 && tokens_->can_refresh() && !exchanged) {
      // The one retry after an exchange is not one of the attempts (§7.8).
      exchanged = true;
      log_failure(op, attempt, attempts, last.error);
      if (!tokens_->after_unauthorized(req.bearer, refresh, req.bearer, token_error))
        return failure(token_error);
      continue;
    }
    log_failure(op, attempt, attempts, last.error);
    if (!last.error.retryable || attempt == attempts) return last;

    const auto delay = policy_.backoff(attempt, jitter_draw());
    if (left_until(end) - delay < policy_.min_attempt) break;
    if (!sleep_for(delay)) return failure(transport_error("client stopped"));
    ++attempt;
  }
  // Out of time. The class stays the last attempt's (a timeout is already `unavailable`).
  last.error.retryable = false;
  last.error.detail = "total deadline reached; last: " + last.error.detail;
  log()->warn("{} gave up after {} attempt(s): {}", op, last_attempts_, last.error.detail);
  return last;
}

}  // namespace nocturna::remote
