#include "clients/sandbox/request_params.hpp"

#include <httplib.h>

#include <cerrno>
#include <cstdlib>

#include "clients/sandbox/json_util.hpp"

namespace nocturna::sandbox {
namespace {

param_value make_value(param_value::kind k, std::string data) {
  param_value v;
  v.k = k;
  v.data = std::move(data);
  return v;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::optional<std::string> read_json_body(const std::string& body, param_map& out) {
  simdjson::dom::parser parser;
  jsonu::element doc;
  simdjson::dom::object obj;
  if (!jsonu::parse(parser, body, doc) || doc.get_object().get(obj)) {
    return "Bad Request: can't parse JSON object in the request body";
  }
  for (auto field : obj) {
    if (field.value.is_null()) continue;  // Telegram treats null like an absent field
    out[std::string(field.key)] = make_value(param_value::kind::json, jsonu::minify(field.value));
  }
  return std::nullopt;
}

void read_multipart(const httplib::Request& req, param_map& out) {
  for (const auto& [name, part] : req.files) {
    if (part.filename.empty()) {
      out[name] = make_value(param_value::kind::text, part.content);
    } else {
      out[name] =
          param_value{param_value::kind::file, part.content, part.filename, part.content_type};
    }
  }
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<double> parse_double(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (*end != '\0') return std::nullopt;
  return v;
}

// The parsed JSON value of `v` when it is a JSON string holding its text, or a JSON scalar.
template <class F>
auto with_json(const param_value& v, F&& f) -> decltype(f(std::declval<jsonu::element>())) {
  simdjson::dom::parser parser;
  jsonu::element e;
  if (v.k != param_value::kind::json || !jsonu::parse(parser, v.data, e)) return std::nullopt;
  return f(e);
}

}  // namespace

std::optional<std::string> read_params(const httplib::Request& req, param_map& out) {
  for (const auto& [name, value] : req.params) {
    out[name] = make_value(param_value::kind::text, value);
  }
  if (req.is_multipart_form_data()) {
    read_multipart(req, out);
    return std::nullopt;
  }
  const std::string type = req.get_header_value("Content-Type");
  const bool looks_json = type.empty() && !req.body.empty() && req.body.front() == '{';
  if (contains(type, "json") || looks_json) {
    if (req.body.empty()) return std::nullopt;
    return read_json_body(req.body, out);
  }
  return std::nullopt;
}

const param_value* find_param(const param_map& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

std::optional<std::string> as_string(const param_value& v) {
  if (v.k == param_value::kind::text) return v.data;
  if (v.k == param_value::kind::file) return std::nullopt;
  return with_json(v, [&](jsonu::element e) -> std::optional<std::string> {
    std::string_view s;
    if (!e.get_string().get(s)) return std::string(s);
    if (e.is_number()) return v.data;  // Telegram takes a number where a string is expected
    return std::nullopt;
  });
}

std::optional<std::int64_t> as_int(const param_value& v) {
  if (v.k == param_value::kind::text) return parse_int(v.data);
  return with_json(v, [](jsonu::element e) -> std::optional<std::int64_t> {
    std::int64_t i = 0;
    std::string_view s;
    if (!e.get_int64().get(i)) return i;
    if (!e.get_string().get(s)) return parse_int(s);
    return std::nullopt;
  });
}

std::optional<bool> as_bool(const param_value& v) {
  auto from_text = [](std::string_view s) -> std::optional<bool> {
    if (s == "true" || s == "True" || s == "1") return true;
    if (s == "false" || s == "False" || s == "0") return false;
    return std::nullopt;
  };
  if (v.k == param_value::kind::text) return from_text(v.data);
  return with_json(v, [&](jsonu::element e) -> std::optional<bool> {
    bool b = false;
    std::string_view s;
    std::int64_t i = 0;
    if (!e.get_bool().get(b)) return b;
    if (!e.get_string().get(s)) return from_text(s);
    if (!e.get_int64().get(i) && (i == 0 || i == 1)) return i == 1;
    return std::nullopt;
  });
}

std::optional<double> as_float(const param_value& v) {
  if (v.k == param_value::kind::text) return parse_double(v.data);
  return with_json(v, [](jsonu::element e) -> std::optional<double> {
    double d = 0;
    std::string_view s;
    if (e.is_number() && !e.get_double().get(d)) return d;
    if (!e.get_string().get(s)) return parse_double(s);
    return std::nullopt;
  });
}

std::optional<std::string> as_json(const param_value& v) {
  std::string text;
  if (v.k == param_value::kind::text) {
    text = v.data;
  } else if (v.k == param_value::kind::json) {
    auto inner = with_json(v, [&](jsonu::element e) -> std::optional<std::string> {
      std::string_view s;
      if (!e.get_string().get(s)) return std::string(s);
      if (e.is_object() || e.is_array()) return v.data;
      return std::nullopt;
    });
    if (!inner) return std::nullopt;
    text = *inner;
  } else {
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  jsonu::element e;
  if (!jsonu::parse(parser, text, e) || !(e.is_object() || e.is_array())) return std::nullopt;
  return jsonu::minify(e);
}

std::optional<std::string> string_param(const param_map& p, const std::string& name) {
  const param_value* v = find_param(p, name);
  return v ? as_string(*v) : std::nullopt;
}

std::optional<std::int64_t> int_param(const param_map& p, const std::string& name) {
  const param_value* v = find_param(p, name);
  return v ? as_int(*v) : std::nullopt;
}

std::optional<bool> bool_param(const param_map& p, const std::string& name) {
  const param_value* v = find_param(p, name);
  return v ? as_bool(*v) : std::nullopt;
}

std::optional<std::string> json_param(const param_map& p, const std::string& name) {
  const param_value* v = find_param(p, name);
  return v ? as_json(*v) : std::nullopt;
}

std::string params_to_json(const param_map& params) {
  std::string out = "{";
  for (const auto& [name, v] : params) {
    if (out.size() > 1) out += ',';
    out += jsonu::quote(name) + ':';
    switch (v.k) {
      case param_value::kind::json:
        out += v.data;
        break;
      case param_value::kind::text:
        out += jsonu::quote(v.data);
        break;
      case param_value::kind::file:
        out += "{\"file\":" + jsonu::quote(v.filename) +
               ",\"content_type\":" + jsonu::quote(v.content_type) +
               ",\"size\":" + std::to_string(v.data.size()) + "}";
        break;
    }
  }
  return out + "}";
}

}  // namespace nocturna::sandbox
