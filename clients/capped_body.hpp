// An upstream's answer read into memory up to a bound (the OpenRouter and chart-service clients):
// past the bound the read stops at once, so a runaway answer costs at most `max_bytes`.
#pragma once

#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace nocturna {

struct capped_body {
  explicit capped_body(std::size_t max) : max_bytes(max) {}

  std::size_t max_bytes;
  std::string text;
  bool too_large = false;  // the answer went past max_bytes: `text` is cut, the read aborted

  // For httplib::Request::content_receiver; this object must outlive the request. Returning false
  // makes cpp-httplib end the exchange (Error::Canceled).
  httplib::ContentReceiverWithProgress receiver() {
    return [this](const char* data, std::size_t len, std::uint64_t, std::uint64_t) {
      if (text.size() + len > max_bytes) {
        too_large = true;
        return false;
      }
      text.append(data, len);
      return true;
    };
  }
};

}  // namespace nocturna
