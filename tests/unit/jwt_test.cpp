// Reading a service token's claims without a signature check (protocol/jwt.hpp, §7.7).
#include "protocol/jwt.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using namespace nocturna::jwt;

std::string token_with(const std::string& payload_json) {
  return base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url_encode(payload_json) +
         ".c2lnbmF0dXJl";
}

constexpr std::int64_t kNow = 1'800'000'000;

}  // namespace

TEST_CASE("jwt: base64url round trip and alphabet") {
  CHECK(base64url_encode("hello") == "aGVsbG8");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64url_decode("-_8") == std::string("\xfb\xff"));
  CHECK(base64url_decode("aGVsbG8=") == std::string("hello"));
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", "abcde",
                                                       std::string("\0\x01\xfe", 3)})
    CHECK(base64url_decode(base64url_encode(s)) == s);
  CHECK_FALSE(base64url_decode("a+b/").has_value());   // the standard alphabet is not URL-safe
  CHECK_FALSE(base64url_decode("abcde").has_value());  // a dangling sextet is not a byte
  CHECK_FALSE(base64url_decode("ab cd").has_value());
}

TEST_CASE("jwt: what is not a JWT") {
  CHECK_FALSE(decode("opaque-service-token").has_value());
  CHECK_FALSE(decode("a.b").has_value());
  CHECK_FALSE(decode("a.b.c.d").has_value());
  CHECK_FALSE(decode("x.%%%.y").has_value());
  CHECK_FALSE(decode(token_with("[1,2]")).has_value());
  CHECK_FALSE(decode(token_with("{broken")).has_value());
  CHECK(classify("opaque", kNow).state == token_state::not_jwt);
}

TEST_CASE("jwt: claims are read") {
  auto c = decode(
      token_with(R"({"exp":1800000100,"token_id":"tok-7","scope":"calculations","sub":"svc"})"));
  REQUIRE(c.has_value());
  CHECK(c->exp == 1800000100);
  CHECK(c->token_id == "tok-7");
  CHECK(c->scope == "calculations");
  CHECK(c->subject == "svc");

  auto fractional = decode(token_with(R"({"exp":1800000100.75,"jti":42})"));
  REQUIRE(fractional.has_value());
  CHECK(fractional->exp == 1800000100);
  CHECK(fractional->token_id == "42");

  auto none = decode(token_with(R"({"sub":"x"})"));
  REQUIRE(none.has_value());
  CHECK_FALSE(none->exp.has_value());
}

TEST_CASE("jwt: classify expired, expiring within 7 days, fine, no expiry") {
  auto at = [](std::int64_t exp) {
    return classify(token_with("{\"exp\":" + std::to_string(exp) + "}"), kNow);
  };
  CHECK(at(kNow - 1).state == token_state::expired);
  CHECK(at(kNow).state == token_state::expired);  // exp <= now
  CHECK(at(kNow + 1).state == token_state::expiring_soon);
  CHECK(at(kNow + 7 * 86400).state == token_state::expiring_soon);  // inclusive
  CHECK(at(kNow + 7 * 86400 + 1).state == token_state::fine);
  CHECK(at(kNow + 3 * 86400 + 5 * 3600).seconds_left == 3 * 86400 + 5 * 3600);
  CHECK(classify(token_with(R"({"scope":"calculations"})"), kNow).state == token_state::no_expiry);
}

TEST_CASE("jwt: formatting of expiry dates and durations") {
  CHECK(format_utc(0) == "1970-01-01 00:00:00 UTC");
  CHECK(format_utc(1'800'000'000) == "2027-01-15 08:00:00 UTC");
  CHECK(format_days_hours(3 * 86400 + 5 * 3600 + 59) == "3 d 5 h");
  CHECK(format_days_hours(-10) == "0 d 0 h");
  CHECK(std::string(token_state_name(token_state::expiring_soon)) == "expiring_soon");
}
