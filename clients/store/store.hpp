// The store: the inbox, the polling offset and the sent-log (docs/telegram.md §3) and the user data
// of docs/behaviour.md §8, behind one interface implemented for SQLite and PostgreSQL. Every call
// blocks: call it only from a detached actor. Each instance owns one connection; use one per
// thread. Every write commits durably before it returns, and a write made while handling an update
// may be repeated when the update is re-run after a crash (docs/telegram.md §3.2): it upserts
// instead of inserting.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clients/store/records.hpp"

namespace nocturna::store {

struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class inbox_state { pending, done, dead };

struct inbox_row {
  std::int64_t update_id = 0;
  std::optional<std::int64_t> chat_id;
  std::string json;
  inbox_state state = inbox_state::pending;
  int attempts = 0;  // sessions it crashed
  // claim_chat_rows: another instance had claimed it (now dead, or stopped before it finished),
  // so it may have run in part: its calls are checked against the sent-log before being made.
  bool taken_over = false;
};

class store {
 public:
  virtual ~store() = default;

  // The offset of the next getUpdates call, when one was ever stored.
  virtual std::optional<std::int64_t> next_offset() = 0;

  // Inserts the rows (a duplicate update_id is ignored: a re-delivery) and stores `next_offset`,
  // in one durable transaction. Returns how many rows were new.
  virtual std::size_t insert_batch(const std::vector<inbox_row>& rows,
                                   std::int64_t next_offset) = 0;

  // Pending rows in update_id order.
  virtual std::vector<inbox_row> pending() = 0;

  // Counts one more session the row crashed and returns the new count (the row's `attempts`).
  virtual int add_attempt(std::int64_t update_id) = 0;

  // Claims pending rows for `owner` (a process instance, runtime.hpp) until `lease_until` (unix
  // s) and returns those it holds in update_id order: at most `limit`, after `after_update_id`
  // (a page). Taken are rows nobody claimed, rows whose lease ran out and, with `take_over_all`
  // (one instance runs the bot, so every other owner is dead), every pending row. See
  // docs/architecture.md "Claims and leases".
  virtual std::vector<inbox_row> claim_pending(const std::string& owner, std::int64_t lease_until,
                                               bool take_over_all, std::int64_t after_update_id = 0,
                                               std::size_t limit = 1'000'000) = 0;

  // ---- Several instances on one database: chat leases and live instances
  // (sql_store_instances.cpp; docs/architecture.md "Several instances"). Times are unix s.

