#include "tests/support/fake_chart_service.hpp"

#include <cairo.h>
#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "clients/render/png_codec.hpp"
#include "protocol/base64.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::testing {

struct fake_chart_service::impl {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex m;
  std::condition_variable stopping_cv;
  bool stopping = false;
  chart_fake_mode mode = chart_fake_mode::success;
  std::chrono::milliseconds delay{3000};
  std::vector<chart_fake_request> requests;
  std::string png_base64 = base64_encode(make_png(800, 800));

  void handle(const httplib::Request& req, httplib::Response& res);
};

namespace {

std::string success_body(const std::string& image, bool with_meta) {
  std::string body = json::object()
                         .add("status", "success")
                         .add_raw("data", json::object()
                                              .add("image", image)
                                              .add("format", "png")
                                              .add("generatedAt", "2025-11-23T08:27:14.512Z")
                                              .str())
                         .str();
  if (with_meta) {
    body.pop_back();
    body += ",\"meta\":{\"renderTime\":12,\"version\":\"fake\"}}";
  }
  return body;
}

std::string error_body(const char* code, const char* message) {
  return json::object()
      .add("status", "error")
      .add_raw("error", json::object().add("code", code).add("message", message).str())
      .str();
}

}  // namespace

void fake_chart_service::impl::handle(const httplib::Request& req, httplib::Response& res) {
  chart_fake_mode current;
  std::chrono::milliseconds wait;
  {
    std::lock_guard<std::mutex> lock(m);
    requests.push_back({req.path, req.get_header_value("Authorization"),
                        req.get_header_value("Content-Type"), req.body});
    current = mode;
    wait = delay;
  }
  const char* json_type = "application/json";
  switch (current) {
    case chart_fake_mode::success:
      res.set_content(success_body(png_base64, true), json_type);
      return;
    case chart_fake_mode::success_no_meta:
      res.set_content(success_body(png_base64, false), json_type);
      return;
    case chart_fake_mode::render_error:
      res.status = 500;
      res.set_content(error_body("RENDER_ERROR", "render failed"), json_type);
      return;
    case chart_fake_mode::auth_error:
      res.status = 401;
      res.set_content(error_body("AUTHENTICATION_ERROR", "bad key"), json_type);
      return;
    case chart_fake_mode::rate_limited:
      res.status = 429;
      res.set_header("Retry-After", "7");
      res.set_content(error_body("RATE_LIMIT_EXCEEDED", "slow down"), json_type);
      return;
    case chart_fake_mode::unavailable:
      res.status = 503;
      res.set_content(error_body("INTERNAL_ERROR", "busy"), json_type);
      return;
    case chart_fake_mode::slow: {
      std::unique_lock<std::mutex> lock(m);
      stopping_cv.wait_for(lock, wait, [this] { return stopping; });
      res.set_content(success_body(png_base64, true), json_type);
      return;
    }
    case chart_fake_mode::bad_base64:
      res.set_content(success_body("iVBORw0KGgo*not base64*", true), json_type);
      return;
    case chart_fake_mode::not_png:
      res.set_content(success_body(base64_encode("GIF89a these bytes are no PNG"), true),
                      json_type);
      return;
    case chart_fake_mode::tiny_png:
      res.set_content(success_body(base64_encode(make_png(1, 1)), true), json_type);
      return;
  }
}

fake_chart_service::fake_chart_service() : impl_(std::make_unique<impl>()) {
  auto* d = impl_.get();
  auto route = [d](const httplib::Request& req, httplib::Response& res) { d->handle(req, res); };
  d->server.Post("/api/v1/chart/render", route);
  d->server.Post("/api/v1/chart/render/transit", route);
  d->server.Post("/api/v1/chart/render/synastry", route);
  d->server.Get("/health", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"healthy\",\"version\":\"fake\",\"uptime\":1}",
                    "application/json");
  });
  d->port = d->server.bind_to_any_port("127.0.0.1");
  if (d->port <= 0) throw std::runtime_error("fake chart service: cannot bind");
  d->thread = std::thread([d] { d->server.listen_after_bind(); });
  // stop() does nothing until the accept loop runs, so wait for it (a fake stopped at once hangs).
  while (!d->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

fake_chart_service::~fake_chart_service() {
  {
    std::lock_guard<std::mutex> lock(impl_->m);
    impl_->stopping = true;
  }
  impl_->stopping_cv.notify_all();
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string fake_chart_service::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

void fake_chart_service::set_mode(chart_fake_mode m) {
  std::lock_guard<std::mutex> lock(impl_->m);
  impl_->mode = m;
}

void fake_chart_service::set_delay(std::chrono::milliseconds d) {
  std::lock_guard<std::mutex> lock(impl_->m);
  impl_->delay = d;
}

std::vector<chart_fake_request> fake_chart_service::requests() const {
  std::lock_guard<std::mutex> lock(impl_->m);
  return impl_->requests;
}

std::string fake_chart_service::make_png(int w, int h) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 0.9, 0.9, 0.95);
  cairo_paint(cr);
  cairo_destroy(cr);
  auto png = render::encode_png_rgb24(s);
  cairo_surface_destroy(s);
  return png ? *png : std::string();
}

}  // namespace nocturna::testing
