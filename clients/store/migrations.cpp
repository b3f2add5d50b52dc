#include "clients/store/migrations.hpp"

namespace nocturna::store {
namespace {

// ---- Version 1: inbox, offset, sent-log (docs/telegram.md §3).
const char* const sqlite_v1 = R"sql(
CREATE TABLE inbox (
  update_id   INTEGER PRIMARY KEY,
  chat_id     INTEGER,
  json        TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending',
  attempts    INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL,
  finished_at INTEGER,
  reason      TEXT
);
CREATE INDEX inbox_pending ON inbox(state, update_id);
CREATE TABLE poll_offset (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  next_offset INTEGER NOT NULL
);
CREATE TABLE sent_log (
  update_id   INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  result      TEXT NOT NULL,
  sent_at     INTEGER NOT NULL,
  PRIMARY KEY (update_id, seq)
);
)sql";

// The same tables for PostgreSQL: update ids, chat ids and times need 64 bits.
const char* const postgres_v1 = R"sql(
CREATE TABLE inbox (
  update_id   BIGINT PRIMARY KEY,
  chat_id     BIGINT,
  json        TEXT NOT NULL,
  state       TEXT NOT NULL DEFAULT 'pending',
  attempts    INTEGER NOT NULL DEFAULT 0,
  received_at BIGINT NOT NULL,
  finished_at BIGINT,
  reason      TEXT
);
CREATE INDEX inbox_pending ON inbox(state, update_id);
CREATE TABLE poll_offset (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  next_offset BIGINT NOT NULL
);
CREATE TABLE sent_log (
  update_id   BIGINT NOT NULL,
  seq         INTEGER NOT NULL,
  result      TEXT NOT NULL,
  sent_at     BIGINT NOT NULL,
  PRIMARY KEY (update_id, seq)
);
)sql";

