#include "clients/nocturna/response.hpp"

#include <fmt/format.h>
#include <simdjson.h>

namespace nocturna::remote {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

// success:false → `error.message`, a non-empty `error` string, else "unknown" (§7.4).
std::string envelope_error_message(object o) {
  element err;
  if (o.at_key("error").get(err)) return "unknown";
  object eo;
  if (!err.get(eo)) {
    std::string_view m;
    if (!eo.at_key("message").get(m)) return std::string(m);
    return "unknown";
  }
  std::string_view s;
  if (!err.get(s) && !s.empty()) return std::string(s);
  return "unknown";
}

// FastAPI puts a string or a validation list in `detail`.
std::string detail_text(object o) {
  element d;
  if (o.at_key("detail").get(d)) return {};
  std::string_view s;
  if (!d.get(s)) return std::string(s);
  return simdjson::minify(d);
}

bool retryable_status(int status) {
  return status >= 500 && status <= 599;
}

call_error make_error(error_class cls, bool retryable, int status, std::string_view request_id,
                      std::string what, std::string_view body) {
  call_error e;
  e.cls = cls;
  e.retryable = retryable;
  e.http_status = status;
  e.request_id = std::string(request_id);
  e.detail = std::move(what);
  if (!body.empty()) e.detail += fmt::format("; body: {}", excerpt(body));
  return e;
}

reply failure(call_error e) {
  reply r;
  r.error = std::move(e);
  return r;
}

}  // namespace

const char* error_class_name(error_class c) {
  switch (c) {
    case error_class::unavailable:
      return "unavailable";
    case error_class::server:
      return "server";
    case error_class::rejected:
      return "rejected";
    case error_class::auth:
      return "auth";
    case error_class::protocol:
      return "protocol";
  }
  return "?";
}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back off over continuation bytes so a multi-byte character is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

call_error transport_error(std::string what) {
  call_error e;
  e.cls = error_class::unavailable;
  e.retryable = true;
  e.detail = std::move(what);
  return e;
}

reply interpret_response(int status, std::string_view body, std::string_view request_id) {
  simdjson::dom::parser parser;
  object o;
  const bool is_object = !parser.parse(body.data(), body.size()).get(o);

  if (status >= 200 && status <= 299) {
    if (!is_object)
      return failure(make_error(error_class::protocol, false, status, request_id,
                                "answer is not a JSON object", body));
    element success;
    if (o.at_key("success").get(success)) {
      reply r;
      r.ok = true;
      r.payload = simdjson::minify(o);
      return r;
    }
    bool succeeded = false;
    if (success.get(succeeded))
      return failure(make_error(error_class::protocol, false, status, request_id,
                                "envelope `success` is not a boolean", body));
    if (!succeeded)
      return failure(make_error(error_class::server, false, status, request_id,
                                "success:false: " + envelope_error_message(o), body));
    object data;
    if (o.at_key("data").get(data))
      return failure(make_error(error_class::protocol, false, status, request_id,
                                "envelope `data` is not an object", body));
    reply r;
    r.ok = true;
    r.payload = simdjson::minify(data);
    return r;
  }

  std::string what = fmt::format("HTTP {}", status);
  if (is_object) {
    element success;
    bool succeeded = true;
    if (!o.at_key("success").get(success) && !success.get(succeeded) && !succeeded) {
      what += ": success:false: " + envelope_error_message(o);
    } else if (auto d = detail_text(o); !d.empty()) {
      what += ": " + excerpt(d, 200);
    }
  }

  switch (status) {
    case 401:
    case 403:
      return failure(make_error(error_class::auth, false, status, request_id, what, body));
    case 400:
    case 422:
      return failure(make_error(error_class::rejected, false, status, request_id, what, body));
    case 429:
      return failure(make_error(error_class::unavailable, false, status, request_id, what, body));
    case 502:
    case 503:
    case 504:
      return failure(make_error(error_class::unavailable, true, status, request_id, what, body));
    default:
      break;
  }
  if (status == 500 && is_object) {
    element d;
    std::string_view detail;
    if (!o.at_key("detail").get(d) && !d.get(detail) && detail.rfind("Error calculating", 0) == 0)
      return failure(make_error(error_class::rejected, false, status, request_id, what, body));
  }
  return failure(
      make_error(error_class::server, retryable_status(status), status, request_id, what, body));
}

}  // namespace nocturna::remote
