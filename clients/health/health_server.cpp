#include "clients/health/health_server.hpp"

#include <httplib.h>

#include "clients/body_limit.hpp"
#include "clients/http_listener.hpp"

namespace nocturna::health {

server::server(std::shared_ptr<state> st, std::shared_ptr<metrics::registry> m)
    : state_(std::move(st)), metrics_(std::move(m)), http_(std::make_unique<httplib::Server>()) {
  http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  // Only GETs are served: any body is refused before it is read, and one request per connection
  // so that an unread body is never parsed as a request.
  limit_request_bodies(*http_, 0);
  http_->set_keep_alive_max_count(1);
  http_->Get("/health", [this](const httplib::Request&, httplib::Response& res) {
    auto [status, body] = render(state_->take());
    res.status = status;
    res.set_content(body, "application/json");
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_->prometheus_text(), "text/plain; version=0.0.4");
  });
}

server::~server() {
  stop();
}

void server::enable_fault_injection(std::function<bool(const std::string&)> crash) {
  http_->Post("/debug/crash", [crash](const httplib::Request& req, httplib::Response& res) {
    auto actor = req.get_param_value("actor");
    if (actor.empty() || !crash(actor)) {
      res.status = 404;
      res.set_content(R"({"ok":false,"error":"no such actor"})", "application/json");
      return;
    }
    res.set_content(R"({"ok":true})", "application/json");
  });
}

int server::start(const std::string& host, int port) {
  return listen_in_background(*http_, host, port, "HEALTH_PORT", thread_);
}

void server::stop() {
  stop_listening(http_.get(), thread_);
}

}  // namespace nocturna::health
