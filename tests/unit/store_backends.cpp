#include "tests/unit/store_backends.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace nocturna::testing {
namespace {

// One admin statement on its own connection; the test cannot go on when it fails.
void pg_exec(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("test cluster: cannot connect: " + msg);
  }
  PQsetNoticeProcessor(
      c, [](void*, const char*) {}, nullptr);
  PGresult* r = PQexec(c, sql.c_str());
  auto status = PQresultStatus(r);
  std::string msg = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    throw std::runtime_error("test cluster: " + sql + ": " + msg);
}

std::string unique_schema_name() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return "t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(rd() % 1000000);
}

}  // namespace

void sqlite_backend::exec_raw(const std::string& sql) const {
  sqlite3* db = nullptr;
  auto path = data_dir() + "/nocturna.db";
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path);
  }
  sqlite3_busy_timeout(db, 10000);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) throw std::runtime_error("sqlite: " + sql + ": " + msg);
}

std::string postgres_backend::cluster_url() {
  if (const char* url = std::getenv("NOCTURNA_TEST_DATABASE_URL"); url && *url) return url;
  if (const char* file = std::getenv("NOCTURNA_TEST_PG_URL_FILE"); file && *file) {
    std::ifstream in(file);
    std::string url;
    if (in && std::getline(in, url) && !url.empty()) return url;
    FAIL("the PostgreSQL test cluster did not start: no URL in "
         << file << " (see the pg_cluster_start test)");
  }
  FAIL(
      "PostgreSQL store cases need the test cluster: run them through ctest (fixture pg_cluster), "
      "or set NOCTURNA_TEST_DATABASE_URL, or exclude them with -tce='*<postgres>*'");
  return {};
}

postgres_backend::postgres_backend() : schema_(unique_schema_name()), base_(cluster_url()) {
  pg_exec(base_, "CREATE SCHEMA " + schema_);
  url_ = with_parameter(base_, "options=-csearch_path%3D" + schema_);
}

postgres_backend::~postgres_backend() {
  try {
    pg_exec(base_, "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
  } catch (...) {
    // The cluster is thrown away after the run anyway.
  }
}

void postgres_backend::exec_raw(const std::string& sql) const {
  pg_exec(url_, sql);
}

std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

}  // namespace nocturna::testing
