#include <sqlite3.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "clients/store/store.hpp"

namespace nocturna::store {
namespace {

// Each entry migrates the schema from version i to i+1. Append, never edit.
const char* const migrations[] = {
    R"sql(
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
)sql",
};

std::int64_t now_s() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

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

class statement {
 public:
  statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK)
      throw store_error(std::string("sqlite prepare: ") + sqlite3_errmsg(db));
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw store_error(std::string("sqlite step: ") + sqlite3_errmsg(db_));
  }
  void run() {
    step();
    reset();
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::int64_t int_at(int i) { return sqlite3_column_int64(stmt_, i); }
  bool null_at(int i) { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string text_at(int i) {
    auto p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i))) : "";
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class sqlite_store final : public store {
 public:
  explicit sqlite_store(const std::string& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) throw store_error("cannot create DATA_DIR " + data_dir + ": " + ec.message());
    ::chmod(data_dir.c_str(), 0700);
    auto path = data_dir + "/nocturna.db";
    if (sqlite3_open_v2(path.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw store_error("cannot open " + path + ": " + msg);
    }
    ::chmod(path.c_str(), 0600);
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA foreign_keys=ON");
    migrate();
  }
  ~sqlite_store() override { sqlite3_close(db_); }

  std::optional<std::int64_t> next_offset() override {
    statement s(db_, "SELECT next_offset FROM poll_offset WHERE id = 1");
    if (s.step()) return s.int_at(0);
    return std::nullopt;
  }

  void insert_batch(const std::vector<inbox_row>& rows, std::int64_t next) override {
    transaction tx(*this);
    statement ins(db_,
                  "INSERT OR IGNORE INTO inbox(update_id, chat_id, json, state, attempts, "
                  "received_at, finished_at) VALUES (?, ?, ?, ?, 0, ?, ?)");
    auto now = now_s();
    for (const auto& r : rows) {
      ins.bind(1, r.update_id);
      if (r.chat_id)
        ins.bind(2, *r.chat_id);
      else
        ins.bind_null(2);
      ins.bind(3, r.json).bind(4, std::string(state_name(r.state))).bind(5, now);
      if (r.state == inbox_state::pending)
        ins.bind_null(6);
      else
        ins.bind(6, now);
      ins.run();
    }
    statement off(db_,
                  "INSERT INTO poll_offset(id, next_offset) VALUES (1, ?) "
                  "ON CONFLICT(id) DO UPDATE SET next_offset = excluded.next_offset");
    off.bind(1, next).run();
    tx.commit();
  }

  std::vector<inbox_row> pending() override {
    statement s(db_,
                "SELECT update_id, chat_id, json, attempts FROM inbox WHERE state = 'pending' "
                "ORDER BY update_id");
    std::vector<inbox_row> out;
    while (s.step()) {
      inbox_row r;
      r.update_id = s.int_at(0);
      if (!s.null_at(1)) r.chat_id = s.int_at(1);
      r.json = s.text_at(2);
      r.attempts = static_cast<int>(s.int_at(3));
      out.push_back(std::move(r));
    }
    return out;
  }

  int add_attempt(std::int64_t update_id) override {
    statement s(db_,
                "UPDATE inbox SET attempts = attempts + 1 WHERE update_id = ? "
                "RETURNING attempts");
    s.bind(1, update_id);
    int attempts = s.step() ? static_cast<int>(s.int_at(0)) : 0;
    while (s.step()) {
    }
    return attempts;
  }

  void mark_done(const std::vector<std::int64_t>& ids) override {
    if (ids.empty()) return;
    transaction tx(*this);
    statement s(db_,
                "UPDATE inbox SET state = 'done', finished_at = ? WHERE update_id = ? "
                "AND state = 'pending'");
    auto now = now_s();
    for (auto id : ids) s.bind(1, now).bind(2, id).run();
    tx.commit();
  }

  void mark_dead(std::int64_t update_id, const std::string& reason) override {
    statement s(db_,
                "UPDATE inbox SET state = 'dead', finished_at = ?, reason = ? "
                "WHERE update_id = ?");
    s.bind(1, now_s()).bind(2, reason).bind(3, update_id).run();
  }

  std::optional<inbox_row> find(std::int64_t update_id) override {
    statement s(db_,
                "SELECT update_id, chat_id, json, state, attempts FROM inbox WHERE update_id = ?");
    s.bind(1, update_id);
    if (!s.step()) return std::nullopt;
    inbox_row r;
    r.update_id = s.int_at(0);
    if (!s.null_at(1)) r.chat_id = s.int_at(1);
    r.json = s.text_at(2);
    r.state = state_from(s.text_at(3));
    r.attempts = static_cast<int>(s.int_at(4));
    return r;
  }

  void record_sent(const std::vector<sent_entry>& entries) override {
    if (entries.empty()) return;
    transaction tx(*this);
    statement s(db_,
                "INSERT OR REPLACE INTO sent_log(update_id, seq, result, sent_at) "
                "VALUES (?, ?, ?, ?)");
    auto now = now_s();
    for (const auto& e : entries)
      s.bind(1, e.update_id).bind(2, e.seq).bind(3, e.result_json).bind(4, now).run();
    tx.commit();
  }

  std::map<int, std::string> sent_for(std::int64_t update_id) override {
    statement s(db_, "SELECT seq, result FROM sent_log WHERE update_id = ?");
    s.bind(1, update_id);
    std::map<int, std::string> out;
    while (s.step()) out[static_cast<int>(s.int_at(0))] = s.text_at(1);
    return out;
  }

  void purge(std::int64_t age_s) override {
    auto cutoff = now_s() - age_s;
    transaction tx(*this);
    statement a(db_,
                "DELETE FROM sent_log WHERE update_id IN (SELECT update_id FROM inbox WHERE "
                "state != 'pending' AND finished_at < ?)");
    a.bind(1, cutoff).run();
    statement b(db_, "DELETE FROM inbox WHERE state != 'pending' AND finished_at < ?");
    b.bind(1, cutoff).run();
    tx.commit();
  }

 private:
  class transaction {
   public:
    explicit transaction(sqlite_store& s) : s_(s) { s_.exec("BEGIN IMMEDIATE"); }
    ~transaction() {
      if (!done_) sqlite3_exec(s_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
      s_.exec("COMMIT");
      done_ = true;
    }

   private:
    sqlite_store& s_;
    bool done_ = false;
  };

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw store_error(std::string("sqlite: ") + msg);
    }
  }

  void migrate() {
    transaction tx(*this);
    exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    std::int64_t version = 0;
    {
      statement s(db_, "SELECT version FROM schema_version");
      if (s.step()) version = s.int_at(0);
    }
    const auto target = static_cast<std::int64_t>(std::size(migrations));
    if (version > target)
      throw store_error("store schema version " + std::to_string(version) +
                        " is newer than this program knows (" + std::to_string(target) + ")");
    for (auto v = version; v < target; ++v) exec(migrations[v]);
    exec("DELETE FROM schema_version");
    statement s(db_, "INSERT INTO schema_version(version) VALUES (?)");
    s.bind(1, target).run();
    tx.commit();
  }

  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<store> open_sqlite(const std::string& data_dir) {
  return std::make_unique<sqlite_store>(data_dir);
}

}  // namespace nocturna::store
