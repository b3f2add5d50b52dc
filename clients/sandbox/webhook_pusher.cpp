#include "clients/sandbox/webhook_pusher.hpp"

#include <httplib.h>

#include "protocol/url.hpp"

namespace nocturna::sandbox {

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
  const auto target = split_http_url(d.webhook.url);
  if (!target) return "Bad webhook URL";
  httplib::Client client(target->origin);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(60));
  httplib::Headers headers;
  if (!d.webhook.secret_token.empty()) {
    headers.emplace("X-Telegram-Bot-Api-Secret-Token", d.webhook.secret_token);
  }
  const auto& path = target->path.empty() ? std::string("/") : target->path;
  auto res = client.Post(path, headers, d.json, "application/json");
  if (!res) return "Connection error: " + httplib::to_string(res.error());
  if (res->status >= 200 && res->status < 300) return "";
  return "Wrong response from the webhook: " + std::to_string(res->status);
}

}  // namespace nocturna::sandbox
