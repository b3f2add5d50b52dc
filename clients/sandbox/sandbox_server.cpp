#include "clients/sandbox/sandbox_server.hpp"

#include <httplib.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "clients/http_listener.hpp"
#include "clients/sandbox/bot_api.hpp"
#include "clients/sandbox/control_api.hpp"
#include "clients/sandbox/request_guard.hpp"
#include "clients/sandbox/sandbox_state.hpp"
#include "clients/sandbox/web_page.hpp"
#include "clients/sandbox/webhook_pusher.hpp"

#ifndef NOCTURNA_SOURCE_SHARE_DIR
#define NOCTURNA_SOURCE_SHARE_DIR "share"
#endif

namespace nocturna::sandbox {
namespace {

constexpr std::size_t max_request_bytes = 20 * 1024 * 1024;

bool readable(const std::string& path) {
  return !path.empty() && std::ifstream(path).good();
}

void send_reply(httplib::Response& res, const api_reply& r) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
}

void send_reply(httplib::Response& res, const api_reply& r, sandbox_state& s) {
  if (r.trickle_ms <= 0) return send_reply(res, r);
  res.status = r.status;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(r.trickle_for_ms);
  auto trickle = [&s, r, until](std::size_t, httplib::DataSink& sink) {
    while (std::chrono::steady_clock::now() < until) {
      // JSON allows leading whitespace; a failed write means the client went away.
      if (!sink.write(" ", 1)) return false;
      if (!s.sleep_for(std::chrono::milliseconds(r.trickle_ms))) return false;
    }
    sink.write(r.body.data(), r.body.size());
    sink.done();
    return true;
  };
  res.set_chunked_content_provider(r.content_type, std::move(trickle));
}

void not_found(const httplib::Request&, httplib::Response& res) {
  send_reply(res, api_error(404, "Not Found"));
}

}  // namespace

std::string default_api_spec_path() {
  return std::string(NOCTURNA_SOURCE_SHARE_DIR) + "/telegram-bot-api/api.min.json";
}

struct server::impl {
  explicit impl(options o)
      : state(std::move(o)), pusher(state.updates, state.opt.webhook_threads) {}

  void configure() {
    const int threads = std::max(8, state.opt.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_keep_alive_max_count(100000);
    // An idle keep-alive connection holds a worker until this timeout, and stop() waits for it.
    http.set_keep_alive_timeout(std::max(1, state.opt.keep_alive_timeout_s));
    http.set_tcp_nodelay(true);  // small answers must not wait for delayed ACKs
    http.set_payload_max_length(max_request_bytes);
    // Before the body is read: see request_guard.hpp.
    http.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
      const bool has_body =
          req.has_header("Transfer-Encoding") ||
          (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
      auto v = guard_request(req.method, req.path, req.get_header_value("Host"),
                             req.get_header_value("Content-Type"), has_body);
      if (v.status == 0) return httplib::Server::HandlerResponse::Unhandled;
      send_reply(res, api_error(v.status, v.description));
      return httplib::Server::HandlerResponse::Handled;
    });
    auto bot = [this](const httplib::Request& req, httplib::Response& res) {
      send_reply(res, handle_bot_request(state, req.matches[1], req.matches[2], req), state);
    };
    http.Get(R"(/bot([^/]*)/([^/]*))", bot);
    http.Post(R"(/bot([^/]*)/([^/]*))", bot);
    register_control_api(http, state);
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(web_page_html()), "text/html; charset=utf-8");
    });
    http.Get(".*", not_found);
    http.Post(".*", not_found);
  }

  void load_schema() {
    std::string path = state.opt.api_spec_path;
    if (!readable(path)) path = default_api_spec_path();
    state.schema = api_schema::load_file(path);
  }

  sandbox_state state;
  webhook_pusher pusher;
  httplib::Server http;
  std::thread listener;
  int port = 0;
  bool started = false;
  bool stopped = false;
};

server::server(options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

server::~server() {
  stop();
}

int server::start() {
  if (impl_->started) throw std::runtime_error("sandbox: already started");
  impl_->load_schema();
  impl_->configure();
  const auto& o = impl_->state.opt;
  int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                         : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    throw std::runtime_error("sandbox: cannot listen on " + o.host + ":" + std::to_string(o.port));
  }
  widen_listen_backlog(impl_->http);
  impl_->port = port;
  impl_->started = true;
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  impl_->pusher.start();
  return port;
}

void server::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->state.stop();  // ends long polls, waits and fault delays
  if (impl_->started) {
    impl_->http.stop();
    if (impl_->listener.joinable()) impl_->listener.join();
  }
  impl_->pusher.stop();
}

std::string server::base_url() const {
  const std::string& host = impl_->state.opt.host;
  const bool any = host == "0.0.0.0" || host.empty();
  return "http://" + (any ? std::string("127.0.0.1") : host) + ":" + std::to_string(impl_->port);
}

const std::string& server::token() const {
  return impl_->state.opt.token;
}

std::int64_t server::clock_ms() const {
  return impl_->state.calls.now_ms();
}

}  // namespace nocturna::sandbox
