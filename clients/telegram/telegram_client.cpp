#include "clients/telegram/telegram_client.hpp"

#include <httplib.h>

#include <stdexcept>

namespace nocturna::bot {
namespace {

constexpr auto connect_timeout = std::chrono::seconds(10);

// Splits "scheme://host[:port][/prefix]" into the part httplib wants and the path prefix.
std::pair<std::string, std::string> split_base_url(const std::string& url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) throw std::invalid_argument("API URL has no scheme");
  auto host_start = scheme_end + 3;
  auto path_start = url.find('/', host_start);
  if (host_start >= url.size() || path_start == host_start)
    throw std::invalid_argument("API URL has no host");
  if (path_start == std::string::npos) return {url, ""};
  std::string prefix = url.substr(path_start);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return {url.substr(0, path_start), prefix};
}

}  // namespace

telegram_client::telegram_client(const std::string& api_url, std::string token)
    : token_(std::move(token)) {
  auto [base, prefix] = split_base_url(api_url);
  path_prefix_ = std::move(prefix);
  http_ = std::make_unique<httplib::Client>(base);
  http_->set_keep_alive(true);
  // Requests are small: without this a keep-alive request can wait ~40 ms for delayed ACKs.
  http_->set_tcp_nodelay(true);
  http_->set_connection_timeout(connect_timeout);
  http_->set_write_timeout(std::chrono::seconds(30));
}

telegram_client::~telegram_client() = default;

void telegram_client::prepare(std::chrono::milliseconds timeout) {
  http_->set_read_timeout(timeout);
}

api_response telegram_client::call(std::string_view method, const std::string& json_body,
                                   std::chrono::milliseconds timeout) {
  prepare(timeout);
  auto path = path_prefix_ + "/bot" + token_ + "/" + std::string(method);
  auto result = http_->Post(path, json_body, "application/json");
  return finish(method, &result);
}

api_response telegram_client::call_multipart(
    std::string_view method, const std::vector<std::pair<std::string, std::string>>& fields,
    const upload_file& file, std::chrono::milliseconds timeout) {
  prepare(timeout);
  httplib::MultipartFormDataItems items;
  for (const auto& [name, value] : fields) items.push_back({name, value, "", ""});
  items.push_back({file.field, file.bytes, file.filename, file.content_type});
  auto path = path_prefix_ + "/bot" + token_ + "/" + std::string(method);
  auto result = http_->Post(path, items);
  return finish(method, &result);
}

api_response telegram_client::finish(std::string_view method, const void* raw) {
  const auto& result = *static_cast<const httplib::Result*>(raw);
  if (!result) {
    // httplib's error text names no URL, so the token cannot leak through it.
    auto r = network_failure(log_name(method) + ": " + httplib::to_string(result.error()));
    r.maybe_delivered = result.error() == httplib::Error::Read;
    return r;
  }
  return classify_response(result->status, result->body);
}

void telegram_client::stop() {
  http_->stop();
}

std::string telegram_client::log_name(std::string_view method) {
  return "/bot***/" + std::string(method);
}

}  // namespace nocturna::bot
