// protocol/url.hpp: the one split at "://" behind every HTTP client, the webhook URL and the
// configuration checks.
#include <doctest/doctest.h>

#include <stdexcept>

#include "protocol/url.hpp"

using nocturna::api_base;
using nocturna::split_http_url;
using nocturna::split_url;

TEST_CASE("url: split at :// into scheme, authority and the rest") {
  auto p = split_url("https://user:pw@example.com:8443/api/v1?x=1#f");
  REQUIRE(p);
  CHECK(p->scheme == "https");
  CHECK(p->authority == "user:pw@example.com:8443");
  CHECK(p->rest == "/api/v1?x=1#f");

  auto bare = split_url("http://127.0.0.1:0");
  REQUIRE(bare);
  CHECK(bare->authority == "127.0.0.1:0");
  CHECK(bare->rest.empty());

  auto query = split_url("postgresql://db?password=secret");
  REQUIRE(query);
  CHECK(query->authority == "db");
  CHECK(query->rest == "?password=secret");

  CHECK_FALSE(split_url("example.com/path"));
  CHECK_FALSE(split_url(""));
}

TEST_CASE("url: an http(s) URL becomes the origin and the path as written") {
  auto t = split_http_url("http://127.0.0.1:8090/hook/");
  REQUIRE(t);
  CHECK(t->origin == "http://127.0.0.1:8090");
  CHECK(t->path == "/hook/");
  auto no_path = split_http_url("https://api.telegram.org");
  REQUIRE(no_path);
  CHECK(no_path->origin == "https://api.telegram.org");
  CHECK(no_path->path.empty());

  std::string why;
  CHECK_FALSE(split_http_url("api.telegram.org", &why));
  CHECK(why == "has no scheme");
  CHECK_FALSE(split_http_url("ftp://example.com", &why));
  CHECK(why == "must be http or https");
  CHECK_FALSE(split_http_url("HTTP://example.com", &why));  // cpp-httplib takes lower case only
  CHECK(why == "must be http or https");
  CHECK_FALSE(split_http_url("http:///path", &why));
  CHECK(why == "has no host");
  CHECK_FALSE(split_http_url("https://", &why));
  CHECK(why == "has no host");
}

TEST_CASE("url: an API base loses the trailing slashes of its path, a bad one throws its label") {
  auto t = api_base("https://openrouter.ai/api/v1//", "OpenRouter URL");
  CHECK(t.origin == "https://openrouter.ai");
  CHECK(t.path == "/api/v1");
  CHECK(api_base("http://127.0.0.1:3011/", "chart service URL").path.empty());
  CHECK_THROWS_WITH_AS(api_base("localhost:3011", "API URL"), "API URL has no scheme",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(api_base("gopher://x", "API URL"), "API URL must be http or https",
                       std::invalid_argument);
}
