#include "tests/support/fake_nocturna.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <simdjson.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "protocol/json_writer.hpp"
#include "protocol/jwt.hpp"

namespace nocturna::testing {
namespace {

constexpr const char* kKnownBodies[] = {"SUN",        "MOON",      "MERCURY", "VENUS",   "MARS",
                                        "JUPITER",    "SATURN",    "URANUS",  "NEPTUNE", "PLUTO",
                                        "NORTH_NODE", "TRUE_NODE", "LILITH",  "CHIRON"};

std::string position_json(int index, const std::string& name) {
  // Distinct, easily recognisable values: body i sits at 25·i + 0.5°.
  const double lon = 25.0 * index + 0.5;
  const double speed = name == "NORTH_NODE" ? -0.05 : 1.0 + index / 10.0;
  return json::object()
      .add("planet", name)
      .add("longitude", lon)
      .add("latitude", 0.25)
      .add("distance", 1.5)
      .add("speed", speed)
      .add("is_retrograde", speed < 0)
      .add_raw("house", "null")
      .add("sign", "ARIES")
      .add_raw("degree", fmt::format("{:.1f}", static_cast<double>(static_cast<int>(lon) % 30)))
      .add_raw("minute", "30.0")
      .add_raw("second", "0.0")
      .str();
}

}  // namespace

std::string make_test_jwt(std::int64_t exp, const std::string& extra) {
  std::string payload = "{";
  if (exp >= 0) payload += fmt::format("\"exp\":{}", exp);
  if (!extra.empty()) payload += (exp >= 0 ? "," : "") + extra;
  payload += "}";
  return jwt::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
         jwt::base64url_encode(payload) + "." + jwt::base64url_encode("sig");
}

struct fake_nocturna::impl {
  httplib::Server http;
  std::thread listener;
  int port = 0;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::vector<recorded_request> log;

  bool wrapped = false;
  std::deque<int> statuses;
  body_mode mode = body_mode::normal;
  std::chrono::milliseconds delay{0};
  std::vector<std::string> accepted;
  bool chiron_fails = false;

  std::string refresh_service_token;
  std::string refresh_access_token;
  int refresh_expires_in = 1800;
  int refresh_status = 200;

