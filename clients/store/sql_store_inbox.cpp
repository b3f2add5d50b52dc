// Inbox, polling offset and sent-log (docs/telegram.md §3).
#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

const char* state_name(inbox_state s) {
  switch (s) {
    case inbox_state::pending:
      return "pending";
    case inbox_state::done:
      return "done";
    case inbox_state::dead:
      return "dead";
  }
  return "pending";
}

inbox_state state_from(const std::string& s) {
  if (s == "done") return inbox_state::done;
  if (s == "dead") return inbox_state::dead;
  return inbox_state::pending;
}

}  // namespace

inbox_row detail::pending_row(const sql::row& row) {
  inbox_row r;
  r.update_id = row.integer(0);
  r.chat_id = row.opt_integer(1);
  r.json = row.text(2);
  r.attempts = static_cast<int>(row.integer(3));
  return r;
}

std::optional<std::int64_t> sql_store::next_offset() {
  auto rows = q("SELECT next_offset FROM poll_offset WHERE id = 1");
  if (rows.empty()) return std::nullopt;
  return rows[0].integer(0);
}

std::size_t sql_store::insert_batch(const std::vector<inbox_row>& rows, std::int64_t next) {
  sql::transaction tx(*conn_);
  auto now = detail::now_s();
  std::size_t inserted = 0;
  for (const auto& r : rows) {
    // A conflicting update_id is a re-delivery: the stored copy wins, and no row comes back.
    inserted +=
        q("INSERT INTO inbox(update_id, chat_id, json, state, attempts, received_at, finished_at) "
          "VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT(update_id) DO NOTHING RETURNING update_id",
          {r.update_id, sql::opt(r.chat_id), r.json, std::string(state_name(r.state)), now,
           r.state == inbox_state::pending ? sql::null() : sql::value(now)})
            .size();
  }
  q("INSERT INTO poll_offset(id, next_offset) VALUES (1, ?) "
    "ON CONFLICT(id) DO UPDATE SET next_offset = excluded.next_offset",
    {next});
  tx.commit();
  return inserted;
}

std::vector<inbox_row> sql_store::pending() {
  std::vector<inbox_row> out;
  for (const auto& row : q("SELECT update_id, chat_id, json, attempts FROM inbox "
                           "WHERE state = 'pending' ORDER BY update_id")) {
    out.push_back(detail::pending_row(row));
  }
  return out;
}

int sql_store::add_attempt(std::int64_t update_id) {
  auto rows = q("UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? RETURNING attempts",
                {update_id});
  return rows.empty() ? 0 : static_cast<int>(rows[0].integer(0));
}

std::vector<inbox_row> sql_store::claim_pending(const std::string& owner, std::int64_t lease_until,
                                                bool take_over_all, std::int64_t after_update_id,
                                                std::size_t limit) {
  sql::transaction tx(*conn_);
  q("UPDATE inbox SET claimed_by = ?, lease_until = ? WHERE state = 'pending' AND "
    "(claimed_by IS NULL OR claimed_by = ? OR lease_until < ? OR ? = 1)",
    {owner, lease_until, owner, detail::now_s(), std::int64_t{take_over_all ? 1 : 0}});
  std::vector<inbox_row> out;
  for (const auto& row : q("SELECT update_id, chat_id, json, attempts FROM inbox "
                           "WHERE state = 'pending' AND claimed_by = ? AND update_id > ? "
                           "ORDER BY update_id LIMIT ?",
                           {owner, after_update_id, static_cast<std::int64_t>(limit)})) {
    out.push_back(detail::pending_row(row));
  }
  tx.commit();
  return out;
}

void sql_store::mark_done(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  sql::transaction tx(*conn_);
  auto now = detail::now_s();
  for (auto id : ids)
    q("UPDATE inbox SET state = 'done', finished_at = ? WHERE update_id = ? AND state = 'pending'",
      {now, id});
  tx.commit();
}

void sql_store::mark_dead(std::int64_t update_id, const std::string& reason) {
  q("UPDATE inbox SET state = 'dead', finished_at = ?, reason = ? WHERE update_id = ?",
    {detail::now_s(), reason, update_id});
}

std::optional<inbox_row> sql_store::find(std::int64_t update_id) {
  auto rows = q("SELECT update_id, chat_id, json, state, attempts FROM inbox WHERE update_id = ?",
                {update_id});
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  inbox_row r;
  r.update_id = row.integer(0);
  r.chat_id = row.opt_integer(1);
  r.json = row.text(2);
  r.state = state_from(row.text(3));
  r.attempts = static_cast<int>(row.integer(4));
  return r;
}

void sql_store::record_sent(const std::vector<sent_entry>& entries) {
  if (entries.empty()) return;
  sql::transaction tx(*conn_);
  auto now = detail::now_s();
  for (const auto& e : entries)
    q("INSERT INTO sent_log(update_id, seq, result, sent_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT(update_id, seq) DO UPDATE SET result = excluded.result, "
      "sent_at = excluded.sent_at",
      {e.update_id, std::int64_t{e.seq}, e.result_json, now});
  tx.commit();
}

std::map<int, std::string> sql_store::sent_for(std::int64_t update_id) {
  std::map<int, std::string> out;
  for (const auto& row : q("SELECT seq, result FROM sent_log WHERE update_id = ?", {update_id}))
    out[static_cast<int>(row.integer(0))] = row.text(1);
  return out;
}

void sql_store::purge(std::int64_t age_s) {
  auto cutoff = detail::now_s() - age_s;
  sql::transaction tx(*conn_);
  q("DELETE FROM sent_log WHERE update_id IN (SELECT update_id FROM inbox WHERE "
    "state <> 'pending' AND finished_at < ?)",
    {cutoff});
  q("DELETE FROM inbox WHERE state <> 'pending' AND finished_at < ?", {cutoff});
  tx.commit();
}

}  // namespace nocturna::store
