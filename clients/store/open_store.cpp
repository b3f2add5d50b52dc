// The one place that turns configuration into a store (docs/telegram.md §7: DATABASE_URL empty =
// SQLite in DATA_DIR, postgresql:// = PostgreSQL).
#include "clients/store/database_url.hpp"
#include "clients/store/store.hpp"

namespace nocturna::store {

std::unique_ptr<store> open_store(const store_options& options) {
  if (options.database_url.empty()) return open_sqlite(options.data_dir);
  if (is_postgres_url(options.database_url)) return open_postgres(options.database_url);
  throw store_error("DATABASE_URL must be empty or a postgresql:// URL, not " +
                    redact_database_url(options.database_url));
}

}  // namespace nocturna::store
