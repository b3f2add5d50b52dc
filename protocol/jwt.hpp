// Reading a JWT's claims without verifying its signature (docs/calculations.md §7.7): the bot only
// needs to know whether its service token is about to expire, and the server is the one that
// checks signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::jwt {

// RFC 4648 §5 alphabet, no padding on output; decoding accepts optional `=` padding and rejects
// every other character.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

struct claims {
  std::optional<std::int64_t> exp;  // Unix seconds (a fractional exp is truncated)
  std::string token_id;             // `token_id` or `jti`, numbers rendered as text
  std::string scope;
  std::string subject;  // `sub`
};

// Claims of `token` when it has three `.`-separated parts and the middle one base64url-decodes to
// a JSON object; nullopt otherwise ("not a JWT").
std::optional<claims> decode(std::string_view token);

enum class token_state {
  not_jwt,        // opaque token: cannot tell, the caller warns and continues
  no_expiry,      // a JWT without `exp`
  expired,        // exp <= now
  expiring_soon,  // exp - now <= soon
  fine,
};
const char* token_state_name(token_state s);

struct token_status {
  token_state state = token_state::not_jwt;
  claims token_claims;
  std::int64_t seconds_left = 0;  // exp - now when there is an exp (negative when expired)
};

constexpr std::int64_t soon_seconds = 7 * 24 * 3600;

// Pure: `now` is Unix seconds (UTC).
token_status classify(std::string_view token, std::int64_t now, std::int64_t soon = soon_seconds);

// "2026-12-01 12:00:00 UTC".
std::string format_utc(std::int64_t unix_seconds);
// "6 d 23 h" for a positive duration, "0 d 0 h" at or below zero.
std::string format_days_hours(std::int64_t seconds);

}  // namespace nocturna::jwt
