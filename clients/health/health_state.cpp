#include "clients/health/health_state.hpp"

#include <chrono>

#include "protocol/json_writer.hpp"

namespace nocturna::health {

std::int64_t unix_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// Unix seconds of `ms`, or null when the event never happened (ms = 0).
void add_unix_seconds(json::object& body, const char* field, std::int64_t ms) {
  if (ms != 0)
    body.add(field, ms / 1000);
  else
    body.add_raw(field, "null");
}

}  // namespace

std::pair<int, std::string> render(const snapshot& s) {
  // "Reached" counts from start-up too: a bot that just started is not down yet.
  auto reached = s.last_telegram_ok_ms != 0 ? s.last_telegram_ok_ms : s.started_ms;
  // A standby does not talk to Telegram at all: it is healthy while it waits for the lease.
  bool down = s.role != "standby" && s.now_ms - reached > telegram_unreached_limit_ms;
  bool degraded = s.conflict;
  for (const auto& [name, status] : s.upstreams)
    if (status == "open" || status == "down") degraded = true;
  const char* status = down ? "down" : degraded ? "degraded" : "ok";
  json::object upstreams;
  for (const auto& [name, st] : s.upstreams) upstreams.add(name, st);
  json::object body;
  body.add("status", status).add("mode", s.mode).add("uptime_s", (s.now_ms - s.started_ms) / 1000);
  if (!s.instance.empty()) body.add("instance", s.instance);
  if (!s.role.empty()) body.add("role", s.role);
  if (!s.peers.empty()) {
    std::string peers = "[";
    for (const auto& [id, role] : s.peers) {
      if (peers.size() > 1) peers += ",";
      peers += json::object().add("instance", id).add("role", role).str();
    }
    body.add_raw("peers", peers + "]");
  }
  if (s.owned_chats >= 0) body.add("owned_chats", s.owned_chats);
  add_unix_seconds(body, "last_update_at", s.last_update_ms);
  // last_poll_ok_at is "Telegram last reached" in both modes (the field list of docs/telegram.md
  // §4.4); webhook mode names its source once more.
  add_unix_seconds(body, "last_poll_ok_at", s.last_telegram_ok_ms);
  if (s.mode == "webhook") add_unix_seconds(body, "last_webhook_info_ok_at", s.last_telegram_ok_ms);
  json::object actors;
  for (const auto& [name, st] : s.services) actors.add(name, st);
  actors.add("sessions", s.sessions);
  body.add_raw("upstreams", upstreams.str()).add("sessions", s.sessions);
  body.add_raw("actors", actors.str());
  if (s.webhook_pending >= 0)
    body.add("pending_update_count", s.webhook_pending)
        .add("last_error_date", s.webhook_last_error_date);
  return {down ? 503 : 200, body.str()};
}

state::state(std::string mode) : mode_(std::move(mode)), started_ms_(unix_ms()) {}

void state::telegram_reached() {
  last_telegram_ok_ms_ = unix_ms();
}

void state::update_received() {
  last_update_ms_ = unix_ms();
}

void state::set_upstream(const std::string& name, const std::string& status) {
  std::lock_guard<std::mutex> guard(mutex_);
  upstreams_[name] = status;
}

void state::set_instance(std::string id) {
  std::lock_guard<std::mutex> guard(mutex_);
  instance_ = std::move(id);
}

void state::set_role(std::string role) {
  std::lock_guard<std::mutex> guard(mutex_);
  role_ = std::move(role);
}

void state::set_peers(std::vector<std::pair<std::string, std::string>> peers) {
  std::lock_guard<std::mutex> guard(mutex_);
  peers_ = std::move(peers);
}

void state::set_service(const std::string& name, bool running) {
  std::lock_guard<std::mutex> guard(mutex_);
  services_[name] = running ? "running" : "restarting";
}

void state::set_webhook_info(std::int64_t pending, std::int64_t last_error_date) {
  webhook_pending_ = pending;
  webhook_last_error_date_ = last_error_date;
}

snapshot state::take() const {
  snapshot s;
  s.mode = mode_;
  s.now_ms = unix_ms();
  s.started_ms = started_ms_;
  s.last_telegram_ok_ms = last_telegram_ok_ms_;
  s.last_update_ms = last_update_ms_;
  s.conflict = conflict_;
  s.sessions = sessions_;
  s.owned_chats = owned_chats_;
  s.webhook_pending = webhook_pending_;
  s.webhook_last_error_date = webhook_last_error_date_;
  std::lock_guard<std::mutex> guard(mutex_);
  s.upstreams = upstreams_;
  s.services = services_;
  s.instance = instance_;
  s.role = role_;
  s.peers = peers_;
  return s;
}

}  // namespace nocturna::health
