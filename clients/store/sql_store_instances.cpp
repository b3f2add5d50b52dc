// Several instances on one database: chat leases (one instance serves a chat at a time, so its
// updates run in order wherever they arrived) and the heartbeats of live instances. The
// statements are written so that two instances racing for the same chat serialise on its row:
// PostgreSQL's ON CONFLICT … DO UPDATE … WHERE locks the row and re-checks the condition, SQLite
// has one writer at a time. See docs/architecture.md "Several instances".
#include <algorithm>
#include <set>

#include "clients/store/sql_store.hpp"

namespace nocturna::store {

std::string sql_store::lease_chat(std::int64_t chat_id, const std::string& owner, std::int64_t now,
                                  std::int64_t lease_until) {
  sql::transaction tx(*conn_);
  q("INSERT INTO chat_leases (chat_id, owner, lease_until) VALUES (?, ?, ?) "
    "ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, "
    "lease_until = excluded.lease_until "
    "WHERE chat_leases.owner = excluded.owner OR chat_leases.lease_until < ?",
    {chat_id, owner, lease_until, now});
  auto rows = q("SELECT owner FROM chat_leases WHERE chat_id = ?", {chat_id});
  tx.commit();
  return rows.empty() ? std::string() : rows[0].text(0);
}

std::size_t sql_store::renew_chat_leases(const std::string& owner, std::int64_t lease_until) {
  sql::transaction tx(*conn_);
  auto renewed = q("UPDATE chat_leases SET lease_until = ? WHERE owner = ? RETURNING chat_id",
                   {lease_until, owner});
  tx.commit();
  return renewed.size();
}

void sql_store::release_chat(std::int64_t chat_id, const std::string& owner) {
  // A row claimed a moment before the release (the session was evicted while the pick-up ran)
  // keeps the chat here: released, another instance could run the chat's next row before it.
  q("DELETE FROM chat_leases WHERE chat_id = ? AND owner = ? AND NOT EXISTS "
    "(SELECT 1 FROM inbox WHERE chat_id = ? AND state = 'pending' AND claimed_by = ?)",
    {chat_id, owner, chat_id, owner});
}

std::vector<inbox_row> sql_store::claim_chat_rows(const std::string& owner, std::int64_t now,
                                                  std::int64_t lease_until, std::size_t limit) {
  sql::transaction tx(*conn_);
  // Chats with pending rows and no live holder become this instance's. Only chats without a
  // live lease are offered, in chat_id order: two instances then lock shared lease rows in the
  // same order (no deadlock), and a live holder's rows are not locked at every pick-up. (`AND
  // true` lets SQLite tell the SELECT's end from the upsert clause.)
  q("INSERT INTO chat_leases (chat_id, owner, lease_until) "
    "SELECT DISTINCT chat_id, ?, ? FROM inbox WHERE state = 'pending' AND chat_id IS NOT NULL "
    "AND chat_id NOT IN (SELECT chat_id FROM chat_leases WHERE lease_until >= ?) AND true "
    "ORDER BY chat_id "
    "ON CONFLICT (chat_id) DO UPDATE SET owner = excluded.owner, "
    "lease_until = excluded.lease_until WHERE chat_leases.lease_until < ?",
    {owner, lease_until, now, now});
  const char* const held_unclaimed =
      "state = 'pending' AND (claimed_by IS NULL OR claimed_by <> ?) AND chat_id IN "
      "(SELECT chat_id FROM chat_leases WHERE owner = ? AND lease_until >= ?)";
  // Rows another instance claimed may have run there in part (taken_over). Nobody else claims
  // rows of a chat this instance holds, so the set cannot change before the UPDATE below.
  std::set<std::int64_t> taken;
  for (const auto& row : q(std::string("SELECT update_id FROM inbox WHERE claimed_by IS NOT NULL "
                                       "AND ") +
                               held_unclaimed,
                           {owner, owner, now}))
    taken.insert(row.integer(0));
  // The pending rows of held chats that this instance has not claimed yet: received by another
  // instance, or left by a dead one. The oldest `limit` of them, so a row claimed is always a
  // row returned.
  auto claimed = q(std::string("UPDATE inbox SET claimed_by = ?, lease_until = ? WHERE update_id "
                               "IN (SELECT update_id FROM inbox WHERE ") +
                       held_unclaimed + " ORDER BY update_id LIMIT ?) " +
                       "RETURNING update_id, chat_id, json, attempts",
                   {owner, lease_until, owner, owner, now, static_cast<std::int64_t>(limit)});
  tx.commit();
  std::vector<inbox_row> out;
  out.reserve(claimed.size());
  for (const auto& row : claimed) {
    out.push_back(detail::pending_row(row));
    out.back().taken_over = taken.count(out.back().update_id) > 0;
  }
  std::sort(out.begin(), out.end(),
            [](const inbox_row& a, const inbox_row& b) { return a.update_id < b.update_id; });
  return out;
}

std::vector<inbox_row> sql_store::claimed_rows(const std::string& owner,
                                               std::int64_t after_update_id, std::size_t limit) {
  std::vector<inbox_row> out;
  for (const auto& row : q("SELECT update_id, chat_id, json, attempts FROM inbox "
                           "WHERE state = 'pending' AND claimed_by = ? AND update_id > ? "
                           "ORDER BY update_id LIMIT ?",
                           {owner, after_update_id, static_cast<std::int64_t>(limit)}))
    out.push_back(detail::pending_row(row));
  return out;
}

void sql_store::heartbeat(const std::string& instance_id, const std::string& mode,
                          const std::string& role, std::int64_t now) {
  q("INSERT INTO instances (instance_id, mode, role, heartbeat_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (instance_id) DO UPDATE SET mode = excluded.mode, role = excluded.role, "
    "heartbeat_at = excluded.heartbeat_at",
    {instance_id, mode, role, now});
}

std::vector<store::instance_record> sql_store::live_instances(std::int64_t since) {
  std::vector<instance_record> out;
  for (const auto& row : q("SELECT i.instance_id, i.mode, i.role, i.heartbeat_at, "
                           "(SELECT COUNT(*) FROM chat_leases c WHERE c.owner = i.instance_id) "
                           "FROM instances i WHERE i.heartbeat_at >= ? ORDER BY i.instance_id",
                           {since})) {
    instance_record r;
    r.instance_id = row.text(0);
    r.mode = row.text(1);
    r.role = row.text(2);
    r.heartbeat_at = row.integer(3);
    r.chats = row.integer(4);
    out.push_back(std::move(r));
  }
  return out;
}

void sql_store::forget_instance(const std::string& instance_id) {
  sql::transaction tx(*conn_);
  q("DELETE FROM chat_leases WHERE owner = ?", {instance_id});
  q("DELETE FROM instances WHERE instance_id = ?", {instance_id});
  tx.commit();
}

}  // namespace nocturna::store
