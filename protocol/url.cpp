#include "protocol/url.hpp"

#include <stdexcept>

namespace nocturna {

std::optional<url_parts> split_url(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  url_parts p;
  p.scheme = url.substr(0, sep);
  const auto after = url.substr(sep + 3);
  const auto end = after.find_first_of("/?#");
  p.authority = after.substr(0, end);
  if (end != std::string_view::npos) p.rest = after.substr(end);
  return p;
}

std::optional<http_target> split_http_url(std::string_view url, std::string* why) {
  auto fail = [why](const char* reason) -> std::optional<http_target> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const auto parts = split_url(url);
  if (!parts) return fail("has no scheme");
  // Lower case only: cpp-httplib's client takes no other spelling.
  if (parts->scheme != "http" && parts->scheme != "https") return fail("must be http or https");
  if (parts->authority.empty()) return fail("has no host");
  const auto origin_size = url.size() - parts->rest.size();
  return http_target{std::string(url.substr(0, origin_size)), std::string(parts->rest)};
}

http_target api_base(std::string_view url, std::string_view label) {
  std::string why;
  auto target = split_http_url(url, &why);
  if (!target) throw std::invalid_argument(std::string(label) + " " + why);
  while (!target->path.empty() && target->path.back() == '/') target->path.pop_back();
  return *target;
}

}  // namespace nocturna