  std::string login_email, login_password, admin_token;
  int health_status = 200;
  int next_token_id = 1;

  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex);
    log.push_back({req.method, req.path, req.body, req.get_header_value("Authorization"),
                   req.get_header_value("Content-Type"), req.get_header_value("User-Agent")});
  }

  std::string wrap(const std::string& payload) const {
    return wrapped ? R"({"success":true,"data":)" + payload + R"(,"error":null})" : payload;
  }

  bool bearer_ok(const httplib::Request& req) const {
    if (accepted.empty()) return true;
    const auto h = req.get_header_value("Authorization");
    for (const auto& t : accepted)
      if (h == "Bearer " + t) return true;
    return false;
  }

  static void unauthorized(httplib::Response& res, const char* detail) {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(fmt::format(R"({{"detail":"{}"}})", detail), "application/json");
  }

  // Waits `d` unless the server is stopping; false when it is.
  bool pause(std::chrono::milliseconds d) {
    std::unique_lock lock(mutex);
    return !wake.wait_for(lock, d, [this] { return stopping; });
  }

  void error_status(int status, httplib::Response& res) {
    res.set_header("X-Request-ID", "req-" + std::to_string(status));
    if (status == 5001) {
      res.status = 500;
      res.set_content(R"({"detail":"Error calculating planetary positions: bad input"})",
                      "application/json");
    } else if (status == 500 && wrapped) {
      res.status = 500;
      res.set_content(
          R"({"success":false,"data":null,"error":{"code":"INTERNAL_ERROR","message":"boom","details":null},"meta":{"request_id":"req-500"}})",
          "application/json");
    } else if (status == 500) {
      res.status = 500;
      res.set_content(R"({"detail":"Internal Server Error"})", "application/json");
    } else if (status == 502 || status == 503 || status == 504) {
      res.status = status;
      res.set_content("<html><body>Bad Gateway</body></html>", "text/html");
    } else if (status == 422) {
      res.status = 422;
      res.set_content(
          R"({"detail":[{"type":"missing","loc":["body","time"],"msg":"Field required","input":{}}]})",
          "application/json");
    } else if (status == 401) {
      unauthorized(res, "Not authenticated");
    } else {
      res.status = status;
      res.set_content(R"({"detail":"scripted error"})", "application/json");
    }
  }

  void positions(const httplib::Request& req, httplib::Response& res) {
    std::chrono::milliseconds d;
    {
      std::lock_guard lock(mutex);
      d = delay;
    }
    if (d.count() > 0 && !pause(d)) return;

    std::lock_guard lock(mutex);
    if (!bearer_ok(req)) return unauthorized(res, "Could not validate credentials");
    simdjson::dom::parser parser;
    simdjson::dom::array planets;
    std::vector<std::string> names;
    if (!parser.parse(req.body).at_key("planets").get(planets)) {
      for (auto p : planets) {
        std::string_view s;
        if (!p.get(s)) names.emplace_back(s);
      }
    }
    if (names.size() == 1 && names[0] == "CHIRON" && chiron_fails) {
      res.status = 500;
      res.set_content(
          R"({"detail":"Error calculating planetary positions: SwissEph file 'seas_18.se1' not found"})",
          "application/json");
      return;
    }
    if (!statuses.empty()) {
      const int status = statuses.front();
      statuses.pop_front();
      if (status != 200) return error_status(status, res);
    }
    res.set_header("X-Request-ID", "req-ok");
    switch (mode) {
      case body_mode::not_json:
        return res.set_content("not json at all", "text/plain");
      case body_mode::empty:
        return res.set_content("", "application/json");
      case body_mode::unknown_envelope_error:
        return res.set_content(R"({"success":false,"data":null,"error":null})", "application/json");
      default:
        break;
    }
    std::string list;
    for (const auto& name : names) {
      int index = -1;
      for (int i = 0; i < static_cast<int>(std::size(kKnownBodies)); ++i)
        if (name == kKnownBodies[i]) index = i;
      if (index < 0) continue;  // like the real server: unknown names are dropped
      if (mode == body_mode::missing_planet && name == "MOON") continue;
      if (!list.empty()) list += ',';
      list += position_json(index, name);
    }
    res.set_content(wrap(R"({"positions":[)" + list + "]}"), "application/json");
  }

  void refresh(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    if (refresh_status != 200) {
      res.status = refresh_status;
      res.set_content(R"({"detail":"scripted refresh failure"})", "application/json");
      return;
    }
    if (req.get_header_value("Authorization") != "Bearer " + refresh_service_token)
      return unauthorized(res, "Could not validate service token");
    res.set_content(wrap(json::object()
                             .add("access_token", refresh_access_token)
                             .add("refresh_token", refresh_service_token)
                             .add("expires_in", refresh_expires_in)
                             .str()),
                    "application/json");
  }

  void login(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    if (req.get_param_value("username") != login_email ||
        req.get_param_value("password") != login_password) {
      res.status = 401;
      res.set_content(R"({"detail":"Incorrect email or password"})", "application/json");
      return;
    }
    res.set_content(wrap(json::object()
                             .add("access_token", admin_token)
                             .add("refresh_token", "refresh-" + admin_token)
                             .add("expires_in", 1800)
                             .add("token_type", "bearer")
                             .str()),
                    "application/json");
  }

  void create_service_token(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    if (admin_token.empty() || req.get_header_value("Authorization") != "Bearer " + admin_token)
      return unauthorized(res, "Could not validate credentials");
    simdjson::dom::parser parser;
    std::int64_t days = 0;
    if (parser.parse(req.body).at_key("days").get(days) || days <= 0) {
      res.status = 422;
      res.set_content(R"({"detail":[{"type":"missing","loc":["body","days"],"msg":"bad days"}]})",
                      "application/json");
      return;
    }
    const auto exp = static_cast<std::int64_t>(std::time(nullptr)) + days * 86400;
    const auto id = fmt::format("tok-{}", next_token_id++);
    const auto token =
        make_test_jwt(exp, fmt::format(R"("scope":"calculations","token_id":"{}")", id));
    accepted.push_back(token);
    res.set_content(wrap(json::object()
                             .add("service_token", token)
                             .add("expires_at", jwt::format_utc(exp))
                             .add("expires_in_days", days)
                             .add("scope", "calculations")
                             .add("token_id", id)
                             .str()),
                    "application/json");
  }

  void me(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    if (!bearer_ok(req) || req.get_header_value("Authorization").empty())
      return unauthorized(res, "Could not validate credentials");
    res.set_content(wrap(R"({"id":1,"email":"service@nocturna.test","is_active":true})"),
                    "application/json");
  }
};

