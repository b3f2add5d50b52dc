#include "clients/webhook/webhook_server.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <stdexcept>

#include "clients/health/health_state.hpp"
#include "clients/http_listener.hpp"
#include "clients/webhook/connection_workers.hpp"
#include "clients/webhook/head_collector.hpp"
#include "clients/webhook/request_gate.hpp"
#include "clients/webhook/socket_stream.hpp"

namespace nocturna::webhook {
namespace {

constexpr std::int64_t warning_interval_ms = 60'000;

// httplib's accept loop hands each socket to the task queue; running the task at once hands it
// to the head collector, so accepting never waits for a worker.
class run_at_once final : public httplib::TaskQueue {
 public:
  void enqueue(std::function<void()> fn) override { fn(); }
  void shutdown() override {}
};

}  // namespace

// httplib's request parsing and routing, fed by our own connection handling: the private
// virtual process_and_close_socket is where httplib gives up an accepted socket, and the
// protected process_request parses and answers one request from any Stream.
class guarded_http_server final : public httplib::Server {
 public:
  std::function<void(int fd)> on_accept;

  void serve_one(httplib::Stream& stream) {
    bool connection_closed = false;
    process_request(stream, /*close_connection=*/true, connection_closed, nullptr);
  }

 private:
  bool process_and_close_socket(socket_t sock) override {
    on_accept(sock);
    return true;
  }
};

std::size_t raise_descriptor_limit() {
  rlimit l{};
  if (::getrlimit(RLIMIT_NOFILE, &l) != 0) return 1024;
  if (l.rlim_cur < l.rlim_max) {
    rlimit raised = l;
    raised.rlim_cur = l.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) l = raised;
  }
  return static_cast<std::size_t>(l.rlim_cur);
}

server::server(std::string path, std::string secret, int max_connections, accept_fn accept,
               server_limits limits)
    : path_(std::move(path)),
      secret_(std::move(secret)),
      max_connections_(std::max(2, max_connections)),
      accept_(std::move(accept)),
      limits_(limits),
      http_(std::make_unique<guarded_http_server>()) {
  http_->new_task_queue = [] { return new run_at_once; };
  http_->set_payload_max_length(max_body_bytes);  // the gate already refused longer bodies
  // Runs after the head is parsed and before httplib reads (or decompresses) a byte of the body.
  http_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return refused(req, res) ? httplib::Server::HandlerResponse::Handled
                             : httplib::Server::HandlerResponse::Unhandled;
  });
  // A client that waits for "100 Continue" before sending its body is refused from the head too.
  http_->set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        return refused(req, res) ? res.status : 100;
      });
  http_->Post(path_, [this](const httplib::Request& req, httplib::Response& res) {
    res.status = accept_(req.body);
  });
}

server::~server() {
  stop();
}

bool server::refused(const httplib::Request& req, httplib::Response& res) {
  // request_head holds views: the header values live in these strings until the check is done.
  const std::string secret_header = req.get_header_value("X-Telegram-Bot-Api-Secret-Token");
  const std::string content_length = req.get_header_value("Content-Length");
  request_head head;
  head.method = req.method;
  head.path = req.path;
  if (req.has_header("X-Telegram-Bot-Api-Secret-Token")) head.secret = secret_header;
  head.content_length_headers = req.get_header_value_count("Content-Length");
  head.content_length = content_length;
  head.has_content_encoding = req.has_header("Content-Encoding");
  head.has_transfer_encoding = req.has_header("Transfer-Encoding");
  auto verdict = check_request_head(head, path_, secret_);
  if (verdict.status == 0) return false;
  // Another path or method is a scanner's guess, not worth a line.
  if (verdict.status != 404 && verdict.status != 405) warn_refused(req.remote_addr, verdict.reason);
  res.status = verdict.status;
  return true;
}

void server::warn_refused(const std::string& remote_addr, const char* reason) {
  // One line a minute at most: a scan must not flood the log. The exchange makes the check and
  // the update one step, so two threads cannot both log.
  auto now = health::unix_ms();
  auto last = last_warning_ms_.load();
  if (now - last <= warning_interval_ms) return;
  if (!last_warning_ms_.compare_exchange_strong(last, now)) return;
  spdlog::warn("[webhook] request from {} refused: {}", remote_addr, reason);
}

int server::start(const std::string& host, int port) {
  auto descriptors = raise_descriptor_limit();
  head_collector::limits collect;
  collect.head_deadline = limits_.head_deadline;
  collect.max_pending = limits_.max_pending != 0
                            ? limits_.max_pending
                            : std::clamp<std::size_t>(descriptors / 2, 64, 8192);
  workers_ = std::make_unique<connection_workers>(
      static_cast<std::size_t>(max_connections_), static_cast<std::size_t>(4 * max_connections_),
      [this](accepted_connection& c) {
        socket_stream stream(c.fd, std::move(c.head), c.accepted_at + limits_.request_deadline);
        http_->serve_one(stream);
      });
  collector_ = std::make_unique<head_collector>(
      collect, [this](accepted_connection c) { workers_->offer(std::move(c)); });
  http_->on_accept = [this](int fd) { collector_->add(fd); };

  int bound =
      port == 0 ? http_->bind_to_any_port(host) : (http_->bind_to_port(host, port) ? port : -1);
  if (bound < 0)
    throw std::runtime_error("WEBHOOK_PORT: cannot listen on " + host + ":" + std::to_string(port));
  widen_listen_backlog(*http_);
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  return bound;
}

void server::stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
  if (collector_) collector_->stop();
  if (workers_) workers_->stop();
}

}  // namespace nocturna::webhook
