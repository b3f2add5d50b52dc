// Splitting URLs at "://": the one place that does it for the HTTP clients (Bot API, Nocturna,
// OpenRouter, chart service), the sandbox's webhook deliveries, the setWebhook URL, the
// configuration checks and DATABASE_URL redaction. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nocturna {

// Views into the URL they were split from.
struct url_parts {
  std::string_view scheme;     // before "://", as written
  std::string_view authority;  // [userinfo@]host[:port], up to the first '/', '?' or '#'
  std::string_view rest;       // from that character to the end; empty when there is none
};

// nullopt when `url` has no "://".
std::optional<url_parts> split_url(std::string_view url);

// What an HTTP client connects to and what it puts before each request path.
struct http_target {
  std::string origin;  // scheme://authority
  std::string path;    // everything after the authority as written, "" when nothing follows
};

// An http:// or https:// URL (lower-case scheme) with a non-empty authority; otherwise nullopt
// and, when `why` is given, "has no scheme", "must be http or https" or "has no host".
std::optional<http_target> split_http_url(std::string_view url, std::string* why = nullptr);

// The base URL of an HTTP API: split_http_url with the trailing '/' of the path removed, so
// that `path + "/method"` never doubles it. Throws std::invalid_argument "<label> <why>".
http_target api_base(std::string_view url, std::string_view label);

}  // namespace nocturna
