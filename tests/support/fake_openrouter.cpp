#include "tests/support/fake_openrouter.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "protocol/json_writer.hpp"

namespace nocturna::testing {
namespace {

std::string error_body(int code, const std::string& message) {
  return json::object()
      .add_raw("error", json::object()
                            .add("code", code)
                            .add("message", message)
                            .add_raw("metadata", R"({"provider_name":"fake"})")
                            .str())
      .str();
}

}  // namespace

fake_llm_reply fake_llm_reply::text(const std::string& content, const std::string& finish_reason) {
  fake_llm_reply r;
  const std::string message = json::object().add("role", "assistant").add("content", content).str();
  const std::string choice = json::object()
                                 .add("index", 0)
                                 .add("finish_reason", finish_reason)
                                 .add_raw("message", message)
                                 .str();
  r.body =
      json::object()
          .add("id", "gen-fake-1")
          .add("model", "anthropic/claude-haiku-4.5")
          .add("object", "chat.completion")
          .add_raw("choices", "[" + choice + "]")
          .add_raw("usage", R"({"prompt_tokens":612,"completion_tokens":1088,"total_tokens":1700})")
          .str();
  return r;
}

fake_llm_reply fake_llm_reply::error(int status, const std::string& message, int retry_after_s) {
  fake_llm_reply r;
  r.status = status;
  r.body = error_body(status, message);
  r.retry_after_s = retry_after_s;
  return r;
}

fake_llm_reply fake_llm_reply::error_in_200(int code, const std::string& message) {
  fake_llm_reply r;
  r.body = error_body(code, message);
  return r;
}

fake_llm_reply fake_llm_reply::malformed() {
  fake_llm_reply r;
  r.body = R"({"id":"gen-fake-1","choices":[{"message":)";
  return r;
}

fake_llm_reply fake_llm_reply::empty_content() {
  return text("   ");
}

fake_llm_reply fake_llm_reply::hang(std::chrono::milliseconds d, fake_llm_reply then) {
  then.delay = d;
  return then;
}

struct fake_openrouter::impl {
  httplib::Server http;
  std::thread listener;
  int port = 0;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  std::string api_key;
  std::deque<fake_llm_reply> queue;
  fake_llm_reply fallback = fake_llm_reply::text("🌟 Текст дня.");

  int count = 0;
  std::vector<fake_llm_request> seen;
  std::string last_body;
  std::string last_path;
  httplib::Headers last_headers;

  // Waits `d` unless the server is stopping; false when it is.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, d, [this] { return stopping; });
  }

  // What OpenRouter checks before any scripted answer: the key and the shape of the body.
  bool check(const httplib::Request& req, httplib::Response& res) {
    const auto auth = req.get_header_value("Authorization");
    if (!api_key.empty() && auth != "Bearer " + api_key) {
      res.status = 401;
      res.set_content(error_body(401, "No auth credentials found for " + auth), "application/json");
      return false;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    simdjson::dom::array messages;
    std::string_view model;
    if (parser.parse(req.body).get(doc) || doc["model"].get(model) ||
        doc["messages"].get(messages) || messages.size() == 0) {
      res.status = 400;
      res.set_content(error_body(400, "Invalid request body"), "application/json");
      return false;
    }
    fake_llm_request r;
    for (auto m : messages) {
      std::string_view role, content;
      if (m["role"].get(role) || m["content"].get(content)) continue;
      if (role == "system") r.system = std::string(content);
      if (role == "user") r.user = std::string(content);
    }
    seen.push_back(std::move(r));
    return true;
  }

  void completions(const httplib::Request& req, httplib::Response& res) {
    fake_llm_reply reply;
    {
      std::lock_guard lock(mutex);
      ++count;
      last_body = req.body;
      last_path = req.path;
      last_headers = req.headers;
      if (!check(req, res)) return;
      if (!queue.empty()) {
        reply = queue.front();
        queue.pop_front();
      } else {
        reply = fallback;
      }
    }
    if (reply.delay.count() > 0 && !pause(reply.delay)) return;
    res.status = reply.status;
    if (reply.retry_after_s >= 0)
      res.set_header("Retry-After", std::to_string(reply.retry_after_s));
    res.set_content(reply.body, reply.content_type);
  }
};

fake_openrouter::fake_openrouter() : impl_(std::make_unique<impl>()) {
  impl_->http.Post("/api/v1/chat/completions",
                   [this](const httplib::Request& req, httplib::Response& res) {
                     impl_->completions(req, res);
                   });
}

fake_openrouter::~fake_openrouter() {
  stop();
}

int fake_openrouter::start() {
  impl_->port = impl_->http.bind_to_any_port("127.0.0.1");
  if (impl_->port <= 0) throw std::runtime_error("fake_openrouter: cannot bind");
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  // httplib's stop() is a no-op before the loop runs, so a fake stopped at once would never end.
  for (int i = 0; i < 5000 && !impl_->http.is_running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return impl_->port;
}

void fake_openrouter::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->listener.joinable()) {
    impl_->http.stop();
    impl_->listener.join();
  }
}

std::string fake_openrouter::base_url() const {
  return fmt::format("http://127.0.0.1:{}/api/v1", impl_->port);
}

void fake_openrouter::set_api_key(std::string key) {
  std::lock_guard lock(impl_->mutex);
  impl_->api_key = std::move(key);
}

void fake_openrouter::script(std::vector<fake_llm_reply> replies) {
  std::lock_guard lock(impl_->mutex);
  impl_->queue.assign(replies.begin(), replies.end());
}

void fake_openrouter::set_default(fake_llm_reply reply) {
  std::lock_guard lock(impl_->mutex);
  impl_->fallback = std::move(reply);
}

int fake_openrouter::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->count;
}

std::vector<fake_llm_request> fake_openrouter::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

std::map<std::string, std::string> fake_openrouter::bot_env(const std::string& key,
                                                            int timeout_s) const {
  return {{"OPENROUTER_API_KEY", key},
          {"OPENROUTER_BASE_URL", base_url()},
          {"OPENROUTER_TIMEOUT", std::to_string(timeout_s)}};
}

std::string fake_openrouter::last_body() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_body;
}

std::string fake_openrouter::last_header(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  const auto it = impl_->last_headers.find(name);
  return it == impl_->last_headers.end() ? std::string() : it->second;
}

bool fake_openrouter::last_has_header(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_headers.find(name) != impl_->last_headers.end();
}

std::string fake_openrouter::last_path() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_path;
}

}  // namespace nocturna::testing
