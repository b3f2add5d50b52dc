// The store's chat moves: a group that became a supergroup takes its inbox rows to the new id, on
// SQLite and on PostgreSQL; PostgreSQL cancels a statement stuck longer than statement_timeout.
#include <doctest/doctest.h>
#include <libpq-fe.h>

#include "clients/store/chat_moves.hpp"
#include "clients/store/postgres_store.hpp"
#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

store::inbox_row row(std::int64_t id, std::int64_t chat) {
  store::inbox_row r;
  r.update_id = id;
  r.chat_id = chat;
  r.json = "{}";
  return r;
}

}  // namespace

TEST_CASE_TEMPLATE("store: a migrated group's inbox rows move to the new chat id", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->insert_batch({row(1, -5), row(2, 7), row(3, -5), row(4, -6)}, 5);
  db->mark_done({1});
  CHECK(store::move_chat(*db, -5, -1005) == 2);
  CHECK(store::move_chat(*db, -5, -1005) == 0);  // nothing left under the old id
  CHECK(store::move_chat(*db, 7, 7) == 0);
  auto pending = db->pending();
  REQUIRE(pending.size() == 3);
  CHECK(pending[0].chat_id == 7);
  CHECK(pending[1].chat_id == -1005);
  CHECK(pending[2].chat_id == -6);
  auto done = db->find(1);
  REQUIRE(done);
  CHECK(done->chat_id == -1005);
}

TEST_CASE("store: a statement stuck on a lock is cancelled by statement_timeout<postgres>") {
  testing::postgres_backend backend;
  backend.open();  // the schema
  auto db = store::open_postgres(backend.url(), 1);
  PGconn* holder = PQconnectdb(backend.url().c_str());
  REQUIRE(PQstatus(holder) == CONNECTION_OK);
  auto run = [&](const char* sql) {
    PGresult* r = PQexec(holder, sql);
    auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK;
  };
  REQUIRE(run("BEGIN"));
  REQUIRE(run("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"));
  std::string error;
  try {
    db->load_user(1);
  } catch (const store::store_error& e) {
    error = e.what();
  }
  CHECK(error.find("statement timeout") != std::string::npos);
  REQUIRE(run("ROLLBACK"));
  PQfinish(holder);
  CHECK_FALSE(db->load_user(1).has_value());  // the connection keeps working
}
