#include "clients/sandbox/api_reply.hpp"

#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {

api_reply api_ok(const std::string& result_json, const std::string& description) {
  json::object o;
  o.add("ok", true).add_raw("result", result_json);
  if (!description.empty()) o.add("description", description);
  return api_reply{200, o.str(), "application/json", ""};
}

api_reply api_error(int code, const std::string& description, std::optional<int> retry_after) {
  json::object o;
  o.add("ok", false).add("error_code", code).add("description", description);
  if (retry_after) o.add_raw("parameters", json::object().add("retry_after", *retry_after).str());
  return api_reply{code, o.str(), "application/json", description};
}

api_reply bad_request(const std::string& description) {
  return api_error(400, description);
}

}  // namespace nocturna::sandbox
