#include "clients/sandbox/control_api.hpp"

#include <httplib.h>

#include <functional>

#include "clients/sandbox/control_handlers.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {

control_reply ok_json(std::string body) {
  return {200, std::move(body)};
}

control_reply fail(int status, const std::string& error) {
  return {status, json::object().add("ok", false).add("error", error).str()};
}

json_body::json_body(const std::string& text) {
  ok = jsonu::parse(parser, text.empty() ? "{}" : text, doc) && doc.is_object();
}

std::optional<std::int64_t> query_int(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  const std::string v = req.get_param_value(name);
  try {
    std::size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size()) return std::nullopt;
    return n;
  } catch (...) {
    return std::nullopt;
  }
}

namespace {

using control_handler = std::function<control_reply(sandbox_state&, const httplib::Request&)>;

httplib::Server::Handler wrap(sandbox_state& s, control_handler h) {
  return [&s, h](const httplib::Request& req, httplib::Response& res) {
    control_reply r = h(s, req);
    res.status = r.status;
    res.set_content(r.body, "application/json");
  };
}

void serve_photo(sandbox_state& s, const httplib::Request& req, httplib::Response& res) {
  auto photo = s.photos.bytes_of(req.matches[1]);
  if (!photo) {
    res.status = 404;
    res.set_content(fail(404, "unknown file_id").body, "application/json");
    return;
  }
  res.set_header("Cache-Control", "max-age=86400");
  res.set_content(photo->first, photo->second.c_str());
}

}  // namespace

void register_control_api(httplib::Server& server, sandbox_state& s) {
  server.Post("/sandbox/send", wrap(s, send));
  server.Post("/sandbox/press", wrap(s, press));
  server.Post("/sandbox/location", wrap(s, location));
  server.Post("/sandbox/edit", wrap(s, edit));
  server.Post("/sandbox/raw", wrap(s, raw));
  server.Post("/sandbox/inline", wrap(s, inline_query));
  server.Get("/sandbox/inline_answers", wrap(s, inline_answers));
  server.Get("/sandbox/transcript", wrap(s, transcript));
  server.Get("/sandbox/wait", wrap(s, wait));
  server.Get("/sandbox/calls", wrap(s, calls));
  server.Get("/sandbox/stats", wrap(s, stats));
  server.Get("/sandbox/chats", wrap(s, chats));
  server.Get("/sandbox/commands", wrap(s, commands));
  server.Post("/sandbox/faults", wrap(s, add_fault));
  server.Delete("/sandbox/faults", wrap(s, clear_faults));
  server.Post("/sandbox/reset", wrap(s, reset));
  server.Get(
      R"(/sandbox/photo/([A-Za-z0-9_\-]+))",
      [&s](const httplib::Request& req, httplib::Response& res) { serve_photo(s, req, res); });
}

}  // namespace nocturna::sandbox
