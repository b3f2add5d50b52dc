// The service-token check at start-up in remote mode (docs/calculations.md §7.7), and the daily
// reminder while running.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clients/nocturna/remote_positions.hpp"

namespace nocturna::remote {

// Logs what `o.service_token` says (expiry, token_id, scope; never the token), then GETs
// {o.base_url}/health without auth within one attempt's timeout and logs the answer (a failure is
// only a warning). Returns false when the token has expired: the caller exits with code 2.
// `now_unix` = UTC seconds; `probe_health` = false skips the health request.
bool check_service_token(const remote_options& o);
bool check_service_token(const remote_options& o, std::int64_t now_unix, bool probe_health);

// The warning to log (daily) while the token expires within 7 days or has expired; nullopt when
// it is fine, has no expiry or is not a JWT. Pure.
std::optional<std::string> token_expiry_warning(const std::string& token, std::int64_t now_unix);

}  // namespace nocturna::remote
