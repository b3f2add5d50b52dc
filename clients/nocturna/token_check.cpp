#include "clients/nocturna/token_check.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <ctime>

#include "clients/logging.hpp"
#include "clients/nocturna/nocturna_client.hpp"
#include "protocol/jwt.hpp"

namespace nocturna::remote {
namespace {

std::shared_ptr<spdlog::logger> log() {
  return get_logger("nocturna");
}

std::string claims_suffix(const jwt::claims& c) {
  std::string s;
  if (!c.token_id.empty()) s += fmt::format(" token_id={}", c.token_id);
  if (!c.scope.empty()) s += fmt::format(" scope={}", c.scope);
  return s;
}

void probe_health(const remote_options& o) {
  try {
    const auto& policy = o.policy;
    nocturna_client client(o.base_url, policy, nullptr);
    http_request req;
    req.method = "GET";
    req.path = "/health";
    auto r = client.send_once(req, policy.attempt_timeout);
    if (!r.ok) {
      log()->warn("Nocturna API health check failed: class={} status={} {}",
                  error_class_name(r.error.cls), r.error.http_status, r.error.detail);
      return;
    }
    simdjson::dom::parser parser;
    std::string_view status = "?";
    simdjson::dom::object o;
    if (!parser.parse(r.payload).get(o) && o.at_key("status").get(status)) status = "?";
    log()->info("Nocturna API health: status={}", status);
  } catch (const std::exception& e) {
    log()->warn("Nocturna API health check failed: {}", e.what());
  }
}

}  // namespace

std::optional<std::string> token_expiry_warning(const std::string& token, std::int64_t now_unix) {
  const auto st = jwt::classify(token, now_unix);
  if (st.state == jwt::token_state::expired)
    return fmt::format(
        "NOCTURNA_SERVICE_TOKEN expired at {}; create a new one: nocturna-bot token "
        "create API_URL EMAIL PASSWORD [DAYS]",
        jwt::format_utc(*st.token_claims.exp));
  if (st.state == jwt::token_state::expiring_soon)
    return fmt::format(
        "NOCTURNA_SERVICE_TOKEN expires in {} (at {}); create a new one: "
        "nocturna-bot token create API_URL EMAIL PASSWORD [DAYS]",
        jwt::format_days_hours(st.seconds_left), jwt::format_utc(*st.token_claims.exp));
  return std::nullopt;
}

bool check_service_token(const remote_options& o) {
  return check_service_token(o, static_cast<std::int64_t>(std::time(nullptr)), true);
}

bool check_service_token(const remote_options& o, std::int64_t now_unix, bool with_health) {
  const auto& token = o.service_token;
  if (token.empty()) {
    log()->warn("NOCTURNA_SERVICE_TOKEN is empty: calculation requests carry no Authorization");
  } else {
    add_secret(token);
    const auto st = jwt::classify(token, now_unix);
    const auto extra = claims_suffix(st.token_claims);
    switch (st.state) {
      case jwt::token_state::not_jwt:
        log()->warn("NOCTURNA_SERVICE_TOKEN is not a JWT: its expiry cannot be checked");
        break;
      case jwt::token_state::no_expiry:
        log()->info("NOCTURNA_SERVICE_TOKEN has no expiry{}", extra);
        break;
      case jwt::token_state::expired:
        log()->error("{}{}", *token_expiry_warning(token, now_unix), extra);
        return false;
      case jwt::token_state::expiring_soon:
        log()->warn("{}{}", *token_expiry_warning(token, now_unix), extra);
        break;
      case jwt::token_state::fine:
        log()->info("NOCTURNA_SERVICE_TOKEN valid until {}{}",
                    jwt::format_utc(*st.token_claims.exp), extra);
        break;
    }
  }
  if (with_health) probe_health(o);
  return true;
}

}  // namespace nocturna::remote
