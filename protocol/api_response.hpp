// Classifying a Bot API response (docs/telegram.md §1, §6.4): the sender and the poller act on the
// class, never on raw status codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::bot {

enum class outcome {
  ok,            // ok:true, or a 400 that means the goal state already holds
  not_modified,  // 400 "message is not modified": success for the caller
  already_done,  // 400 message to edit/delete not found, can't be deleted, query too old
  bad_entities,  // 400 can't parse entities: our bug, resend as plain text once
  too_long,      // 400 message/caption is too long: our bug, re-split once
  chat_gone,     // 400 chat not found, 403 blocked / deactivated / kicked / can't initiate
  migrated,      // any 400/403 with parameters.migrate_to_chat_id
  rejected,      // other 400/403/404: no retry
  unauthorized,  // 401: token revoked
  conflict,      // 409: another getUpdates or an active webhook
  flood,         // 429 with retry_after
  transient,     // 5xx, network error, unparseable body with a 5xx status
};

struct api_response {
  outcome kind = outcome::transient;
  int http_status = 0;  // 0 = no HTTP response (network error, timeout)
  int error_code = 0;
  std::string description;
  std::string result_json;  // raw `result` when ok
  std::optional<std::int64_t> retry_after;
  std::optional<std::int64_t> migrate_to_chat_id;
  // No answer came although the request was fully sent (a read timeout or reset): Telegram may
  // have acted on it, so only idempotent methods are retried (docs/telegram.md §6.3).
  bool maybe_delivered = false;

  bool succeeded() const {
    return kind == outcome::ok || kind == outcome::not_modified || kind == outcome::already_done;
  }
};

// From an HTTP status and body. A body that is not Bot API JSON is classified by the status alone.
api_response classify_response(int http_status, std::string_view body);

// A transport failure (no response): `what` goes to the description, already scrubbed of secrets.
api_response network_failure(std::string what);

const char* outcome_name(outcome o);

}  // namespace nocturna::bot