// ---- Version 2: user data (docs/behaviour.md §8), shared by both backends. Booleans are 0/1
// integers and dates YYYY-MM-DD texts so both backends store and compare them alike. No foreign
// keys: every per-user table is keyed by user_id and clear_user deletes them all in one
// transaction.
const char* const v2_user_data = R"sql(
CREATE TABLE users (
  user_id     BIGINT PRIMARY KEY,
  first_seen  BIGINT NOT NULL,
  active      INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE birth_data (
  user_id     BIGINT PRIMARY KEY,
  birth_date  TEXT NOT NULL,
  birth_time  TEXT,
  place_label TEXT NOT NULL,
  source      TEXT NOT NULL,
  distance_km DOUBLE PRECISION,
  latitude    DOUBLE PRECISION NOT NULL,
  longitude   DOUBLE PRECISION NOT NULL,
  zone_name   TEXT NOT NULL,
  version     BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE TABLE settings (
  user_id      BIGINT PRIMARY KEY,
  house_system TEXT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE TABLE natal_cache (
  user_id               BIGINT PRIMARY KEY,
  birth_version         BIGINT NOT NULL,
  house_system          TEXT NOT NULL,
  chart_json            TEXT NOT NULL,
  picture_file_id       TEXT,
  interpretation        TEXT,
  interpretation_source TEXT,
  updated_at            BIGINT NOT NULL
);
CREATE TABLE dialogue (
  user_id           BIGINT PRIMARY KEY,
  step              TEXT NOT NULL,
  nonce             TEXT NOT NULL,
  expires_at        BIGINT NOT NULL,
  fields_json       TEXT NOT NULL,
  candidates_json   TEXT NOT NULL,
  keyboard_messages TEXT NOT NULL,
  updated_at        BIGINT NOT NULL
);
CREATE INDEX dialogue_expiry ON dialogue(expires_at);
CREATE TABLE clear_request (
  user_id    BIGINT PRIMARY KEY,
  nonce      TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE TABLE subscriptions (
  user_id              BIGINT PRIMARY KEY,
  local_time           TEXT NOT NULL,
  zone_name            TEXT NOT NULL,
  active               INTEGER NOT NULL,
  next_due_utc         BIGINT,
  last_sent_local_date TEXT,
  disabled_reason      TEXT,
  updated_at           BIGINT NOT NULL
);
CREATE INDEX subscriptions_due ON subscriptions(active, next_due_utc);
CREATE TABLE llm_usage (
  user_id    BIGINT NOT NULL,
  local_date TEXT NOT NULL,
  used       INTEGER NOT NULL,
  PRIMARY KEY (user_id, local_date)
);
CREATE TABLE day_interpretations (
  local_date TEXT NOT NULL,
  place      TEXT NOT NULL,
  model      TEXT NOT NULL,
  body       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (local_date, place, model)
);
CREATE TABLE sky_pictures (
  hour_utc     BIGINT NOT NULL,
  house_system TEXT NOT NULL,
  file_id      TEXT NOT NULL,
  PRIMARY KEY (hour_utc, house_system)
);
CREATE INDEX inbox_chat ON inbox(chat_id, state);
)sql";

// ---- Version 3: a store-wide counter for birth-data versions. A version names the data a cached
// chart or picture was made from, so it must never be handed out twice, not even to the same user
// after /clear_profile or a clock step back; the counter starts above every version in use.
const char* const v3_birth_version_counter = R"sql(
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO counters(name, value)
SELECT 'birth_version', COALESCE(MAX(v), 0) FROM
  (SELECT version AS v FROM birth_data UNION ALL SELECT birth_version FROM natal_cache) AS used;
)sql";

// ---- Version 4: claims on inbox rows (the owner and its lease, docs/architecture.md "Claims
// and leases") and the updates whose LLM generation was counted, so a re-run counts it once.
const char* const v4_claims = R"sql(
ALTER TABLE inbox ADD COLUMN claimed_by TEXT;
ALTER TABLE inbox ADD COLUMN lease_until BIGINT;
CREATE TABLE llm_usage_updates (
  update_id  BIGINT PRIMARY KEY,
  user_id    BIGINT NOT NULL,
  local_date TEXT NOT NULL
);
)sql";

// ---- Version 5: /compat partners (ids from the store-wide counter, never reused, so a stale
// button never reaches a newer partner; `created_update` makes a re-run's insert find its row)
// and invitation links.
const char* const v5_compat = R"sql(
CREATE TABLE partners (
  partner_id     BIGINT PRIMARY KEY,
  user_id        BIGINT NOT NULL,
  name           TEXT NOT NULL,
  birth_date     TEXT NOT NULL,
  birth_time     TEXT,
  place_label    TEXT NOT NULL,
  source         TEXT NOT NULL,
  distance_km    DOUBLE PRECISION,
  latitude       DOUBLE PRECISION NOT NULL,
  longitude      DOUBLE PRECISION NOT NULL,
  zone_name      TEXT NOT NULL,
  created_update BIGINT NOT NULL,
  created_at     BIGINT NOT NULL
);
CREATE INDEX partners_user ON partners(user_id, partner_id);
INSERT INTO counters(name, value) VALUES ('partner_id', 0);
CREATE TABLE invites (
  code         TEXT PRIMARY KEY,
  inviter      BIGINT NOT NULL,
  inviter_name TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  used_by      BIGINT,
  answer       TEXT,
  answer_update BIGINT
);
CREATE INDEX invites_inviter ON invites(inviter);
)sql";

// ---- Version 6: several instances on one database (docs/architecture.md "Several instances"):
// which instance serves a chat, until when, and which instances are alive.
const char* const v6_instances = R"sql(
CREATE TABLE chat_leases (
  chat_id     BIGINT PRIMARY KEY,
  owner       TEXT NOT NULL,
  lease_until BIGINT NOT NULL
);
CREATE INDEX chat_leases_owner ON chat_leases(owner);
CREATE TABLE instances (
  instance_id  TEXT PRIMARY KEY,
  mode         TEXT NOT NULL,
  role         TEXT NOT NULL,
  heartbeat_at BIGINT NOT NULL
);
)sql";

}  // namespace

const std::vector<const char*>& sqlite_migrations() {
  static const std::vector<const char*> all = {sqlite_v1, v2_user_data, v3_birth_version_counter,
                                               v4_claims, v5_compat,    v6_instances};
  return all;
}

const std::vector<const char*>& postgres_migrations() {
  static const std::vector<const char*> all = {postgres_v1, v2_user_data, v3_birth_version_counter,
                                               v4_claims,   v5_compat,    v6_instances};
  return all;
}

}  // namespace nocturna::store
