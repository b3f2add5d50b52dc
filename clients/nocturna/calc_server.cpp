#include "clients/nocturna/calc_server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <thread>
#include <variant>

#include "clients/astro/aspects.hpp"
#include "clients/astro/chart_builder.hpp"
#include "clients/astro/houses.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "clients/body_limit.hpp"
#include "clients/http_listener.hpp"
#include "clients/logging.hpp"
#include "clients/nocturna/calc_request.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::remote {
namespace {

constexpr const char* json_content_type = "application/json";

std::shared_ptr<spdlog::logger> log() {
  return get_logger("calc-serve");
}

// The reference server sends D/M/S as integer-valued floats (`"degree":14.0`); so do we.
void add_breakdown(json::object& o, double longitude) {
  const auto d = astro::to_dms(longitude);
  o.add("sign", astro::sign_api_name(d.sign))
      .add_raw("degree", fmt::format("{:.1f}", static_cast<double>(d.degree)))
      .add_raw("minute", fmt::format("{:.1f}", static_cast<double>(d.minute)))
      .add_raw("second", fmt::format("{:.1f}", static_cast<double>(d.second)));
}

std::string position_element(const astro::body_position& p) {
  json::object o;
  o.add("planet", astro::body_api_name(p.id))
      .add("longitude", p.longitude)
      .add("latitude", p.latitude)
      .add("distance", p.distance)
      .add("speed", p.speed)
      .add("is_retrograde", p.is_retrograde())
      .add_raw("house", "null");
  add_breakdown(o, p.longitude);
  return o.str();
}

std::string cusp_element(int number, double longitude) {
  json::object o;
  o.add("number", number).add("longitude", longitude).add_raw("latitude", "0.0");
  add_breakdown(o, longitude);
  return o.str();
}

std::string aspect_element(const astro::aspect& a) {
  return json::object()
      .add("planet1", a.p1.api_name())
      .add("planet2", a.p2.api_name())
      .add("aspect_type", astro::aspect_name(a.type))
      .add("orb", a.orb)
      .add("applying", a.applying)
      .add_raw("exact_time", "null")
      .str();
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  return out + "]";
}

}  // namespace

struct calc_server::impl {
  calc_server_options opt;
  httplib::Server http;
  std::thread listener;
  int port = 0;
  std::atomic<std::uint64_t> request_counter{0};

  explicit impl(calc_server_options o) : opt(std::move(o)) {
    if (!opt.backend) opt.backend = std::make_shared<astro::swiss_ephemeris>();
  }

  static void reply(httplib::Response& res, const http_answer& a) {
    res.status = a.status;
    res.set_content(a.body, json_content_type);
  }

  bool authorised(const httplib::Request& req, httplib::Response& res) const {
    if (opt.required_token.empty() ||
        req.get_header_value("Authorization") == "Bearer " + opt.required_token)
      return true;
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(req.has_header("Authorization")
                        ? R"({"detail":"Could not validate credentials"})"
                        : R"({"detail":"Not authenticated"})",
                    json_content_type);
    return false;
  }

  // Julian day (UT) of the request's wall time in its zone, or the 500 the reference would send.
  std::variant<double, http_answer> moment(const calc_input& in, std::string_view what) const {
    auto r = astro::resolve_moment(
        astro::chart_request::at_local(in.local, in.zone, in.latitude, in.longitude));
    if (!r) return calculation_error(what, r.error().detail);
    return astro::julian_day_ut(r.value().utc);
  }

  // Parsing, time and positions shared by the three calculations.
  struct prepared {
    calc_input in;
    double jd = 0;
    std::vector<astro::body_position> positions;
  };
  std::variant<prepared, http_answer> prepare(const httplib::Request& req, std::string_view what,
                                              bool need_positions) const {
    auto parsed = parse_calc_input(req.body, what);
    if (auto* a = std::get_if<http_answer>(&parsed)) return *a;
    prepared p;
    p.in = std::move(std::get<calc_input>(parsed));
    auto jd = moment(p.in, what);
    if (auto* a = std::get_if<http_answer>(&jd)) return *a;
    p.jd = std::get<double>(jd);
    if (need_positions) {
      auto positions = opt.backend->positions(p.jd);
      if (!positions) return calculation_error(what, positions.error().detail);
      p.positions = std::move(positions.value());
    }
    return p;
  }

