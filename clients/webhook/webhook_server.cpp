#include "clients/webhook/webhook_server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include "clients/health/health_state.hpp"
#include "clients/http_listener.hpp"
#include "protocol/constant_time.hpp"

namespace nocturna::webhook {
namespace {

constexpr std::size_t max_body = 1024 * 1024;
constexpr std::int64_t warning_interval_ms = 60'000;

}  // namespace

server::server(std::string path, std::string secret, int max_connections, accept_fn accept)
    : path_(std::move(path)),
      secret_(std::move(secret)),
      accept_(std::move(accept)),
      http_(std::make_unique<httplib::Server>()) {
  http_->new_task_queue = [max_connections] {
    return new httplib::ThreadPool(static_cast<std::size_t>(std::max(2, max_connections)));
  };
  http_->set_payload_max_length(max_body);  // httplib answers 413 beyond it
  http_->Post(path_, [this](const httplib::Request& req, httplib::Response& res) {
    if (!constant_time_equal(req.get_header_value("X-Telegram-Bot-Api-Secret-Token"), secret_)) {
      auto now = health::unix_ms();
      if (now - last_warning_ms_ > warning_interval_ms) {
        last_warning_ms_ = now;
        spdlog::warn("[webhook] request with a missing or wrong secret from {} refused",
                     req.remote_addr);
      }
      res.status = 403;
      return;
    }
    res.status = accept_(req.body);
  });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) { res.status = 405; };
  http_->Get(path_, not_allowed);
  http_->Put(path_, not_allowed);
  http_->Delete(path_, not_allowed);
  http_->Patch(path_, not_allowed);
}

server::~server() {
  stop();
}

int server::start(const std::string& host, int port) {
  return listen_in_background(*http_, host, port, "WEBHOOK_PORT", thread_);
}

void server::stop() {
  stop_listening(http_.get(), thread_);
}

}  // namespace nocturna::webhook
