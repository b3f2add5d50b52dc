// PostgreSQL backend (libpq). Every statement that carries data is prepared once per connection
// (PQprepare) and run with PQexecPrepared, its values sent apart from the SQL text; PQexec runs
// only fixed texts without data (BEGIN/COMMIT, SET, the migrations' DDL). Commits are durable:
// synchronous_commit=on for the session (docs/telegram.md §3.2). The password of the URL never
// reaches an error text: messages name the redacted URL and are scrubbed of the password.
#include "clients/store/postgres_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "clients/store/database_url.hpp"
#include "clients/store/migrations.hpp"
#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

// Type OIDs of the parameters we send (pg_type.h is a server header; these values are fixed).
constexpr Oid int8_oid = 20;
constexpr Oid text_oid = 25;
constexpr Oid float8_oid = 701;

// Any constant: the advisory lock key that serialises migrations across connections.
constexpr std::int64_t schema_lock_key = 0x4e6f6374757261;  // "Nocturna"

struct result_deleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

// `?` placeholders become $1, $2, …; a `?` inside a quoted literal stays as it is.
std::string numbered_placeholders(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted)
      out += "$" + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

Oid type_of(const sql::value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return int8_oid;
  if (std::holds_alternative<double>(v)) return float8_oid;
  if (std::holds_alternative<std::string>(v)) return text_oid;
  return 0;  // NULL: let the server infer it
}

// Text form of a parameter. Doubles use the shortest form that reads back to the same value.
std::string text_of(const sql::value& v) {
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *p);
    return std::string(buf, end);
  }
  if (auto p = std::get_if<std::string>(&v)) {
    sql::check_text(*p);
    return *p;
  }
  return {};
}

class pg_connection final : public sql::connection {
 public:
  pg_connection(const std::string& url, int statement_timeout_s)
      : secrets_(database_url_secrets(url)),
        shown_(redact_database_url(url)),
        statement_timeout_ms_(std::int64_t{statement_timeout_s} * 1000) {
    // Keywords before `dbname` are defaults the URL may override.
    const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
    const char* values[] = {"10", "nocturna-bot", url.c_str(), nullptr};
    conn_ = PQconnectdbParams(keys, values, 1);
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      PQfinish(conn_);
      conn_ = nullptr;
      throw store_error("cannot connect to PostgreSQL at " + shown_ + ": " + clean(msg));
    }
    try {
      setup_session();
    } catch (...) {
      PQfinish(conn_);  // the destructor does not run for a constructor that throws
      throw;
    }
  }
  ~pg_connection() override { PQfinish(conn_); }

  std::vector<sql::row> query(const std::string& sql, const sql::params& p) override {
    ensure_connected();
    const std::string& name = prepared(sql, p);
    std::vector<std::string> texts;
    std::vector<const char*> ptrs;
    texts.reserve(p.size());
    for (const auto& v : p) texts.push_back(text_of(v));
    for (std::size_t i = 0; i < p.size(); ++i)
      ptrs.push_back(std::holds_alternative<std::monostate>(p[i]) ? nullptr : texts[i].c_str());
    result_ptr res(PQexecPrepared(conn_, name.c_str(), static_cast<int>(p.size()), ptrs.data(),
                                  nullptr, nullptr, 0));
    check(res.get(), "query");
    std::vector<sql::row> rows;
    const int n = PQntuples(res.get());
    const int cols = PQnfields(res.get());
    rows.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<sql::value> cells;
      cells.reserve(static_cast<std::size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(res.get(), r, c))
          cells.emplace_back(std::monostate{});
        else
          cells.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                         static_cast<std::size_t>(PQgetlength(res.get(), r, c))));
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  void script(const char* sql) override {
    ensure_connected();
    simple(sql);
  }

  void begin() override {
    ensure_connected();
    simple("BEGIN");
    in_transaction_ = true;
  }

  void commit() override {
    in_transaction_ = false;
    result_ptr res(PQexec(conn_, "COMMIT"));
    check(res.get(), "commit");
    // COMMIT of a transaction that had failed answers ROLLBACK, not an error.
    if (std::string_view(PQcmdStatus(res.get())) != "COMMIT")
      throw store_error("PostgreSQL: transaction was rolled back");
  }

  void rollback() noexcept override {
    in_transaction_ = false;
    if (conn_ && PQstatus(conn_) == CONNECTION_OK) PQclear(PQexec(conn_, "ROLLBACK"));
  }

  void lock_schema() override { query("SELECT pg_advisory_xact_lock(?)", {schema_lock_key}); }

 private:
  // A lost connection is re-established between transactions (a server restart must not need a
  // bot restart); its prepared statements are gone with it.
  void ensure_connected() {
    if (PQstatus(conn_) == CONNECTION_OK) return;
    if (in_transaction_) throw store_error("PostgreSQL connection lost during a transaction");
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw store_error("cannot reconnect to PostgreSQL at " + shown_ + ": " +
                        clean(PQerrorMessage(conn_)));
    cache_.clear();
    setup_session();
  }

  void setup_session() {
    // NOTICEs (e.g. "relation already exists, skipping") would go to stderr otherwise.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    if (PQsetClientEncoding(conn_, "UTF8") != 0)
      throw store_error("PostgreSQL: cannot set client encoding UTF8");
    simple("SET synchronous_commit TO on");
    // Floats come back in their shortest exact form, so coordinates read back unchanged.
    simple("SET extra_float_digits TO 3");
    const auto timeout = "SET statement_timeout TO " + std::to_string(statement_timeout_ms_);
    simple(timeout.c_str());
  }

  const std::string& prepared(const std::string& sql, const sql::params& p) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    std::string name = "nocturna_" + std::to_string(cache_.size() + 1);
    std::vector<Oid> types;
    for (const auto& v : p) types.push_back(type_of(v));
    result_ptr res(PQprepare(conn_, name.c_str(), numbered_placeholders(sql).c_str(),
                             static_cast<int>(types.size()), types.data()));
    check(res.get(), "prepare");
    return cache_.emplace(sql, std::move(name)).first->second;
  }

  void simple(const char* sql) {
    result_ptr res(PQexec(conn_, sql));
    check(res.get(), "statement");
  }

  void check(PGresult* res, const char* what) {
    auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string msg = res ? PQresultErrorMessage(res) : "";
    if (msg.empty()) msg = PQerrorMessage(conn_);
    throw store_error(std::string("PostgreSQL ") + what + ": " + clean(msg));
  }

  std::string clean(std::string msg) const { return clean_pg_message(std::move(msg), secrets_); }

  PGconn* conn_ = nullptr;
  std::vector<std::string> secrets_;
  std::string shown_;
  bool in_transaction_ = false;
  std::int64_t statement_timeout_ms_;
  std::unordered_map<std::string, std::string> cache_;  // SQL text → prepared statement name
};

}  // namespace

std::unique_ptr<store> open_postgres(const std::string& url, int statement_timeout_s) {
  if (!is_postgres_url(url))
    throw store_error("not a postgresql:// URL: " + redact_database_url(url));
  return std::make_unique<sql_store>(
      std::make_unique<pg_connection>(url, std::max(1, statement_timeout_s)),
      postgres_migrations());
}

std::unique_ptr<store> open_postgres(const std::string& url) {
  return open_postgres(url, default_statement_timeout_s);
}

}  // namespace nocturna::store
