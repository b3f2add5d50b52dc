// The store written once over `sql::connection`: SQLite and PostgreSQL differ only in how they
// connect, prepare and run a statement, so both get the same queries and the same behaviour.
// The methods are defined by concern in sql_store_*.cpp.
#pragma once

#include <memory>
#include <vector>

#include "clients/store/sql_connection.hpp"
#include "clients/store/store.hpp"

namespace nocturna::store {

class sql_store final : public store {
 public:
  // Brings the schema up to date with `migrations` (see migrations.hpp) before returning.
  sql_store(std::unique_ptr<sql::connection> conn, const std::vector<const char*>& migrations);

  // inbox, offset, sent-log (sql_store_inbox.cpp)
  std::optional<std::int64_t> next_offset() override;
  std::size_t insert_batch(const std::vector<inbox_row>& rows, std::int64_t next_offset) override;
  std::vector<inbox_row> pending() override;
  int add_attempt(std::int64_t update_id) override;
  std::vector<inbox_row> claim_pending(const std::string& owner, std::int64_t lease_until,
                                       bool take_over_all, std::int64_t after_update_id = 0,
                                       std::size_t limit = 1'000'000) override;
  // chat leases, live instances (sql_store_instances.cpp)
  std::string lease_chat(std::int64_t chat_id, const std::string& owner, std::int64_t now,
                         std::int64_t lease_until) override;
  std::size_t renew_chat_leases(const std::string& owner, std::int64_t lease_until) override;
  void release_chat(std::int64_t chat_id, const std::string& owner) override;
  std::vector<inbox_row> claim_chat_rows(const std::string& owner, std::int64_t now,
                                         std::int64_t lease_until, std::size_t limit) override;
  std::vector<inbox_row> claimed_rows(const std::string& owner, std::int64_t after_update_id,
                                      std::size_t limit) override;
  void heartbeat(const std::string& instance_id, const std::string& mode, const std::string& role,
                 std::int64_t now) override;
  std::vector<instance_record> live_instances(std::int64_t since) override;
  void forget_instance(const std::string& instance_id) override;
  void mark_done(const std::vector<std::int64_t>& update_ids) override;
  void mark_dead(std::int64_t update_id, const std::string& reason) override;
  std::optional<inbox_row> find(std::int64_t update_id) override;
  void record_sent(const std::vector<sent_entry>& entries) override;
  std::map<int, std::string> sent_for(std::int64_t update_id) override;
  void purge(std::int64_t age_s) override;

  // users, birth data, settings, natal cache (sql_store_profile.cpp)
  std::optional<user_record> load_user(std::int64_t user_id) override;
  bool set_user_active(std::int64_t user_id, bool active) override;
  std::int64_t save_birth(std::int64_t user_id, const birth_record& birth) override;
  std::optional<birth_record> load_birth(std::int64_t user_id) override;
  char house_system(std::int64_t user_id) override;
  bool set_house_system(std::int64_t user_id, char letter) override;
  std::optional<natal_cache_record> load_natal_cache(std::int64_t user_id,
                                                     std::int64_t birth_version,
                                                     char house_system) override;
  bool save_natal_chart(std::int64_t user_id, std::int64_t birth_version, char house_system,
                        const std::string& chart_json) override;
  bool save_natal_picture(std::int64_t user_id, std::int64_t birth_version, char house_system,
                          const std::string& file_id) override;
  bool save_natal_interpretation(std::int64_t user_id, std::int64_t birth_version,
                                 char house_system, const std::string& text,
                                 const std::string& source) override;

  // dialogue, /clear_profile (sql_store_dialogue.cpp)
  void save_dialogue(std::int64_t user_id, const dialogue_record& dialogue) override;
  std::optional<dialogue_record> load_dialogue(std::int64_t user_id) override;
  void delete_dialogue(std::int64_t user_id) override;
  void save_clear_request(std::int64_t user_id, const clear_request& request) override;
  std::optional<clear_request> load_clear_request(std::int64_t user_id) override;
  void delete_clear_request(std::int64_t user_id) override;
  bool has_personal_data(std::int64_t user_id) override;
  void clear_user(std::int64_t user_id) override;

  // /compat partners and invitations (sql_store_partners.cpp)
  std::vector<partner_record> partners(std::int64_t user_id) override;
  std::optional<partner_record> load_partner(std::int64_t user_id,
                                             std::int64_t partner_id) override;
  std::optional<std::int64_t> add_partner(std::int64_t user_id, const partner_record& partner,
                                          std::int64_t update_id) override;
  bool delete_partner(std::int64_t user_id, std::int64_t partner_id) override;
  void save_invite(const invite_record& invite) override;
  std::optional<invite_record> load_invite(const std::string& code) override;
  bool reserve_invite(const std::string& code, std::int64_t user_id, std::int64_t now_s) override;
  bool answer_invite(const std::string& code, std::int64_t user_id, const std::string& answer,
                     std::int64_t update_id) override;

  // subscriptions, LLM counter (sql_store_schedule.cpp)
  void save_subscription(std::int64_t user_id, const subscription_record& sub) override;
  std::optional<subscription_record> load_subscription(std::int64_t user_id) override;
  std::vector<due_subscription> due_subscriptions(std::int64_t now_utc) override;
  void set_next_due(std::int64_t user_id, std::int64_t next_due_utc) override;
  bool claim_forecast(std::int64_t user_id, const std::string& local_date) override;
  bool disable_subscription(std::int64_t user_id, const std::string& reason) override;
  int increment_llm_count(std::int64_t user_id, const std::string& local_date) override;
  int llm_count(std::int64_t user_id, const std::string& local_date) override;
  int count_llm_generation(std::int64_t user_id, const std::string& local_date,
                           std::int64_t update_id) override;

  // process-wide caches, housekeeping (sql_store_caches.cpp)
  std::optional<std::string> load_day_interpretation(const std::string& local_date,
                                                     const std::string& place,
                                                     const std::string& model) override;
  void save_day_interpretation(const std::string& local_date, const std::string& place,
                               const std::string& model, const std::string& text) override;
  std::optional<std::string> load_sky_picture(std::int64_t hour_utc, char house_system) override;
  void save_sky_picture(std::int64_t hour_utc, char house_system,
                        const std::string& file_id) override;
  void purge_expired(std::int64_t now_s) override;

  // chats (sql_store_chats.cpp; see chat_moves.hpp)
  std::size_t move_chat(std::int64_t from_chat, std::int64_t to_chat);

 private:
  void migrate(const std::vector<const char*>& migrations);
  // Inserts the user row if missing (first seen = now); inside the caller's transaction.
  void ensure_user(std::int64_t user_id);
  std::vector<sql::row> q(const std::string& sql, const sql::params& p = {}) {
    return conn_->query(sql, p);
  }

  std::unique_ptr<sql::connection> conn_;
};

// Helpers shared by the sql_store_*.cpp files.
namespace detail {
std::int64_t now_s();
// A row of "SELECT update_id, chat_id, json, attempts" (sql_store_inbox.cpp).
inbox_row pending_row(const sql::row& row);
// birth_record::source as stored (sql_store_profile.cpp).
const char* source_name(place_source s);
place_source source_from(const std::string& s);
// The 8 birth columns (birth_date … zone_name, in birth_data's order) from cell `first` on.
birth_record birth_fields(const sql::row& r, std::size_t first);
inline sql::value letter(char c) {
  return std::string(1, c);
}
}  // namespace detail

}  // namespace nocturna::store
