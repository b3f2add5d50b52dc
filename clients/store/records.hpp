// The records the store keeps per user and per process (docs/behaviour.md §8). Plain values: the
// store never interprets the JSON texts or the step names it is given, so the dialogue and report
// code can change their shape without a schema migration.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nocturna::store {

struct user_record {
  std::int64_t user_id = 0;
  std::int64_t first_seen = 0;  // unix seconds of the first stored write
  bool active = true;           // false after the user blocked the bot (docs/behaviour.md §1.1)
};

enum class place_source { gazetteer, location };

struct birth_record {
  std::string date;                 // YYYY-MM-DD
  std::optional<std::string> time;  // HH:MM; empty = unknown (chart at 12:00, no houses)
  std::string place_label;
  place_source source = place_source::gazetteer;
  std::optional<double> distance_km;  // shared location: distance to the nearest city
  double latitude = 0;
  double longitude = 0;
  std::string zone;  // IANA name
  // Set by the store on load: when the data last changed, and a counter that grows with every
  // change; the natal cache is keyed by it so a chart of older data is never served.
  std::int64_t updated_at = 0;
  std::int64_t version = 0;
};

// The natal chart cached for one birth-data version and house system, with what was derived from
// it.
struct natal_cache_record {
  std::int64_t birth_version = 0;
  char house_system = 'P';
  std::string chart_json;
  std::optional<std::string> picture_file_id;
  std::optional<std::string> interpretation;
  std::optional<std::string> interpretation_source;  // e.g. "llm" or "builtin"
};

// The /natal dialogue (docs/behaviour.md §4.6). `fields_json` holds the values collected so far and
// `candidates_json` the places offered as buttons, both as the dialogue code serialises them.
struct dialogue_record {
  std::string step;
  std::string nonce;
  std::int64_t expires_at = 0;  // unix seconds
  std::string fields_json = "{}";
  std::string candidates_json = "[]";
  std::vector<std::int64_t> keyboard_messages;  // messages whose inline buttons must be cleared
  std::int64_t updated_at = 0;                  // set by the store
};

// A pending /clear_profile question (docs/behaviour.md §4.10).
struct clear_request {
  std::string nonce;
  std::int64_t expires_at = 0;
};

// A partner saved by /compat (docs/architecture.md "Where state lives"): a name (may be empty)
// and birth data like the user's own (`version` and `updated_at` unused).
struct partner_record {
  std::int64_t id = 0;  // store-wide, set by the store; never reused
  std::string name;
  birth_record birth;
};

// A /compat invitation link (c_{code}): one-time, valid until `expires_at`. Opening it reserves it
// for the opener (`used_by`); the opener's answer settles it.
struct invite_record {
  std::string code;
  std::int64_t inviter = 0;
  std::string inviter_name;  // as Telegram showed it when the link was made
  std::int64_t created_at = 0, expires_at = 0;
  std::optional<std::int64_t> used_by;
  std::optional<std::string> answer;  // "yes" or "no" once answered
};

// The daily forecast subscription (docs/behaviour.md §5).
struct subscription_record {
  std::string time = "09:00";  // local HH:MM
  std::string zone;            // copied from the birth data, follows it
  bool active = true;
  // Next send instant; empty = to be computed by the scheduler (e.g. after the zone changed).
  std::optional<std::int64_t> next_due_utc;
  std::optional<std::string> last_sent_local_date;  // YYYY-MM-DD
  std::optional<std::string> disabled_reason;       // "user" or "blocked"
};

struct due_subscription {
  std::int64_t user_id = 0;
  subscription_record subscription;
};

}  // namespace nocturna::store
