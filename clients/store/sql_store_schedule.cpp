// Daily forecast subscriptions (docs/behaviour.md §5) and the per-user daily LLM counter
// (docs/behaviour.md §7.2).
#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

const char* const subscription_columns =
    "local_time, zone_name, active, next_due_utc, last_sent_local_date, disabled_reason";

// Reads the columns above, starting at `first`.
subscription_record subscription_from(const sql::row& r, std::size_t first) {
  subscription_record s;
  s.time = r.text(first);
  s.zone = r.text(first + 1);
  s.active = r.integer(first + 2) != 0;
  s.next_due_utc = r.opt_integer(first + 3);
  s.last_sent_local_date = r.opt_text(first + 4);
  s.disabled_reason = r.opt_text(first + 5);
  return s;
}

}  // namespace

void sql_store::save_subscription(std::int64_t user_id, const subscription_record& s) {
  sql::transaction tx(*conn_);
  ensure_user(user_id);
  q("INSERT INTO subscriptions(user_id, local_time, zone_name, active, next_due_utc, "
    "last_sent_local_date, disabled_reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(user_id) DO UPDATE SET local_time = excluded.local_time, "
    "zone_name = excluded.zone_name, active = excluded.active, "
    "next_due_utc = excluded.next_due_utc, last_sent_local_date = excluded.last_sent_local_date, "
    "disabled_reason = excluded.disabled_reason, updated_at = excluded.updated_at",
    {user_id, s.time, s.zone, std::int64_t{s.active ? 1 : 0}, sql::opt(s.next_due_utc),
     sql::opt(s.last_sent_local_date), sql::opt(s.disabled_reason), detail::now_s()});
  tx.commit();
}

std::optional<subscription_record> sql_store::load_subscription(std::int64_t user_id) {
  auto rows =
      q(std::string("SELECT ") + subscription_columns + " FROM subscriptions WHERE user_id = ?",
        {user_id});
  if (rows.empty()) return std::nullopt;
  return subscription_from(rows[0], 0);
}

std::vector<due_subscription> sql_store::due_subscriptions(std::int64_t now_utc) {
  // COALESCE in the ORDER BY: the backends sort NULLs differently, and "to be computed" comes
  // first.
  auto rows = q(std::string("SELECT user_id, ") + subscription_columns +
                    " FROM subscriptions WHERE active = 1 AND "
                    "(next_due_utc IS NULL OR next_due_utc <= ?) "
                    "ORDER BY COALESCE(next_due_utc, 0), user_id",
                {now_utc});
  std::vector<due_subscription> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back({r.integer(0), subscription_from(r, 1)});
  return out;
}

void sql_store::set_next_due(std::int64_t user_id, std::int64_t next_due_utc) {
  q("UPDATE subscriptions SET next_due_utc = ?, updated_at = ? WHERE user_id = ?",
    {next_due_utc, detail::now_s(), user_id});
}

bool sql_store::claim_forecast(std::int64_t user_id, const std::string& local_date) {
  // One conditional UPDATE: two schedulers racing for the same day cannot both win.
  auto rows =
      q("UPDATE subscriptions SET last_sent_local_date = ?, updated_at = ? "
        "WHERE user_id = ? AND active = 1 AND "
        "(last_sent_local_date IS NULL OR last_sent_local_date <> ?) RETURNING user_id",
        {local_date, detail::now_s(), user_id, local_date});
  return !rows.empty();
}

bool sql_store::disable_subscription(std::int64_t user_id, const std::string& reason) {
  auto rows =
      q("UPDATE subscriptions SET active = 0, disabled_reason = ?, updated_at = ? "
        "WHERE user_id = ? AND active = 1 RETURNING user_id",
        {reason, detail::now_s(), user_id});
  return !rows.empty();
}

int sql_store::increment_llm_count(std::int64_t user_id, const std::string& local_date) {
  auto rows =
      q("INSERT INTO llm_usage(user_id, local_date, used) VALUES (?, ?, 1) "
        "ON CONFLICT(user_id, local_date) DO UPDATE SET used = llm_usage.used + 1 "
        "RETURNING used",
        {user_id, local_date});
  return rows.empty() ? 0 : static_cast<int>(rows[0].integer(0));
}

int sql_store::count_llm_generation(std::int64_t user_id, const std::string& local_date,
                                    std::int64_t update_id) {
  sql::transaction tx(*conn_);
  bool first = !q("INSERT INTO llm_usage_updates(update_id, user_id, local_date) VALUES (?, ?, ?) "
                  "ON CONFLICT(update_id) DO NOTHING RETURNING update_id",
                  {update_id, user_id, local_date})
                    .empty();
  int count = first ? increment_llm_count(user_id, local_date) : llm_count(user_id, local_date);
  tx.commit();
  return count;
}

int sql_store::llm_count(std::int64_t user_id, const std::string& local_date) {
  auto rows =
      q("SELECT used FROM llm_usage WHERE user_id = ? AND local_date = ?", {user_id, local_date});
  return rows.empty() ? 0 : static_cast<int>(rows[0].integer(0));
}

}  // namespace nocturna::store
