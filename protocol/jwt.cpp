#include "protocol/jwt.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <ctime>

namespace nocturna::jwt {
namespace {

constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Claims we report may be strings or numbers depending on the issuer.
std::string text_claim(simdjson::dom::object o, std::string_view key) {
  simdjson::dom::element e;
  if (o.at_key(key).get(e)) return {};
  std::string_view s;
  if (!e.get(s)) return std::string(s);
  std::int64_t i;
  if (!e.get(i)) return std::to_string(i);
  return {};
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += base64_alphabet[(v >> 18) & 63];
    out += base64_alphabet[(v >> 12) & 63];
    out += base64_alphabet[(v >> 6) & 63];
    out += base64_alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += base64_alphabet[(v >> 18) & 63];
    out += base64_alphabet[(v >> 12) & 63];
    if (rest == 2) out += base64_alphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // A single leftover character carries only 6 bits: not a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = sextet(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::optional<claims> decode(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;

  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(*payload).get(o)) return std::nullopt;

  claims c;
  simdjson::dom::element exp;
  if (!o.at_key("exp").get(exp)) {
    std::int64_t i;
    double d;
    if (!exp.get(i)) {
      c.exp = i;
    } else if (!exp.get(d) && std::isfinite(d) && std::fabs(d) < 1e17) {
      c.exp = static_cast<std::int64_t>(d);
    }
  }
  c.token_id = text_claim(o, "token_id");
  if (c.token_id.empty()) c.token_id = text_claim(o, "jti");
  c.scope = text_claim(o, "scope");
  c.subject = text_claim(o, "sub");
  return c;
}

const char* token_state_name(token_state s) {
  switch (s) {
    case token_state::not_jwt:
      return "not_jwt";
    case token_state::no_expiry:
      return "no_expiry";
    case token_state::expired:
      return "expired";
    case token_state::expiring_soon:
      return "expiring_soon";
    case token_state::fine:
      return "fine";
  }
  return "?";
}

token_status classify(std::string_view token, std::int64_t now, std::int64_t soon) {
  token_status st;
  auto c = decode(token);
  if (!c) return st;
  st.token_claims = std::move(*c);
  if (!st.token_claims.exp) {
    st.state = token_state::no_expiry;
    return st;
  }
  st.seconds_left = *st.token_claims.exp - now;
  if (st.seconds_left <= 0) {
    st.state = token_state::expired;
  } else if (st.seconds_left <= soon) {
    st.state = token_state::expiring_soon;
  } else {
    st.state = token_state::fine;
  }
  return st;
}

std::string format_utc(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return std::to_string(unix_seconds);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string format_days_hours(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  return fmt::format("{} d {} h", seconds / 86400, seconds % 86400 / 3600);
}

}  // namespace nocturna::jwt
