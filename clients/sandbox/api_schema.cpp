#include "clients/sandbox/api_schema.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "clients/sandbox/json_util.hpp"

namespace nocturna::sandbox {
namespace {

constexpr std::string_view array_prefix = "Array of ";

field_spec read_field(jsonu::element f) {
  field_spec spec;
  spec.name = jsonu::get_string(f, "name").value_or("");
  spec.required = jsonu::get_bool(f, "required").value_or(false);
  if (auto types = jsonu::get(f, "types"); types && types->is_array()) {
    for (auto t : types->get_array()) {
      std::string_view s;
      if (!t.get_string().get(s)) spec.types.emplace_back(s);
    }
  }
  return spec;
}

method_spec read_method(std::string_view name, jsonu::element m) {
  method_spec spec;
  spec.name = jsonu::get_string(m, "name").value_or(std::string(name));
  if (auto fields = jsonu::get(m, "fields"); fields && fields->is_array()) {
    for (auto f : fields->get_array()) spec.fields.push_back(read_field(f));
  }
  return spec;
}

// Telegram's own wording for the required fields the bot uses; others get a generic text.
std::string missing_description(const std::string& method, const std::string& field) {
  if (field == "chat_id") return "Bad Request: chat_id is empty";
  if (field == "text") return "Bad Request: message text is empty";
  if (field == "photo") return "Bad Request: there is no photo in the request";
  if (field == "message_id") return "Bad Request: message identifier is not specified";
  if (field == "callback_query_id") return "Bad Request: query_id is empty";
  if (field == "action") return "Bad Request: wrong parameter action in request";
  if (field == "url" && lower(method) == "setwebhook")
    return "Bad Request: bad webhook: URL is empty";
  return "Bad Request: parameter \"" + field + "\" is required";
}

bool is_empty_value(const param_value& v) {
  if (v.k == param_value::kind::file) return v.data.empty();
  auto s = as_string(v);
  return s && s->empty();
}

bool element_matches(jsonu::element e, std::string_view type) {
  if (type == "String") return e.is_string();
  if (type == "Integer") return e.is_int64();
  if (type == "Float") return e.is_number();
  if (type == "Boolean") return e.is_bool();
  return e.is_object();
}

bool array_matches(const std::string& json, std::string_view element_type) {
  simdjson::dom::parser parser;
  jsonu::element e;
  if (!jsonu::parse(parser, json, e) || !e.is_array()) return false;
  for (auto item : e.get_array()) {
    if (element_type.rfind(array_prefix, 0) == 0) {
      if (!item.is_array()) return false;  // Array of Array of …: shallow check
    } else if (!element_matches(item, element_type)) {
      return false;
    }
  }
  return true;
}

bool value_matches(const param_value& v, const std::string& type) {
  if (type == "InputFile") return v.k == param_value::kind::file;
  if (v.k == param_value::kind::file) return false;
  if (type == "Integer") return as_int(v).has_value();
  if (type == "String") return as_string(v).has_value();
  if (type == "Boolean") return as_bool(v).has_value();
  if (type == "Float") return as_float(v).has_value();
  auto json = as_json(v);
  if (!json) return false;
  if (type.rfind(array_prefix, 0) == 0) {
    return array_matches(*json, std::string_view(type).substr(array_prefix.size()));
  }
  return json->front() == '{';
}

std::string type_list(const std::vector<std::string>& types) {
  std::string out;
  for (const auto& t : types) out += (out.empty() ? "" : " or ") + t;
  return out;
}

// Names that multipart parts may carry because a field refers to them as "attach://name".
std::set<std::string> attached_names(const param_map& params) {
  std::set<std::string> names;
  for (const auto& [name, v] : params) {
    if (v.k == param_value::kind::file) continue;
    auto s = as_string(v);
    if (s && s->rfind("attach://", 0) == 0) names.insert(s->substr(9));
  }
  return names;
}

}  // namespace

const field_spec* method_spec::field(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

api_schema api_schema::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("sandbox: cannot read the Bot API spec " + path);
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

api_schema api_schema::parse(std::string_view json) {
  simdjson::dom::parser parser;
  jsonu::element doc;
  simdjson::dom::object methods;
  if (!jsonu::parse(parser, json, doc) || doc["methods"].get_object().get(methods)) {
    throw std::runtime_error("sandbox: the Bot API spec has no \"methods\" object");
  }
  api_schema schema;
  for (auto m : methods) {
    schema.methods_[lower(m.key)] = read_method(m.key, m.value);
  }
  return schema;
}

const method_spec* api_schema::find(std::string_view method) const {
  auto it = methods_.find(lower(method));
  return it == methods_.end() ? nullptr : &it->second;
}

std::optional<std::string> check_params(const method_spec& method, const param_map& params) {
  const auto attached = attached_names(params);
  for (const auto& [name, v] : params) {
    if (!method.field(name) && !attached.count(name)) {
      return "Bad Request: unknown parameter \"" + name + "\" of method " + method.name;
    }
  }
  for (const auto& f : method.fields) {
    const param_value* v = find_param(params, f.name);
    if (f.required && (!v || is_empty_value(*v))) return missing_description(method.name, f.name);
  }
  for (const auto& f : method.fields) {
    const param_value* v = find_param(params, f.name);
    if (!v) continue;
    bool ok = std::any_of(f.types.begin(), f.types.end(),
                          [&](const std::string& t) { return value_matches(*v, t); });
    if (!ok) {
      return "Bad Request: parameter \"" + f.name + "\" must be " + type_list(f.types);
    }
  }
  return std::nullopt;
}

}  // namespace nocturna::sandbox