  http_answer positions(const httplib::Request& req) const {
    constexpr const char* what = "planetary positions";
    auto prep = prepare(req, what, true);
    if (auto* a = std::get_if<http_answer>(&prep)) return *a;
    auto& p = std::get<prepared>(prep);
    std::vector<std::string> names;
    if (p.in.planets) {
      names = *p.in.planets;
    } else {
      for (int b = 0; b <= static_cast<int>(astro::body::pluto); ++b)
        names.emplace_back(astro::body_api_name(static_cast<astro::body>(b)));
    }
    std::vector<std::string> items;
    for (const auto& name : names) {
      const auto id = astro::body_from_api_name(name);
      if (!id) continue;  // like the reference: unknown names are dropped silently
      const astro::body_position* found = nullptr;
      for (const auto& pos : p.positions)
        if (pos.id == *id) found = &pos;
      // Only Chiron can be missing: its asteroid file is optional.
      if (!found) return calculation_error(what, "SwissEph file 'seas_18.se1' not found");
      items.push_back(position_element(*found));
    }
    return {200, json::object().add_raw("positions", join(items)).str()};
  }

  http_answer houses(const httplib::Request& req) const {
    constexpr const char* what = "houses";
    auto prep = prepare(req, what, false);
    if (auto* a = std::get_if<http_answer>(&prep)) return *a;
    auto& p = std::get<prepared>(prep);
    const auto letter = astro::house_system_from_name(p.in.house_system);
    if (!letter)
      return validation_error("enum", "house_system",
                              "Input should be PLACIDUS, KOCH, EQUAL, WHOLE_SIGN, PORPHYRY, "
                              "REGIOMONTANUS or CAMPANUS");
    auto h = astro::compute_houses(p.jd, p.in.latitude, p.in.longitude, *letter);
    if (!h) return calculation_error(what, h.error().detail);
    // The reference fails where Placidus and Koch are undefined; our fallback is the bot's own.
    if (h.value().fallback) return calculation_error(what, "polar latitude");
    std::vector<std::string> items;
    for (int i = 0; i < 12; ++i) items.push_back(cusp_element(i + 1, h.value().cusps[i]));
    return {200, json::object().add_raw("houses", join(items)).str()};
  }

  http_answer aspects(const httplib::Request& req) const {
    auto prep = prepare(req, "aspects", true);
    if (auto* a = std::get_if<http_answer>(&prep)) return *a;
    std::vector<std::string> items;
    for (const auto& a : astro::chart_aspects(std::get<prepared>(prep).positions))
      items.push_back(aspect_element(a));
    return {200, json::object().add_raw("aspects", join(items)).str()};
  }

  void route(const char* path, http_answer (impl::*handler)(const httplib::Request&) const) {
    http.Post(path, [this, path, handler](const httplib::Request& req, httplib::Response& res) {
      const auto id = fmt::format("calc-{}", ++request_counter);
      res.set_header("X-Request-ID", id);
      if (!authorised(req, res)) return;
      const auto answer = (this->*handler)(req);
      if (answer.status != 200)
        log()->info("{} {} → {}: {}", id, path, answer.status, answer.body.substr(0, 300));
      reply(res, answer);
    });
  }

  void install_routes() {
    route("/api/calculations/planetary-positions", &impl::positions);
    route("/api/calculations/houses", &impl::houses);
    route("/api/calculations/aspects", &impl::aspects);
    http.Get("/api/health", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(json::object()
                          .add("status", "healthy")
                          .add("ephemeris", opt.backend->ephemeris_name())
                          .str(),
                      json_content_type);
    });
    http.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown exception";
          try {
            std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          log()->error("{} {}: {}", req.method, req.path, what);
          res.status = 500;
          res.set_content(R"({"detail":"Internal Server Error"})", json_content_type);
        });
    // A calculation request is a few hundred bytes; refused beyond 64 KiB before it is read.
    limit_request_bodies(http, 64 * 1024);
    const int threads = std::max(2, opt.threads);
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    // An idle keep-alive connection holds a worker until this timeout, and stop() waits for it.
    http.set_keep_alive_timeout(2);
    http.set_tcp_nodelay(true);  // small answers must not wait for delayed ACKs
  }
};

calc_server::calc_server(calc_server_options opts)
    : impl_(std::make_unique<impl>(std::move(opts))) {
  impl_->install_routes();
}

calc_server::~calc_server() {
  stop();
}

int calc_server::start() {
  const auto& o = impl_->opt;
  const int port = o.port == 0 ? impl_->http.bind_to_any_port(o.host)
                               : (impl_->http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0)
    throw std::runtime_error(fmt::format("calc serve: cannot bind {}:{}", o.host, o.port));
  widen_listen_backlog(impl_->http);
  impl_->port = port;
  impl_->listener = std::thread([this] { impl_->http.listen_after_bind(); });
  log()->info("calc serve: Nocturna Calculations API on http://{}:{}/api (ephemeris {}, auth {})",
              o.host, port, o.backend->ephemeris_name(),
              o.required_token.empty() ? "any bearer" : "required token");
  return port;
}

void calc_server::stop() {
  if (!impl_->listener.joinable()) return;
  impl_->http.stop();
  impl_->listener.join();
}

std::string calc_server::base_url() const {
  return fmt::format("http://{}:{}/api", impl_->opt.host, impl_->port);
}

}  // namespace nocturna::remote
