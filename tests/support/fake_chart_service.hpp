// A fake of the external chart service (docs/integrations.md §2.7) on 127.0.0.1 with an ephemeral
// port: the three render routes (wheel, transit, synastry) and /health, switchable answers, and a
// record of the requests.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace nocturna::testing {

enum class chart_fake_mode {
  success,          // 200 with a real 800×800 PNG in base64 and meta
  success_no_meta,  // the same without "meta"
  render_error,     // 500 RENDER_ERROR
  auth_error,       // 401 AUTHENTICATION_ERROR
  rate_limited,     // 429 with Retry-After: 7
  unavailable,      // 503 INTERNAL_ERROR (retryable)
  slow,             // waits `delay` (default 3 s) before a success answer
  bad_base64,       // 200 whose data.image is not base64
  not_png,          // 200 whose data.image is base64 of non-PNG bytes
  tiny_png,         // 200 with a valid 1×1 PNG (not a sane chart size)
};

struct chart_fake_request {
  std::string path;
  std::string authorization;
  std::string content_type;
  std::string body;
};

class fake_chart_service {
 public:
  fake_chart_service();  // listening when the constructor returns
  ~fake_chart_service();
  fake_chart_service(const fake_chart_service&) = delete;
  fake_chart_service& operator=(const fake_chart_service&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  void set_mode(chart_fake_mode m);
  void set_delay(std::chrono::milliseconds d);
  std::vector<chart_fake_request> requests() const;

  // A real opaque PNG of w×h pixels (one colour), drawn with cairo.
  static std::string make_png(int w, int h);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace nocturna::testing
