// A scriptable stand-in for OpenRouter's chat completions (docs/integrations.md §1.2–§1.5) on
// 127.0.0.1: answers with the documented JSON, plays scripted failures, counts requests and keeps
// the last request's body and headers.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nocturna::testing {

// One scripted answer.
struct fake_llm_reply {
  int status = 200;
  std::string body;  // sent as is
  std::string content_type = "application/json";
  int retry_after_s = -1;              // ≥ 0 adds `Retry-After`
  std::chrono::milliseconds delay{0};  // before answering (a hang when longer than the deadline)

  // 200 with choices[0].message.content = `content`.
  static fake_llm_reply text(const std::string& content, const std::string& finish_reason = "stop");
  // `status` with {"error":{"code":status,"message":…}}.
  static fake_llm_reply error(int status, const std::string& message = "scripted error",
                              int retry_after_s = -1);
  // 200 with {"error":{…}}: a failure during generation.
  static fake_llm_reply error_in_200(int code = 502, const std::string& message = "provider error");
  static fake_llm_reply malformed();      // 200 with a body that is not JSON
  static fake_llm_reply empty_content();  // 200 whose content is ""
  // Waits `d` (ended early by stop()), then answers `then`.
  static fake_llm_reply hang(std::chrono::milliseconds d, fake_llm_reply then = text("Поздно."));
};

// The two messages of one request as the fake received them (empty when the body had none).
struct fake_llm_request {
  std::string system, user;
};

class fake_openrouter {
 public:
  fake_openrouter();
  ~fake_openrouter();
  fake_openrouter(const fake_openrouter&) = delete;
  fake_openrouter& operator=(const fake_openrouter&) = delete;

  int start();                   // binds an ephemeral port; returns it
  void stop();                   // idempotent; ends pending delays at once
  std::string base_url() const;  // "http://127.0.0.1:PORT/api/v1"

  // Requests with another Bearer get 401 like OpenRouter; empty = any key. The 401 message
  // quotes the key that was sent, so tests can prove the client keeps it out of its errors.
  void set_api_key(std::string key);
  // Answers in order; when the script is exhausted every request gets the default.
  void script(std::vector<fake_llm_reply> replies);
  void set_default(fake_llm_reply reply);  // initially text("🌟 Текст дня.")

  int request_count() const;
  std::string last_body() const;
  std::string last_header(const std::string& name) const;  // "" when absent
  bool last_has_header(const std::string& name) const;
  std::string last_path() const;
  // The system prompt and the data block of every well-formed request, in arrival order.
  std::vector<fake_llm_request> requests() const;

  // The bot's environment pointing at this fake with `key` (OPENROUTER_TIMEOUT = `timeout_s`).
  std::map<std::string, std::string> bot_env(const std::string& key, int timeout_s = 45) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nocturna::testing
