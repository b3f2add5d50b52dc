#include "clients/nocturna/bearer_tokens.hpp"

#include "clients/logging.hpp"

namespace nocturna::remote {
namespace {

// An access token is given up this long before the server would stop accepting it (§7.8).
constexpr std::chrono::seconds refresh_margin{300};

}  // namespace

bearer_tokens::bearer_tokens(std::string service_token, bool refresh_on_401)
    : service_(std::move(service_token)), refresh_on_401_(refresh_on_401) {}

std::string bearer_tokens::bearer_locked() const {
  return access_.empty() ? service_ : access_;
}

bool bearer_tokens::exchange_locked(const refresh_fn& refresh, call_error& err) {
  access_grant grant;
  if (!refresh(service_, grant, err) || grant.token.empty()) {
    if (err.detail.empty()) err.detail = "token exchange returned no access token";
    err.cls = error_class::auth;
    err.retryable = false;
    // Back to the service token: the next call's 401 will try again.
    access_.clear();
    return false;
  }
  add_rotating_secret("nocturna access token", grant.token);
  access_ = std::move(grant.token);
  use_until_ = clock::now() + grant.expires_in - refresh_margin;
  ++refreshes_;
  return true;
}

bool bearer_tokens::current(const refresh_fn& refresh, std::string& bearer, call_error& err) {
  std::lock_guard lock(mutex_);
  if (!access_.empty() && clock::now() >= use_until_ && !exchange_locked(refresh, err))
    return false;
  bearer = bearer_locked();
  return true;
}

bool bearer_tokens::after_unauthorized(const std::string& rejected, const refresh_fn& refresh,
                                       std::string& bearer, call_error& err) {
  std::lock_guard lock(mutex_);
  const auto now_bearer = bearer_locked();
  if (now_bearer == rejected && !exchange_locked(refresh, err)) return false;
  bearer = bearer_locked();
  return true;
}

int bearer_tokens::refresh_count() const {
  std::lock_guard lock(mutex_);
  return refreshes_;
}

}  // namespace nocturna::remote
