// PostgreSQL specifics: DATABASE_URL redaction (the password never reaches an error text) and
// reconnection after the server dropped the connection.
#include <doctest/doctest.h>

#include "clients/store/database_url.hpp"
#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("store: DATABASE_URL passwords are redacted in userinfo and query") {
  CHECK(store::redact_database_url("postgresql://bot:s3cr%40t@db:5432/nocturna") ==
        "postgresql://bot:***@db:5432/nocturna");
  CHECK(store::redact_database_url("postgres://bot@db/n?sslmode=require&password=x%26y&a=b") ==
        "postgres://bot@db/n?sslmode=require&password=***&a=b");
  CHECK(store::redact_database_url("postgresql://db/n") == "postgresql://db/n");
  CHECK(store::redact_database_url("postgresql://u:p@a@b/n") == "postgresql://u:***@b/n");
  auto secrets = store::database_url_secrets("postgresql://bot:s3cr%40t@db/n?PASSWORD=two");
  CHECK(secrets == std::vector<std::string>{"s3cr%40t", "s3cr@t", "two"});
  CHECK(store::scrub("failed for s3cr@t and s3cr@t", {"s3cr@t"}) == "failed for *** and ***");
  CHECK(store::is_postgres_url("PostgreSQL://h/db"));
  CHECK_FALSE(store::is_postgres_url("postgresql://"));
  CHECK_FALSE(store::is_postgres_url("sqlite:///x"));
}

TEST_CASE("store: an unreachable PostgreSQL gives an error naming the URL without its password") {
  // Port 1 on loopback: refused at once, no server needed.
  const std::string url = "postgresql://bot:pa%24%24word@127.0.0.1:1/nocturna?connect_timeout=2";
  try {
    store::open_postgres(url);
    FAIL("expected store_error");
  } catch (const store::store_error& e) {
    std::string what = e.what();
    CHECK(contains(what, "postgresql://bot:***@127.0.0.1:1/nocturna"));
    CHECK_FALSE(contains(what, "pa%24%24word"));
    CHECK_FALSE(contains(what, "pa$$word"));
  }
}

TEST_CASE("store: a rejected password never appears in the error text<postgres>") {
  auto good = testing::postgres_backend::cluster_url();
  auto at = good.find('@');
  auto colon = good.rfind(':', at);
  REQUIRE(at != std::string::npos);
  const std::string wrong = "Wr0ng%21Pass";
  auto bad = good.substr(0, colon + 1) + wrong + good.substr(at);
  try {
    store::open_postgres(bad);
    FAIL("expected store_error");
  } catch (const store::store_error& e) {
    std::string what = e.what();
    CHECK(contains(what, "password authentication failed"));
    CHECK_FALSE(contains(what, wrong));
    CHECK_FALSE(contains(what, "Wr0ng!Pass"));
    CHECK_FALSE(contains(what, good.substr(colon + 1, at - colon - 1)));  // nor the real one
  }
}

TEST_CASE("store: open_store picks PostgreSQL for a postgresql:// URL<postgres>") {
  testing::postgres_backend backend;
  {
    auto db = store::open_store({"/nonexistent-data-dir", backend.url()});
    db->increment_llm_count(1, "2025-01-01");
  }
  CHECK(backend.open()->llm_count(1, "2025-01-01") == 1);
}

TEST_CASE("store: the PostgreSQL store reconnects after the server dropped it<postgres>") {
  testing::postgres_backend backend;
  // A name of its own, so only this test's connection is terminated.
  auto url = testing::with_parameter(backend.url(), "application_name=reconnect_test");
  auto db = store::open_postgres(url);
  db->increment_llm_count(1, "2025-01-01");
  backend.exec_raw(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'reconnect_test'");
  // The first call may see the dead connection; the store must recover by the next one.
  try {
    db->increment_llm_count(1, "2025-01-01");
  } catch (const store::store_error&) {
  }
  CHECK(db->increment_llm_count(1, "2025-01-02") == 1);
  CHECK(db->llm_count(1, "2025-01-01") >= 1);
}
