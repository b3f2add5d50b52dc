#include "clients/health/health_server.hpp"

#include <httplib.h>

#include <stdexcept>

namespace nocturna::health {

server::server(std::shared_ptr<state> st, std::shared_ptr<metrics::registry> m)
    : state_(std::move(st)), metrics_(std::move(m)), http_(std::make_unique<httplib::Server>()) {
  http_->new_task_queue = [] { return new httplib::ThreadPool(2); };
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

int server::start(const std::string& host, int port) {
  int bound = port == 0 ? http_->bind_to_any_port(host.c_str())
                        : (http_->bind_to_port(host.c_str(), port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error("HEALTH_PORT: cannot listen on " + host + ":" + std::to_string(port));
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  return bound;
}

void server::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace nocturna::health
