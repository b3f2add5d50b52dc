#include "clients/render/chart_service_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <random>
#include <thread>

#include "clients/capped_body.hpp"
#include "clients/render/chart_service_request.hpp"
#include "clients/render/chart_service_response.hpp"
#include "protocol/url.hpp"

namespace nocturna::render {

namespace detail {

// Stops the HTTP client when the attempt's deadline passes (httplib's timeouts are per socket
// operation, not for the whole exchange) or when fire() is called.
class attempt_watch {
 public:
  attempt_watch(httplib::Client& cli, std::chrono::milliseconds deadline) : cli_(cli) {
    thread_ = std::thread([this, deadline] {
      std::unique_lock<std::mutex> lock(m_);
      if (!cv_.wait_for(lock, deadline, [this] { return done_ || fired_; })) fired_ = true;
      if (fired_) cli_.stop();
    });
  }
  ~attempt_watch() {
    {
      std::lock_guard<std::mutex> lock(m_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void fire() {
    {
      std::lock_guard<std::mutex> lock(m_);
      fired_ = true;
    }
    cv_.notify_all();
  }
  bool fired() {
    std::lock_guard<std::mutex> lock(m_);
    return fired_;
  }

 private:
  httplib::Client& cli_;
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace detail

namespace {

constexpr std::size_t max_answer_bytes = 16u * 1024 * 1024;  // 10 MB of PNG in base64 + JSON

chart_service_error error_of(chart_service_errc kind, std::string message) {
  chart_service_error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

}  // namespace

chart_service_client::chart_service_client(chart_service_config cfg) : cfg_(std::move(cfg)) {
  // A bad URL leaves origin_ empty: every call then fails as "invalid base URL".
  try {
    auto base = api_base(cfg_.base_url, "chart service URL");
    origin_ = std::move(base.origin);
    path_prefix_ = std::move(base.path);
  } catch (const std::invalid_argument&) {
  }
}

chart_service_result chart_service_client::render_wheel(const astro::chart& c, int size,
                                                        time_point deadline) {
  if (!chart_service_can_send(c, true))
    return error_of(chart_service_errc::bad_input, "chart needs 10 planets and 12 cusps");
  return post("/api/v1/chart/render", wheel_request_json(c, size), deadline);
}

chart_service_result chart_service_client::render_transit(const astro::chart& natal,
                                                          const astro::chart& transit, int size,
                                                          time_point deadline) {
  if (!chart_service_can_send(natal, true) || !chart_service_can_send(transit, false))
    return error_of(chart_service_errc::bad_input, "charts need 10 planets and natal cusps");
  return post("/api/v1/chart/render/transit", transit_request_json(natal, transit, size), deadline);
}

chart_service_result chart_service_client::render_synastry(const astro::chart& user,
                                                           const astro::chart& partner, int size,
                                                           time_point deadline) {
  if (!chart_service_can_send(user, true) || !chart_service_can_send(partner, true))
    return error_of(chart_service_errc::bad_input, "charts need 10 planets and 12 cusps each");
  return post("/api/v1/chart/render/synastry", synastry_request_json(user, partner, size),
              deadline);
}

bool chart_service_client::cancelled_now() {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

void chart_service_client::cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  if (current_) current_->fire();
  wake_.notify_all();
}

chart_service_result chart_service_client::post(const std::string& path, const std::string& body,
                                                time_point deadline) {
  const auto start = std::chrono::steady_clock::now();
  const int attempts = std::max(1, cfg_.max_attempts);
  for (int n = 1;; ++n) {
    auto r = attempt(path_prefix_ + path, body, deadline);
    if (!r.ok()) {
      r.error().attempts = n;
      r.error().latency_ms =
          static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - start)
                                .count());
    }
    if (r.ok() || n >= attempts || !chart_service_retryable(r.error())) return r;
    thread_local std::mt19937 rng{std::random_device{}()};
    const auto base = cfg_.retry_delay.count();
    const auto pause =
        std::chrono::milliseconds(base + std::uniform_int_distribution<long>(0, base)(rng));
    std::unique_lock<std::mutex> lock(mutex_);
    if (wake_.wait_for(lock, pause, [this] { return cancelled_; })) return r;
  }
}

chart_service_result chart_service_client::attempt(const std::string& path, const std::string& body,
                                                   time_point deadline) {
  if (origin_.empty()) return error_of(chart_service_errc::connect, "invalid base URL");
  httplib::Client cli(origin_);
  if (!cli.is_valid()) return error_of(chart_service_errc::connect, "invalid base URL");
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  const auto t = std::min(cfg_.timeout, left);
  if (t.count() <= 0) return error_of(chart_service_errc::timeout, "no time left for an attempt");
  const auto sec = static_cast<time_t>(t.count() / 1000);
  const auto usec = static_cast<time_t>((t.count() % 1000) * 1000);
  cli.set_connection_timeout(sec, usec);
  cli.set_read_timeout(sec, usec);
  cli.set_write_timeout(sec, usec);
  cli.set_keep_alive(false);

  httplib::Request req;
  req.method = "POST";
  req.path = path;
  req.headers = {{"Authorization", "Bearer " + cfg_.api_key},
                 {"Accept", "application/json"},
                 {"Content-Type", "application/json"}};
  req.body = body;
  capped_body answer(max_answer_bytes);
  req.content_receiver = answer.receiver();

  httplib::Response res;
  httplib::Error err = httplib::Error::Success;
  bool sent = false;
  bool timed_out = false;
  const auto started = std::chrono::steady_clock::now();
  {
    detail::attempt_watch watch(cli, t);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (cancelled_) return error_of(chart_service_errc::timeout, "cancelled");
      current_ = &watch;
    }
    sent = cli.send(req, res, err);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      current_ = nullptr;
    }
    timed_out = watch.fired();
  }
  if (answer.too_large) return error_of(chart_service_errc::too_large, "answer over 16 MB");
  if (!sent) {
    // httplib's own socket timeouts (the same length) may fire first: a read that fails once the
    // attempt's time is up is a timeout too, not a broken connection.
    const bool out_of_time = std::chrono::steady_clock::now() - started >= t;
    if (timed_out || err == httplib::Error::ConnectionTimeout ||
        (err == httplib::Error::Read && out_of_time))
      return error_of(chart_service_errc::timeout,
                      cancelled_now() ? "cancelled" : "no answer within the deadline");
    return error_of(chart_service_errc::connect, httplib::to_string(err));
  }
  return parse_chart_service_response(res.status, answer.text, res.get_header_value("Retry-After"));
}

}  // namespace nocturna::render
