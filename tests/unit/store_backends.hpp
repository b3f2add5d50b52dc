// The two store backends as doctest template parameters: every store case is written once as
// TEST_CASE_TEMPLATE(…, B, STORE_BACKENDS) and runs on both. Each backend object is a fresh, empty
// database that can be opened several times (reopen, concurrent connections).
//
// PostgreSQL cases are named `…<postgres>`; CTest gives them the `pg_cluster` fixture
// (tests/support/pg_tests.cmake), which passes the cluster's URL in a file named by
// NOCTURNA_TEST_PG_URL_FILE. Run by hand, set NOCTURNA_TEST_DATABASE_URL instead, or exclude
// them with -tce='*<postgres>*'. Without either they fail: a missing PostgreSQL is never a pass.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "clients/store/store.hpp"
#include "tests/support/bot_process.hpp"

namespace nocturna::testing {

// SQLite in a fresh temporary directory (its `data` subdirectory is created by the store).
class sqlite_backend {
 public:
  std::unique_ptr<store::store> open() const { return store::open_sqlite(data_dir()); }
  // Runs SQL on the database behind the store's back (schema tests).
  void exec_raw(const std::string& sql) const;
  std::string data_dir() const { return dir_.path() + "/data"; }

 private:
  temp_dir dir_;
};

// PostgreSQL: a fresh schema in the test cluster (selected through search_path in the URL),
// dropped when the object goes.
class postgres_backend {
 public:
  postgres_backend();
  ~postgres_backend();
  postgres_backend(const postgres_backend&) = delete;
  postgres_backend& operator=(const postgres_backend&) = delete;

  std::unique_ptr<store::store> open() const { return store::open_postgres(url_); }
  void exec_raw(const std::string& sql) const;
  // This schema's URL.
  const std::string& url() const { return url_; }
  // The cluster's URL; fails the running test when there is none.
  static std::string cluster_url();

 private:
  std::string schema_;
  std::string base_;
  std::string url_;
};

// A pending inbox row of `chat` whose JSON is just its id.
inline store::inbox_row pending_row(std::int64_t id, std::int64_t chat) {
  store::inbox_row r;
  r.update_id = id;
  r.chat_id = chat;
  r.json = R"({"update_id":)" + std::to_string(id) + "}";
  return r;
}

// `url` with one more query parameter.
std::string with_parameter(const std::string& url, const std::string& parameter);

}  // namespace nocturna::testing

TYPE_TO_STRING_AS("sqlite", nocturna::testing::sqlite_backend);
TYPE_TO_STRING_AS("postgres", nocturna::testing::postgres_backend);

#define STORE_BACKENDS nocturna::testing::sqlite_backend, nocturna::testing::postgres_backend
