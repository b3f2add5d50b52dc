#include "clients/sandbox/request_guard.hpp"

#include <cctype>
#include <string>

namespace nocturna::sandbox {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The media type without parameters (`; charset=utf-8`) and surrounding spaces, lower-cased.
std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return lower(t);
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool loopback_host_header(std::string_view host) {
  std::string h = lower(host);
  std::string_view name = h;
  if (starts_with(name, "[::1]")) {
    name.remove_prefix(5);
  } else {
    auto colon = name.find(':');
    std::string_view base = name.substr(0, colon);
    if (base != "127.0.0.1" && base != "localhost") return false;
    name.remove_prefix(base.size());
  }
  if (name.empty()) return true;
  if (name.front() != ':' || name.size() < 2 || name.size() > 6) return false;
  for (char c : name.substr(1))
    if (c < '0' || c > '9') return false;
  return true;
}

guard_verdict guard_request(std::string_view method, std::string_view path,
                            std::string_view host_header, std::string_view content_type,
                            bool has_body) {
  if (!loopback_host_header(host_header))
    return {403, "Forbidden: the sandbox answers only to Host 127.0.0.1 or localhost"};
  if (!has_body || method == "GET" || method == "HEAD") return {};
  const std::string type = media_type(content_type);
  if (starts_with(path, "/sandbox/") && type != "application/json")
    return {415, "Unsupported Media Type: the control API takes application/json"};
  if (starts_with(path, "/bot") && type != "application/json" && type != "multipart/form-data" &&
      type != "application/x-www-form-urlencoded")
    return {415,
            "Unsupported Media Type: use application/json, multipart/form-data or "
            "application/x-www-form-urlencoded"};
  return {};
}

}  // namespace nocturna::sandbox
