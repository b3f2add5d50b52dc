#include "clients/sandbox/faults.hpp"

#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/text_util.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {
namespace {

std::string default_description(int code, std::optional<int> retry_after) {
  switch (code) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden: bot was blocked by the user";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict: terminated by other getUpdates request; make sure that only one "
             "bot instance is running";
    case 429:
      return "Too Many Requests: retry after " + std::to_string(retry_after.value_or(1));
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return code >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

std::optional<fault> parse_fault(const std::string& json, std::string& error) {
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (!jsonu::parse(parser, json, doc) || !doc.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  fault f;
  f.method = jsonu::get_string(doc, "method").value_or("*");
  f.chat_id = jsonu::get_int(doc, "chat_id");
  f.count = static_cast<int>(jsonu::get_int(doc, "count").value_or(1));
  f.error_code = static_cast<int>(jsonu::get_int(doc, "error_code").value_or(500));
  f.description = jsonu::get_string(doc, "description").value_or("");
  if (auto r = jsonu::get_int(doc, "retry_after")) f.retry_after = static_cast<int>(*r);
  f.migrate_to_chat_id = jsonu::get_int(doc, "migrate_to_chat_id");
  f.delay_ms = static_cast<int>(jsonu::get_int(doc, "delay_ms").value_or(0));
  f.trickle_ms = static_cast<int>(jsonu::get_int(doc, "trickle_ms").value_or(0));
  f.raw_body = jsonu::get_string(doc, "raw_body");
  if (f.error_code != 0 && (f.error_code < 100 || f.error_code > 599)) {
    error = "error_code must be 0 or an HTTP status";
    return std::nullopt;
  }
  if (f.delay_ms < 0 || f.trickle_ms < 0) {
    error = "delay_ms and trickle_ms must not be negative";
    return std::nullopt;
  }
  return f;
}

std::string fault_description(const fault& f) {
  return f.description.empty() ? default_description(f.error_code, f.retry_after) : f.description;
}

std::string fault_body(const fault& f) {
  if (f.raw_body) return *f.raw_body;
  json::object o;
  o.add("ok", false).add("error_code", f.error_code).add("description", fault_description(f));
  if (f.retry_after || f.migrate_to_chat_id) {
    json::object p;
    if (f.retry_after) p.add("retry_after", *f.retry_after);
    if (f.migrate_to_chat_id) p.add("migrate_to_chat_id", *f.migrate_to_chat_id);
    o.add_raw("parameters", p.str());
  }
  return o.str();
}

void fault_list::add(fault f) {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.push_back(std::move(f));
}

void fault_list::clear() {
  std::lock_guard<std::mutex> lock(mu_);
  faults_.clear();
}

std::optional<fault> fault_list::take(const std::string& method,
                                      std::optional<std::int64_t> chat_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string wanted = lower(method);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->method != "*" && lower(it->method) != wanted) continue;
    if (it->chat_id && it->chat_id != chat_id) continue;
    fault f = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    return f;
  }
  return std::nullopt;
}

std::size_t fault_list::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return faults_.size();
}

}  // namespace nocturna::sandbox