fake_nocturna::fake_nocturna() : impl_(std::make_unique<impl>()) {
  auto& s = *impl_;
  auto recorded = [this](auto handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      impl_->record(req);
      (impl_.get()->*handler)(req, res);
    };
  };
  s.http.Post("/api/calculations/planetary-positions", recorded(&impl::positions));
  s.http.Post("/api/auth/service-token/refresh", recorded(&impl::refresh));
  s.http.Post("/api/auth/login", recorded(&impl::login));
  s.http.Post("/api/auth/admin/service-tokens", recorded(&impl::create_service_token));
  s.http.Get("/api/auth/me", recorded(&impl::me));
  s.http.Get("/api/health", [this](const httplib::Request& req, httplib::Response& res) {
    impl_->record(req);
    std::lock_guard lock(impl_->mutex);
    res.status = impl_->health_status;
    res.set_content(impl_->health_status == 200 ? impl_->wrap(R"({"status":"healthy"})")
                                                : R"({"detail":"down"})",
                    "application/json");
  });
}

fake_nocturna::~fake_nocturna() {
  stop();
}

int fake_nocturna::start() {
  impl_->port = impl_->http.bind_to_any_port("127.0.0.1");
  if (impl_->port <= 0) throw std::runtime_error("fake_nocturna: cannot bind");
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  return impl_->port;
}

void fake_nocturna::stop() {
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

std::string fake_nocturna::base_url() const {
  return fmt::format("http://127.0.0.1:{}/api", impl_->port);
}

void fake_nocturna::set_wrapped(bool wrapped) {
  std::lock_guard lock(impl_->mutex);
  impl_->wrapped = wrapped;
}

void fake_nocturna::queue_statuses(std::vector<int> statuses) {
  std::lock_guard lock(impl_->mutex);
  impl_->statuses.assign(statuses.begin(), statuses.end());
}

void fake_nocturna::set_body_mode(body_mode m) {
  std::lock_guard lock(impl_->mutex);
  impl_->mode = m;
}

void fake_nocturna::set_delay(std::chrono::milliseconds d) {
  std::lock_guard lock(impl_->mutex);
  impl_->delay = d;
}

void fake_nocturna::set_accepted_bearers(std::vector<std::string> tokens) {
  std::lock_guard lock(impl_->mutex);
  impl_->accepted = std::move(tokens);
}

void fake_nocturna::set_chiron_fails(bool fails) {
  std::lock_guard lock(impl_->mutex);
  impl_->chiron_fails = fails;
}

void fake_nocturna::set_refresh(std::string service_token, std::string access_token, int expires_in,
                                int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->refresh_service_token = std::move(service_token);
  impl_->refresh_access_token = std::move(access_token);
  impl_->refresh_expires_in = expires_in;
  impl_->refresh_status = status;
}

void fake_nocturna::set_login(std::string email, std::string password,
                              std::string admin_access_token) {
  std::lock_guard lock(impl_->mutex);
  impl_->login_email = std::move(email);
  impl_->login_password = std::move(password);
  impl_->admin_token = std::move(admin_access_token);
}

void fake_nocturna::set_health_status(int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->health_status = status;
}

std::vector<recorded_request> fake_nocturna::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::vector<recorded_request> fake_nocturna::requests_to(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<recorded_request> out;
  for (const auto& r : impl_->log)
    if (r.path == path) out.push_back(r);
  return out;
}

void fake_nocturna::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->log.clear();
}

}  // namespace nocturna::testing
