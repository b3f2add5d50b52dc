#include "clients/telegram/telegram_client.hpp"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <random>
#include <stdexcept>

#include "protocol/url.hpp"

namespace nocturna::bot {
namespace {

constexpr auto connect_timeout = std::chrono::seconds(10);
// A read failing this long before its timeout was an EOF or reset, not the timeout.
constexpr auto timeout_margin = std::chrono::milliseconds(50);

}  // namespace

std::string random_boundary() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string b = "----nocturna";
  for (int i = 0; i < 2; ++i) {
    auto bits = rng();
    for (int k = 0; k < 16; ++k, bits >>= 4) b += hex[bits & 15];
  }
  return b;
}

std::string multipart_body(const std::vector<std::pair<std::string, std::string>>& fields,
                           const upload_file& file, const std::string& boundary) {
  std::string body;
  for (const auto& [name, value] : fields)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
            value + "\r\n";
  body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.field +
          "\"; filename=\"" + file.filename + "\"\r\nContent-Type: " + file.content_type +
          "\r\n\r\n";
  body += file.bytes;
  body += "\r\n--" + boundary + "--\r\n";
  return body;
}

telegram_client::telegram_client(const std::string& api_url, std::string token,
                                 const std::string& ca_file)
    : token_(std::move(token)) {
  auto base = api_base(api_url, "API URL");
  path_prefix_ = std::move(base.path);
  http_ = std::make_unique<httplib::Client>(base.origin);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  http_->enable_server_certificate_verification(true);
  if (!ca_file.empty()) http_->set_ca_cert_path(ca_file);
#endif
  http_->set_keep_alive(true);
  // Requests are small: without this a keep-alive request can wait ~40 ms for delayed ACKs.
  http_->set_tcp_nodelay(true);
  http_->set_connection_timeout(connect_timeout);
  http_->set_write_timeout(std::chrono::seconds(30));
}

telegram_client::~telegram_client() = default;

api_response telegram_client::call(std::string_view method, const std::string& json_body,
                                   std::chrono::milliseconds timeout) {
  httplib::Request req;
  req.method = "POST";
  req.path = path_prefix_ + "/bot" + token_ + "/" + std::string(method);
  req.set_header("Content-Type", "application/json");
  req.body = json_body;
  return send(method, req, timeout);
}

api_response telegram_client::call_multipart(
    std::string_view method, const std::vector<std::pair<std::string, std::string>>& fields,
    const upload_file& file, std::chrono::milliseconds timeout) {
  auto boundary = random_boundary();
  httplib::Request req;
  req.method = "POST";
  req.path = path_prefix_ + "/bot" + token_ + "/" + std::string(method);
  req.set_header("Content-Type", "multipart/form-data; boundary=" + boundary);
  req.body = multipart_body(fields, file, boundary);
  return send(method, req, timeout);
}

api_response telegram_client::send(std::string_view method, httplib::Request& req,
                                   std::chrono::milliseconds timeout) {
  using clock = std::chrono::steady_clock;
  http_->set_read_timeout(timeout);
  // An idle connection the server may have dropped by now is not trusted with the call.
  if (http_->is_socket_open() && clock::now() - last_used_ > max_idle_) http_->stop();
  for (int attempt = 0;; ++attempt) {
    const bool reused = http_->is_socket_open() > 0;
    const int aborts_before = aborts_.load();
    bool answered = false;  // the status line and headers arrived
    req.response_handler = [&answered](const httplib::Response&) {
      answered = true;
      return true;
    };
    httplib::Response res;
    auto error = httplib::Error::Success;
    auto started = clock::now();
    bool ok = http_->send(req, res, error);
    last_used_ = clock::now();
    if (ok) return classify_response(res.status, res.body);
    bool early = clock::now() - started + timeout_margin < timeout;
    bool stale = attempt == 0 && reused && !answered && aborts_.load() == aborts_before &&
                 (error == httplib::Error::Write || (error == httplib::Error::Read && early));
    if (stale) {
      ++stale_retries_;
      spdlog::warn(
          "[telegram] {}: {} on a reused keep-alive connection before any answer: "
          "once more on a new connection",
          log_name(method), httplib::to_string(error));
      http_->stop();  // closes the dead socket; the next send connects afresh
      continue;
    }
    // Why this failure was not taken for a dead keep-alive connection (for the operator).
    spdlog::debug(
        "[telegram] {}: {} attempt={} reused={} answered={} after {} ms", log_name(method),
        httplib::to_string(error), attempt, reused, answered,
        std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count());
    // httplib's error text names no URL, so the token cannot leak through it.
    auto r = network_failure(log_name(method) + ": " + httplib::to_string(error));
    r.maybe_delivered = error == httplib::Error::Read;
    return r;
  }
}

void telegram_client::stop() {
  ++aborts_;
  http_->stop();
}

std::string telegram_client::log_name(std::string_view method) {
  return "/bot***/" + std::string(method);
}

}  // namespace nocturna::bot
