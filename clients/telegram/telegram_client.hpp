// Bot API calls over HTTP(S) with keep-alive (telegram.md §1). One instance per thread: cpp-httplib
// clients are not thread-safe, except stop(), which aborts an in-flight call from another thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/api_response.hpp"

namespace httplib {
class Client;
}

namespace nocturna::bot {

struct upload_file {
  std::string field;  // "photo"
  std::string filename;
  std::string content_type;
  std::string bytes;
};

class telegram_client {
 public:
  // `api_url` like "https://api.telegram.org" or "http://127.0.0.1:8090" (an optional path prefix
  // is kept). Throws std::invalid_argument for a URL without scheme or host.
  telegram_client(const std::string& api_url, std::string token);
  ~telegram_client();
  telegram_client(const telegram_client&) = delete;
  telegram_client& operator=(const telegram_client&) = delete;

  // POSTs `json_body` as application/json. `timeout` bounds reading the answer.
  api_response call(std::string_view method, const std::string& json_body,
                    std::chrono::milliseconds timeout);

  // POSTs multipart/form-data: plain `fields` plus one file part.
  api_response call_multipart(std::string_view method,
                              const std::vector<std::pair<std::string, std::string>>& fields,
                              const upload_file& file, std::chrono::milliseconds timeout);

  // Aborts the call in flight, if any; safe from any thread.
  void stop();

  // "/bot***/method": how a call is named in logs.
  static std::string log_name(std::string_view method);

 private:
  api_response finish(std::string_view method, const void* result);
  void prepare(std::chrono::milliseconds timeout);

  std::unique_ptr<httplib::Client> http_;
  std::string path_prefix_;
  std::string token_;
};

}  // namespace nocturna::bot