  // Takes the lease of `chat_id` for `owner` until `lease_until` when nobody holds it, its lease
  // ran out (before `now`), or `owner` holds it already (then it is extended). Returns the holder
  // afterwards: `owner` when it may serve the chat.
  virtual std::string lease_chat(std::int64_t chat_id, const std::string& owner, std::int64_t now,
                                 std::int64_t lease_until) = 0;
  // Extends every chat lease `owner` still holds; returns how many.
  virtual std::size_t renew_chat_leases(const std::string& owner, std::int64_t lease_until) = 0;
  // Gives the chat up (its session went idle); nothing when `owner` does not hold it, or when a
  // row of the chat that `owner` claimed is still pending (it runs there, so the chat stays).
  virtual void release_chat(std::int64_t chat_id, const std::string& owner) = 0;
  // Takes the leases of chats with pending rows that nobody holds (never leased, or the holder's
  // lease ran out: a dead instance), then claims for `owner` the pending rows of every chat it
  // holds that were not yet claimed by it, and returns those (newly claimed only), in update_id
  // order, at most `limit`. An instance calls this to pick up what other instances received for
  // its chats and what dead ones left.
  virtual std::vector<inbox_row> claim_chat_rows(const std::string& owner, std::int64_t now,
                                                 std::int64_t lease_until,
                                                 std::size_t limit = 10'000) = 0;
  // The pending rows `owner` claimed, in update_id order: at most `limit`, after
  // `after_update_id` (a page). A restarted dispatcher of that instance runs them again.
  virtual std::vector<inbox_row> claimed_rows(const std::string& owner,
                                              std::int64_t after_update_id, std::size_t limit) = 0;

  struct instance_record {
    std::string instance_id;
    std::string mode;  // polling | webhook
    std::string role;  // leader | standby | serving
    std::int64_t heartbeat_at = 0;
    std::int64_t chats = 0;  // chat leases held
  };
  // Records that `instance_id` is alive at `now` (insert or update).
  virtual void heartbeat(const std::string& instance_id, const std::string& mode,
                         const std::string& role, std::int64_t now) = 0;
  // Instances whose last heartbeat is at `since` or later, with the chat leases each holds.
  virtual std::vector<instance_record> live_instances(std::int64_t since) = 0;
  // Removes the heartbeat of an instance that stopped cleanly, and releases its chats.
  virtual void forget_instance(const std::string& instance_id) = 0;

  virtual void mark_done(const std::vector<std::int64_t>& update_ids) = 0;
  virtual void mark_dead(std::int64_t update_id, const std::string& reason) = 0;
  virtual std::optional<inbox_row> find(std::int64_t update_id) = 0;

  // The sent-log: the result of call `seq` of the handler of `update_id`.
  struct sent_entry {
    std::int64_t update_id;
    int seq;
    std::string result_json;
  };
  virtual void record_sent(const std::vector<sent_entry>& entries) = 0;
  virtual std::map<int, std::string> sent_for(std::int64_t update_id) = 0;

  // Deletes done/dead rows and sent-log entries older than `age_s` seconds.
  virtual void purge(std::int64_t age_s) = 0;

  // ---- Users. A user row is created by the first write of personal data.
  virtual std::optional<user_record> load_user(std::int64_t user_id) = 0;
  // my_chat_member (docs/behaviour.md §1.1): false also switches an active subscription off with
  // reason "blocked"; true only marks the user active. Returns false when the user has no row.
  virtual bool set_user_active(std::int64_t user_id, bool active) = 0;

  // ---- Birth data. Saving different data bumps the version, drops the natal cache and gives an
  // existing subscription the new zone (next_due_utc cleared for the scheduler). Saving the same
  // data again (a re-run) changes nothing. Returns the version now stored.
  virtual std::int64_t save_birth(std::int64_t user_id, const birth_record& birth) = 0;
  virtual std::optional<birth_record> load_birth(std::int64_t user_id) = 0;

  // ---- Settings. The house system letter; 'P' (Placidus) when none is stored.
  virtual char house_system(std::int64_t user_id) = 0;
  // Returns true when the letter changed; a change drops the natal cache.
  virtual bool set_house_system(std::int64_t user_id, char letter) = 0;

  // ---- Natal cache: valid only for the current birth version and the given house system.
  virtual std::optional<natal_cache_record> load_natal_cache(std::int64_t user_id,
                                                             std::int64_t birth_version,
                                                             char house_system) = 0;
  // Stores the chart unless `birth_version` is no longer the user's current one (the data changed
  // while the chart was computed). Keeps picture and interpretation of the same key. Returns
  // whether it was stored.
  virtual bool save_natal_chart(std::int64_t user_id, std::int64_t birth_version, char house_system,
                                const std::string& chart_json) = 0;
  // Attach to the cached chart of that key; false (nothing stored) when the cache has moved on.
  virtual bool save_natal_picture(std::int64_t user_id, std::int64_t birth_version,
                                  char house_system, const std::string& file_id) = 0;
  virtual bool save_natal_interpretation(std::int64_t user_id, std::int64_t birth_version,
                                         char house_system, const std::string& text,
                                         const std::string& source) = 0;

  // ---- /natal dialogue state (one per user).
  virtual void save_dialogue(std::int64_t user_id, const dialogue_record& dialogue) = 0;
  virtual std::optional<dialogue_record> load_dialogue(std::int64_t user_id) = 0;
  virtual void delete_dialogue(std::int64_t user_id) = 0;

  // ---- Pending /clear_profile question.
  virtual void save_clear_request(std::int64_t user_id, const clear_request& request) = 0;
  virtual std::optional<clear_request> load_clear_request(std::int64_t user_id) = 0;
  virtual void delete_clear_request(std::int64_t user_id) = 0;

  // True when /clear_profile has something to delete: birth data, settings, a subscription, a
  // dialogue, partners or invitations (docs/behaviour.md §4.10).
  virtual bool has_personal_data(std::int64_t user_id) = 0;
  // Deletes, in one transaction, every personal record of the user: user row, birth data, natal
  // cache, settings, subscription, dialogue, pending question, partners, the invitations it made,
  // and the done inbox rows of the user's private chat (chat id = user id) with their sent-log
  // entries (docs/telegram.md §3.2). Pending rows (the update being handled) and the daily LLM
  // counter are kept.
  virtual void clear_user(std::int64_t user_id) = 0;

  // ---- /compat partners: at most `max_partners` per user, in the order they were added.
  static constexpr std::size_t max_partners = 10;
  virtual std::vector<partner_record> partners(std::int64_t user_id) = 0;
  virtual std::optional<partner_record> load_partner(std::int64_t user_id,
                                                     std::int64_t partner_id) = 0;
  // Adds the partner and returns its id; nothing when the user already has max_partners. The
  // write of one update is made once: a re-run of `update_id` returns the id it added.
  virtual std::optional<std::int64_t> add_partner(std::int64_t user_id,
                                                  const partner_record& partner,
                                                  std::int64_t update_id) = 0;
  virtual bool delete_partner(std::int64_t user_id, std::int64_t partner_id) = 0;

  // ---- /compat invitations. save_invite stores a new code and drops the inviter's unopened
  // ones, so a user has at most one open link.
  virtual void save_invite(const invite_record& invite) = 0;
  virtual std::optional<invite_record> load_invite(const std::string& code) = 0;
  // Reserves an open, unexpired code for `user_id`; true also when it is already reserved for
  // that user and unanswered (a re-run, or the link opened twice).
  virtual bool reserve_invite(const std::string& code, std::int64_t user_id,
                              std::int64_t now_s) = 0;
  // Records the reserving user's answer once; false when the code is not reserved for `user_id`
  // or was answered already, except by a re-run of the same update (`update_id`).
  virtual bool answer_invite(const std::string& code, std::int64_t user_id,
                             const std::string& answer, std::int64_t update_id) = 0;

  // ---- Subscription (docs/behaviour.md §5). save creates or replaces it.
  virtual void save_subscription(std::int64_t user_id, const subscription_record& sub) = 0;
  virtual std::optional<subscription_record> load_subscription(std::int64_t user_id) = 0;
  // Active subscriptions whose next_due_utc is empty or not after `now_utc`, soonest first.
  virtual std::vector<due_subscription> due_subscriptions(std::int64_t now_utc) = 0;
  virtual void set_next_due(std::int64_t user_id, std::int64_t next_due_utc) = 0;
  // Records that the forecast of `local_date` is being sent. True at most once per local date
  // and only for an active subscription: the at-most-one-per-day guard.
  virtual bool claim_forecast(std::int64_t user_id, const std::string& local_date) = 0;
  // Switches an active subscription off. Returns whether one was active.
  virtual bool disable_subscription(std::int64_t user_id, const std::string& reason) = 0;

  // ---- Daily LLM counter (docs/behaviour.md §7.2): one more generation on `local_date`
  // (YYYY-MM-DD), atomically; returns the count of that date including this one.
  virtual int increment_llm_count(std::int64_t user_id, const std::string& local_date) = 0;
  virtual int llm_count(std::int64_t user_id, const std::string& local_date) = 0;
  // The same, counted at most once per `update_id`: a re-run of the update after a crash gets the
  // count without adding to it.
  virtual int count_llm_generation(std::int64_t user_id, const std::string& local_date,
                                   std::int64_t update_id) = 0;

  // ---- Process-wide caches. Day interpretation per (local date, sky place, model); sky picture
  // file_id per (hour start in unix seconds, house system).
  virtual std::optional<std::string> load_day_interpretation(const std::string& local_date,
                                                             const std::string& place,
                                                             const std::string& model) = 0;
  virtual void save_day_interpretation(const std::string& local_date, const std::string& place,
                                       const std::string& model, const std::string& text) = 0;
  virtual std::optional<std::string> load_sky_picture(std::int64_t hour_utc, char house_system) = 0;
  virtual void save_sky_picture(std::int64_t hour_utc, char house_system,
                                const std::string& file_id) = 0;

  // Housekeeping at `now_s`: dialogues 24 h past their expiry (docs/behaviour.md §1.3), expired
  // /clear_profile questions, invitations a day past their expiry, sky pictures older than 2 days,
  // day interpretations and LLM counters of dates more than 2 days old.
  virtual void purge_expired(std::int64_t now_s) = 0;
};

// SQLite in `data_dir/nocturna.db`: directory 0700, file 0600, WAL, synchronous=FULL, schema
// versioned by migrations. Throws store_error.
std::unique_ptr<store> open_sqlite(const std::string& data_dir);

// Hands back the page caches of every open SQLite connection of this process (they refill from
// the file as needed); returns the bytes freed. Safe from any thread: the connections are opened
// serialized. After a burst their caches hold pages allocated among the burst's objects.
std::size_t release_sqlite_caches();

// PostgreSQL at a `postgresql://` (or `postgres://`) URL: libpq, prepared statements,
// synchronous_commit=on, the same schema and migrations. Error texts never contain the password.
// Throws store_error.
std::unique_ptr<store> open_postgres(const std::string& url);

// Where the store lives, as configured (docs/telegram.md §7).
struct store_options {
  std::string data_dir = "./data";
  std::string database_url;  // empty = SQLite in data_dir
};

// SQLite in `data_dir` when `database_url` is empty, PostgreSQL for a postgresql:// URL;
// store_error for anything else.
std::unique_ptr<store> open_store(const store_options& options);

}  // namespace nocturna::store
