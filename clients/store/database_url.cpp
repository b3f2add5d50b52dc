#include "clients/store/database_url.hpp"

#include <algorithm>
#include <cctype>

#include "protocol/url.hpp"

namespace nocturna::store {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Where the password sits in the URL: [begin, end) ranges of the raw text.
struct span {
  std::size_t begin, end;
};

std::vector<span> password_spans(std::string_view url) {
  std::vector<span> out;
  const auto parts = split_url(url);
  const std::size_t start =
      parts ? static_cast<std::size_t>(parts->authority.data() - url.data()) : 0;
  std::size_t authority_end = url.find_first_of("/?#", start);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  std::string_view authority = url.substr(start, authority_end - start);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    if (std::size_t colon = userinfo.find(':'); colon != std::string_view::npos)
      out.push_back({start + colon + 1, start + at});
  }
  std::size_t q = url.find('?', authority_end);
  if (q == std::string_view::npos) return out;
  std::size_t pos = q + 1;
  std::size_t query_end = url.find('#', pos);
  if (query_end == std::string_view::npos) query_end = url.size();
  while (pos < query_end) {
    std::size_t amp = url.find('&', pos);
    if (amp == std::string_view::npos || amp > query_end) amp = query_end;
    std::string_view kv = url.substr(pos, amp - pos);
    if (starts_with_ci(kv, "password=")) out.push_back({pos + 9, amp});
    pos = amp + 1;
  }
  return out;
}

}  // namespace

bool is_postgres_url(std::string_view url) {
  for (std::string_view scheme : {"postgresql://", "postgres://"})
    if (starts_with_ci(url, scheme) && url.size() > scheme.size()) return true;
  return false;
}

std::string redact_database_url(std::string_view url) {
  std::string out(url);
  auto spans = password_spans(url);
  // Back to front, so earlier offsets stay valid.
  for (auto it = spans.rbegin(); it != spans.rend(); ++it)
    out.replace(it->begin, it->end - it->begin, "***");
  return out;
}

std::vector<std::string> database_url_secrets(std::string_view url) {
  std::vector<std::string> out;
  for (auto s : password_spans(url)) {
    std::string raw(url.substr(s.begin, s.end - s.begin));
    if (raw.empty()) continue;
    std::string decoded = percent_decode(raw);
    for (auto& v : {raw, decoded})
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  }
  return out;
}

std::string scrub(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 3))
      text.replace(pos, secret.size(), "***");
  }
  return text;
}

std::string clean_pg_message(std::string message, const std::vector<std::string>& secrets) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return scrub(std::move(message), secrets);
}

}  // namespace nocturna::store
