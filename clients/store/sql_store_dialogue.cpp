// The /natal dialogue state, the pending /clear_profile question and the deletion of a user's data
// (docs/behaviour.md §4.6, §4.10).
#include <charconv>

#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

// Message ids as a JSON array, so the column stays readable and extensible.
std::string ids_to_json(const std::vector<std::int64_t>& ids) {
  std::string out = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  return out + "]";
}

std::vector<std::int64_t> ids_from_json(const std::string& s) {
  std::vector<std::int64_t> out;
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
      std::int64_t v = 0;
      auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc()) throw store_error("store: malformed keyboard message list");
      out.push_back(v);
      p = next;
    } else {
      ++p;  // brackets, commas, spaces
    }
  }
  return out;
}

}  // namespace

void sql_store::save_dialogue(std::int64_t user_id, const dialogue_record& d) {
  sql::transaction tx(*conn_);
  ensure_user(user_id);
  q("INSERT INTO dialogue(user_id, step, nonce, expires_at, fields_json, candidates_json, "
    "keyboard_messages, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(user_id) DO UPDATE SET step = excluded.step, nonce = excluded.nonce, "
    "expires_at = excluded.expires_at, fields_json = excluded.fields_json, "
    "candidates_json = excluded.candidates_json, keyboard_messages = excluded.keyboard_messages, "
    "updated_at = excluded.updated_at",
    {user_id, d.step, d.nonce, d.expires_at, d.fields_json, d.candidates_json,
     ids_to_json(d.keyboard_messages), detail::now_s()});
  tx.commit();
}

std::optional<dialogue_record> sql_store::load_dialogue(std::int64_t user_id) {
  auto rows =
      q("SELECT step, nonce, expires_at, fields_json, candidates_json, keyboard_messages, "
        "updated_at FROM dialogue WHERE user_id = ?",
        {user_id});
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  dialogue_record d;
  d.step = r.text(0);
  d.nonce = r.text(1);
  d.expires_at = r.integer(2);
  d.fields_json = r.text(3);
  d.candidates_json = r.text(4);
  d.keyboard_messages = ids_from_json(r.text(5));
  d.updated_at = r.integer(6);
  return d;
}

void sql_store::delete_dialogue(std::int64_t user_id) {
  q("DELETE FROM dialogue WHERE user_id = ?", {user_id});
}

void sql_store::save_clear_request(std::int64_t user_id, const clear_request& r) {
  q("INSERT INTO clear_request(user_id, nonce, expires_at) VALUES (?, ?, ?) "
    "ON CONFLICT(user_id) DO UPDATE SET nonce = excluded.nonce, expires_at = excluded.expires_at",
    {user_id, r.nonce, r.expires_at});
}

std::optional<clear_request> sql_store::load_clear_request(std::int64_t user_id) {
  auto rows = q("SELECT nonce, expires_at FROM clear_request WHERE user_id = ?", {user_id});
  if (rows.empty()) return std::nullopt;
  return clear_request{rows[0].text(0), rows[0].integer(1)};
}

void sql_store::delete_clear_request(std::int64_t user_id) {
  q("DELETE FROM clear_request WHERE user_id = ?", {user_id});
}

bool sql_store::has_personal_data(std::int64_t user_id) {
  auto rows =
      q("SELECT 1 FROM birth_data WHERE user_id = ? UNION ALL "
        "SELECT 1 FROM settings WHERE user_id = ? UNION ALL "
        "SELECT 1 FROM subscriptions WHERE user_id = ? UNION ALL "
        "SELECT 1 FROM dialogue WHERE user_id = ? UNION ALL "
        "SELECT 1 FROM partners WHERE user_id = ? UNION ALL "
        "SELECT 1 FROM invites WHERE inviter = ?",
        {user_id, user_id, user_id, user_id, user_id, user_id});
  return !rows.empty();
}

void sql_store::clear_user(std::int64_t user_id) {
  static const char* const per_user_tables[] = {
      "birth_data", "natal_cache",   "settings", "subscriptions",
      "dialogue",   "clear_request", "users",    "partners",
  };
  sql::transaction tx(*conn_);
  // A private chat's id is the user's id. Pending rows stay: one of them is the update being
  // handled, and its done mark and sent-log must survive a crash-and-re-run.
  q("DELETE FROM sent_log WHERE update_id IN "
    "(SELECT update_id FROM inbox WHERE chat_id = ? AND state = 'done')",
    {user_id});
  q("DELETE FROM inbox WHERE chat_id = ? AND state = 'done'", {user_id});
  for (const char* table : per_user_tables)
    q(std::string("DELETE FROM ") + table + " WHERE user_id = ?", {user_id});
  q("DELETE FROM invites WHERE inviter = ?", {user_id});
  tx.commit();
}

}  // namespace nocturna::store
