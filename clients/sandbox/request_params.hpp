// The parameters of one Bot API request, however they were sent: query string, JSON body,
// application/x-www-form-urlencoded or multipart/form-data (like Telegram, all are accepted).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace httplib {
struct Request;
}

namespace nocturna::sandbox {

struct param_value {
  enum class kind { json, text, file };
  kind k = kind::text;
  std::string data;  // raw JSON text (json), the string (text) or the bytes (file)
  std::string filename;
  std::string content_type;
};

using param_map = std::map<std::string, param_value>;

// Reads every parameter of `req` into `out`. Returns a "Bad Request: …" description when the body
// cannot be read (e.g. a JSON body that is not an object).
std::optional<std::string> read_params(const httplib::Request& req, param_map& out);

const param_value* find_param(const param_map& params, const std::string& name);

// Typed views of a value. JSON strings are accepted where Telegram accepts them ("5" as Integer).
std::optional<std::string> as_string(const param_value& v);
std::optional<std::int64_t> as_int(const param_value& v);
std::optional<bool> as_bool(const param_value& v);
std::optional<double> as_float(const param_value& v);
// Compact JSON text of an object or array, given as JSON or as a string holding JSON.
std::optional<std::string> as_json(const param_value& v);

// Shortcuts by name; nothing when absent or of another type.
std::optional<std::string> string_param(const param_map& p, const std::string& name);
std::optional<std::int64_t> int_param(const param_map& p, const std::string& name);
std::optional<bool> bool_param(const param_map& p, const std::string& name);
std::optional<std::string> json_param(const param_map& p, const std::string& name);

// The parameters as one JSON object for the call log (files as {"file":name,"size":N}).
std::string params_to_json(const param_map& params);

}  // namespace nocturna::sandbox
