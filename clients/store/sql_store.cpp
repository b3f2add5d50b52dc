#include "clients/store/sql_store.hpp"

#include <ctime>

namespace nocturna::store {

namespace detail {
std::int64_t now_s() {
  return static_cast<std::int64_t>(std::time(nullptr));
}
}  // namespace detail

sql_store::sql_store(std::unique_ptr<sql::connection> conn,
                     const std::vector<const char*>& migrations)
    : conn_(std::move(conn)) {
  migrate(migrations);
}

// Several connections may open the same database at once (poller, store actor, sessions): the
// version is read and advanced under the schema lock, so each migration runs exactly once.
void sql_store::migrate(const std::vector<const char*>& migrations) {
  sql::transaction tx(*conn_);
  conn_->lock_schema();
  conn_->script("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  std::int64_t version = 0;
  auto rows = q("SELECT version FROM schema_version");
  if (!rows.empty()) version = rows[0].integer(0);
  const auto target = static_cast<std::int64_t>(migrations.size());
  if (version > target)
    throw store_error("store schema version " + std::to_string(version) +
                      " is newer than this program knows (" + std::to_string(target) + ")");
  if (version == target && !rows.empty()) {
    tx.commit();
    return;
  }
  for (auto v = version; v < target; ++v) conn_->script(migrations[static_cast<std::size_t>(v)]);
  q("DELETE FROM schema_version");
  q("INSERT INTO schema_version(version) VALUES (?)", {target});
  tx.commit();
}

void sql_store::ensure_user(std::int64_t user_id) {
  q("INSERT INTO users(user_id, first_seen, active) VALUES (?, ?, 1) "
    "ON CONFLICT(user_id) DO NOTHING",
    {user_id, detail::now_s()});
}

}  // namespace nocturna::store
