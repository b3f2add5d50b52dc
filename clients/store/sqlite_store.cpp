// SQLite backend: the file `DATA_DIR/nocturna.db` (directory 0700, file 0600), WAL with
// synchronous=FULL so a committed transaction survives power loss (docs/telegram.md §3.2).
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "clients/store/migrations.hpp"
#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

// Every open connection of the process, for release_sqlite_caches().
struct open_connections {
  std::mutex mutex;
  std::unordered_set<sqlite3*> handles;
};

open_connections& registry() {
  // Never destroyed: a connection closed during static destruction still finds it.
  static auto* r = new open_connections;
  return *r;
}

class sqlite_connection final : public sql::connection {
 public:
  static constexpr int busy_wait_ms = 10000;

  explicit sqlite_connection(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw store_error("cannot open " + path + ": " + msg);
    }
    // Other connections (poller, store actor, sessions) hold the write lock only briefly.
    sqlite3_busy_timeout(db_, busy_wait_ms);
    try {
      switch_to_wal();
      script("PRAGMA synchronous=FULL");
    } catch (...) {
      sqlite3_close(db_);  // the destructor does not run for a constructor that throws
      throw;
    }
    std::lock_guard lock(registry().mutex);
    registry().handles.insert(db_);
  }
  ~sqlite_connection() override {
    {
      std::lock_guard lock(registry().mutex);
      registry().handles.erase(db_);
    }
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  std::vector<sql::row> query(const std::string& sql, const sql::params& p) override {
    sqlite3_stmt* stmt = prepared(sql);
    // Reset even when a step throws, so the statement holds no lock and can be reused.
    struct resetter {
      sqlite3_stmt* s;
      ~resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(p.size()))
      throw store_error("sqlite: wrong parameter count for: " + sql);
    for (std::size_t i = 0; i < p.size(); ++i) bind(stmt, static_cast<int>(i + 1), p[i]);
    std::vector<sql::row> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw store_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
      rows.push_back(read_row(stmt));
    }
    return rows;
  }

  // A new database is switched to WAL under an exclusive lock. Another connection opening it at
  // that moment gets SQLITE_BUSY at once, without its busy handler being asked (about one run in
  // eight of tests/unit/store_test.cpp's "connections opening a new database at once"): it tries
  // again for as long as a locked write would wait.
  void switch_to_wal() {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(busy_wait_ms);
    int rc;
    while ((rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr)) ==
               SQLITE_BUSY &&
           std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (rc != SQLITE_OK) script("PRAGMA journal_mode=WAL");  // throws with the error's text
  }

  void script(const char* sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : sqlite3_errmsg(db_);
      sqlite3_free(err);
      throw store_error("sqlite: " + msg);
    }
  }

  void begin() override { script("BEGIN IMMEDIATE"); }
  void commit() override { script("COMMIT"); }
  void rollback() noexcept override { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  // BEGIN IMMEDIATE already holds the database's single write lock.
  void lock_schema() override {}

 private:
  sqlite3_stmt* prepared(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      throw store_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    cache_.emplace(sql, stmt);
    return stmt;
  }

  static void bind(sqlite3_stmt* stmt, int i, const sql::value& v) {
    if (auto p = std::get_if<std::int64_t>(&v)) {
      sqlite3_bind_int64(stmt, i, *p);
    } else if (auto p = std::get_if<double>(&v)) {
      sqlite3_bind_double(stmt, i, *p);
    } else if (auto p = std::get_if<std::string>(&v)) {
      sql::check_text(*p);
      sqlite3_bind_text64(stmt, i, p->data(), p->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    } else {
      sqlite3_bind_null(stmt, i);
    }
  }

  static sql::row read_row(sqlite3_stmt* stmt) {
    int n = sqlite3_column_count(stmt);
    std::vector<sql::value> cells;
    cells.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
          cells.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, i)));
          break;
        case SQLITE_FLOAT:
          cells.emplace_back(sqlite3_column_double(stmt, i));
          break;
        case SQLITE_NULL:
          cells.emplace_back(std::monostate{});
          break;
        default: {
          auto p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
          auto len = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
          cells.emplace_back(p ? std::string(p, len) : std::string());
        }
      }
    }
    return sql::row(std::move(cells));
  }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace

std::size_t release_sqlite_caches() {
  std::lock_guard lock(registry().mutex);
  auto before = sqlite3_memory_used();
  for (auto* db : registry().handles) sqlite3_db_release_memory(db);
  auto after = sqlite3_memory_used();
  return before > after ? static_cast<std::size_t>(before - after) : 0;
}

std::unique_ptr<store> open_sqlite(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) throw store_error("cannot create DATA_DIR " + data_dir + ": " + ec.message());
  ::chmod(data_dir.c_str(), 0700);
  auto path = data_dir + "/nocturna.db";
  // Create the file 0600 before SQLite opens it, so it is never readable by others, not even
  // for a moment; the chmod covers a file left by an older version.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw store_error("cannot create " + path + ": " + std::strerror(errno));
  ::close(fd);
  ::chmod(path.c_str(), 0600);
  return std::make_unique<sql_store>(std::make_unique<sqlite_connection>(path),
                                     sqlite_migrations());
}

}  // namespace nocturna::store
