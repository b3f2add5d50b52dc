// DATABASE_URL handling that keeps the password out of every log line and error text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace nocturna::store {

// True for a postgresql:// or postgres:// URL (scheme case-insensitive).
bool is_postgres_url(std::string_view url);

// The URL with the password (userinfo or a `password=` query parameter) replaced by `***`,
// fit for a log line or an error text.
std::string redact_database_url(std::string_view url);

// The password as written and percent-decoded; empty when the URL has none.
std::vector<std::string> database_url_secrets(std::string_view url);

// `text` with every occurrence of each secret replaced by `***`: libpq may echo parts of a
// malformed URL in its error messages.
std::string scrub(std::string text, const std::vector<std::string>& secrets);

// A libpq error message for a log line: its trailing newline cut, then scrubbed.
std::string clean_pg_message(std::string message, const std::vector<std::string>& secrets);

}  // namespace nocturna::store
