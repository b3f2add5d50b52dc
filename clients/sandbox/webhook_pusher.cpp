#include "clients/sandbox/webhook_pusher.hpp"

#include <httplib.h>

namespace nocturna::sandbox {

bool split_url(const std::string& url, std::string& origin, std::string& path) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  const std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  const auto path_start = url.find('/', scheme_end + 3);
  origin = url.substr(0, path_start);
  path = path_start == std::string::npos ? "/" : url.substr(path_start);
  return origin.size() > scheme_end + 3;
}

webhook_pusher::webhook_pusher(update_queue& queue, int threads)
    : queue_(queue), threads_count_(threads) {}

webhook_pusher::~webhook_pusher() {
  stop();
}

void webhook_pusher::start() {
  for (int i = 0; i < threads_count_; ++i) threads_.emplace_back([this] { run(); });
}

void webhook_pusher::stop() {
  stopping_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void webhook_pusher::run() {
  while (!stopping_) {
    auto d = queue_.next_delivery(std::chrono::milliseconds(200));
    if (!d) continue;
    const std::string error = post(*d);
    queue_.delivery_done(d->update_id, error.empty(), error);
  }
}

std::string webhook_pusher::post(const delivery& d) {
  std::string origin, path;
  if (!split_url(d.webhook.url, origin, path)) return "Bad webhook URL";
  httplib::Client client(origin);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(60));
  httplib::Headers headers;
  if (!d.webhook.secret_token.empty()) {
    headers.emplace("X-Telegram-Bot-Api-Secret-Token", d.webhook.secret_token);
  }
  auto res = client.Post(path, headers, d.json, "application/json");
  if (!res) return "Connection error: " + httplib::to_string(res.error());
  if (res->status >= 200 && res->status < 300) return "";
  return "Wrong response from the webhook: " + std::to_string(res->status);
}

}  // namespace nocturna::sandbox
