#include "clients/nocturna/remote_positions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "clients/logging.hpp"
#include "clients/nocturna/nocturna_client.hpp"
#include "clients/nocturna/positions_codec.hpp"
#include "protocol/url.hpp"

namespace nocturna::remote {
namespace {

using clock = std::chrono::steady_clock;
constexpr const char* positions_path = "/calculations/planetary-positions";

// Geocentric positions do not depend on the observer, and the server's `house` is always null,
// so the place sent is a fixed one.
constexpr double latitude = 0.0;
constexpr double longitude = 0.0;

std::shared_ptr<spdlog::logger> log() {
  return get_logger("nocturna");
}

astro::calc_error to_calc_error(const call_error& e) {
  astro::calc_error out;
  out.kind = e.cls == error_class::rejected ? astro::calc_error_kind::input_rejected
                                            : astro::calc_error_kind::unavailable;
  out.detail = fmt::format("planetary-positions: class={} status={} request_id={} {}",
                           error_class_name(e.cls), e.http_status,
                           e.request_id.empty() ? "-" : e.request_id, e.detail);
  return out;
}

}  // namespace

remote_positions::remote_positions(remote_options opts)
    : opts_(std::move(opts)),
      tokens_(std::make_shared<bearer_tokens>(opts_.service_token, opts_.refresh_on_401)),
      breaker_(opts_.breaker_threshold, opts_.breaker_open_for) {
  api_base(opts_.base_url, "API URL");  // fail at construction, not at the first chart
  add_secret(opts_.service_token);
}

remote_positions::~remote_positions() {
  stop();
}

std::unique_ptr<nocturna_client> remote_positions::acquire() {
  std::lock_guard lock(pool_mutex_);
  if (stopped_) return nullptr;
  std::unique_ptr<nocturna_client> c;
  if (!idle_.empty()) {
    c = std::move(idle_.back());
    idle_.pop_back();
  } else {
    c = std::make_unique<nocturna_client>(opts_.base_url, opts_.policy, tokens_);
  }
  busy_.push_back(c.get());
  return c;
}

void remote_positions::release(std::unique_ptr<nocturna_client> c) {
  std::lock_guard lock(pool_mutex_);
  busy_.erase(std::remove(busy_.begin(), busy_.end(), c.get()), busy_.end());
  if (!stopped_) idle_.push_back(std::move(c));
}

void remote_positions::stop() {
  std::lock_guard lock(pool_mutex_);
  stopped_ = true;
  for (auto* c : busy_) c->stop();
  idle_.clear();
}

circuit_breaker::state remote_positions::breaker_state() const {
  std::lock_guard lock(breaker_mutex_);
  return breaker_.current(clock::now());
}

astro::calc_result<std::vector<astro::body_position>> remote_positions::positions(double jd_ut) {
  if (!std::isfinite(jd_ut))
    return astro::calc_error{astro::calc_error_kind::internal, "Julian day is not a number"};
  {
    std::lock_guard lock(breaker_mutex_);
    if (!breaker_.allow(clock::now()))
      return astro::calc_error{astro::calc_error_kind::unavailable, "circuit breaker open"};
  }
  auto client = acquire();
  if (!client) {
    std::lock_guard lock(breaker_mutex_);
    breaker_.record_neutral();
    return astro::calc_error{astro::calc_error_kind::unavailable, "backend stopped"};
  }

  const auto deadline = clock::now() + opts_.policy.total_deadline();
  http_request req;
  req.path = positions_path;
  req.body = positions_request(ut_fields_of_jd(jd_ut), latitude, longitude, standard_bodies());
  auto r = client->call(std::move(req), "planetary-positions", deadline);

  std::optional<call_error> failed;
  std::vector<astro::body_position> out;
  if (!r.ok) {
    failed = r.error;
  } else {
    std::vector<std::string> notes;
    auto parsed = parse_positions(r.payload, standard_bodies(), &notes);
    for (const auto& n : notes) log()->debug("planetary-positions D/M/S mismatch: {}", n);
    if (auto* err = std::get_if<std::string>(&parsed)) {
      call_error e;
      e.cls = error_class::protocol;
      e.detail = *err + "; body: " + excerpt(r.payload);
      log()->warn("planetary-positions: invalid answer: {}", e.detail);
      failed = e;
    } else {
      out = std::move(std::get<0>(parsed));
    }
  }

  {
    std::lock_guard lock(breaker_mutex_);
    if (!failed) {
      breaker_.record_success();
    } else if (failed->cls == error_class::rejected) {
      breaker_.record_neutral();
    } else {
      breaker_.record_failure(clock::now());
      if (breaker_.current(clock::now()) == circuit_breaker::state::open)
        log()->warn("circuit breaker open after {} consecutive failures",
                    breaker_.consecutive_failures());
    }
  }
  if (failed) {
    release(std::move(client));
    return to_calc_error(*failed);
  }
  if (opts_.chiron) add_chiron(*client, jd_ut, deadline, out);
  release(std::move(client));
  return out;
}

void remote_positions::add_chiron(nocturna_client& client, double jd_ut, clock::time_point deadline,
                                  std::vector<astro::body_position>& out) {
  const auto now = clock::now();
  if (now.time_since_epoch().count() < chiron_paused_until_.load()) return;
  // Chiron is optional: it gets whatever is left of the chart's deadline, or is skipped.
  if (deadline - now < client.policy().min_attempt) return;

  static const std::vector<astro::body> chiron_only = {astro::body::chiron};
  http_request req;
  req.path = positions_path;
  req.body = positions_request(ut_fields_of_jd(jd_ut), latitude, longitude, chiron_only);
  auto r = client.call(std::move(req), "planetary-positions (Chiron)", deadline, 0);
  std::string why;
  if (!r.ok) {
    why = fmt::format("class={} status={} {}", error_class_name(r.error.cls), r.error.http_status,
                      r.error.detail);
  } else {
    auto parsed = parse_positions(r.payload, chiron_only);
    if (auto* err = std::get_if<std::string>(&parsed)) {
      why = *err;
    } else {
      out.push_back(std::get<0>(parsed).front());
      return;
    }
  }
  const auto after = clock::now();
  const auto until = (after + opts_.chiron_pause).time_since_epoch().count();
  // Only the thread that starts a pause logs it, so the failure is logged once per pause.
  auto previous = chiron_paused_until_.load();
  if (previous <= after.time_since_epoch().count() &&
      chiron_paused_until_.compare_exchange_strong(previous, until))
    log()->warn("Chiron omitted, not requested again for {} min: {}",
                std::chrono::duration_cast<std::chrono::minutes>(opts_.chiron_pause).count(), why);
}

}  // namespace nocturna::remote
