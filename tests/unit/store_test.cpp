// The store suite, part 1: inbox, offset, sent-log (docs/telegram.md §3), schema and opening. Every
// TEST_CASE_TEMPLATE runs on SQLite and on PostgreSQL (tests/unit/store_backends.hpp).
#include "clients/store/store.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>

#include "clients/store/migrations.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

store::inbox_row row(std::int64_t id, std::int64_t chat, std::string json = "{}") {
  store::inbox_row r;
  r.update_id = id;
  r.chat_id = chat;
  r.json = std::move(json);
  return r;
}

}  // namespace

TEST_CASE_TEMPLATE("store: a fresh store has no offset and no pending rows", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->next_offset().has_value());
  CHECK(db->pending().empty());
}

TEST_CASE("store: data directory is 0700 and the database file 0600") {
  testing::temp_dir dir;
  auto data = dir.path() + "/data";
  auto db = store::open_sqlite(data);
  struct stat st {};
  REQUIRE(::stat(data.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  REQUIRE(::stat((data + "/nocturna.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("store: the SQLite database runs in WAL mode") {
  testing::sqlite_backend backend;
  auto db = backend.open();
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open((backend.data_dir() + "/nocturna.db").c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST_CASE_TEMPLATE("store: batch and offset are stored together and survive reopening", B,
                   STORE_BACKENDS) {
  B backend;
  {
    auto db = backend.open();
    db->insert_batch({row(10, 1, R"({"update_id":10})"), row(11, 2)}, 12);
  }
  auto db = backend.open();
  REQUIRE(db->next_offset().has_value());
  CHECK(*db->next_offset() == 12);
  auto pending = db->pending();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].update_id == 10);
  CHECK(pending[0].json == R"({"update_id":10})");
  CHECK(pending[1].chat_id.value_or(0) == 2);
}

TEST_CASE_TEMPLATE("store: 64-bit update and chat ids and a missing chat id round-trip", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  auto r = row(5'000'000'000, -1'001'234'567'890);
  auto no_chat = row(5'000'000'001, 0);
  no_chat.chat_id.reset();
  db->insert_batch({r, no_chat}, 5'000'000'002);
  CHECK(*db->next_offset() == 5'000'000'002);
  CHECK(db->find(5'000'000'000)->chat_id == -1'001'234'567'890);
  CHECK_FALSE(db->find(5'000'000'001)->chat_id.has_value());
}

TEST_CASE_TEMPLATE("store: a re-delivered update_id is ignored, not duplicated or overwritten", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->insert_batch({row(5, 1, "first")}, 6) == 1);
  db->mark_done({5});
  CHECK(db->insert_batch({row(5, 1, "second"), row(6, 1, "new")}, 7) == 1);
  auto r = db->find(5);
  REQUIRE(r.has_value());
  CHECK(r->json == "first");
  CHECK(r->state == store::inbox_state::done);
  REQUIRE(db->pending().size() == 1);
  CHECK(db->pending()[0].update_id == 6);
}

TEST_CASE_TEMPLATE("store: done, dead and attempts", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->insert_batch({row(1, 1), row(2, 1), row(3, 1)}, 4);
  db->mark_done({1});
  db->mark_dead(2, "poison");
  CHECK(db->add_attempt(3) == 1);
  CHECK(db->add_attempt(3) == 2);
  CHECK(db->add_attempt(99) == 0);  // unknown row
  auto pending = db->pending();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].update_id == 3);
  CHECK(pending[0].attempts == 2);
  CHECK(db->find(2)->state == store::inbox_state::dead);
}

TEST_CASE_TEMPLATE("store: rows stored dead or done never come back as pending", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  auto dead = row(7, 1, "{broken");
  dead.state = store::inbox_state::dead;
  auto done = row(8, 0);
  done.state = store::inbox_state::done;
  db->insert_batch({dead, done}, 9);
  CHECK(db->pending().empty());
  CHECK(db->find(7)->state == store::inbox_state::dead);
}

TEST_CASE_TEMPLATE("store: the sent-log keeps each call's result by update and sequence", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->record_sent(
      {{42, 0, R"({"message_id":5})"}, {42, 1, R"({"message_id":6})"}, {43, 0, "true"}});
  auto sent = db->sent_for(42);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0] == R"({"message_id":5})");
  CHECK(sent[1] == R"({"message_id":6})");
  CHECK(db->sent_for(44).empty());
  // Recording the same key again (a re-run) replaces, never duplicates.
  db->record_sent({{42, 1, R"({"message_id":7})"}});
  CHECK(db->sent_for(42).size() == 2);
  CHECK(db->sent_for(42)[1] == R"({"message_id":7})");
}

TEST_CASE_TEMPLATE("store: purge removes finished rows and their sent-log, keeps pending ones", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->insert_batch({row(1, 1), row(2, 1)}, 3);
  db->mark_done({1});
  db->record_sent({{1, 0, "x"}});
  db->purge(-1);  // everything finished is older than "one second in the future"
  CHECK_FALSE(db->find(1).has_value());
  CHECK(db->sent_for(1).empty());
  CHECK(db->find(2).has_value());
}

TEST_CASE_TEMPLATE("store: hostile text is stored byte for byte", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  std::string hostile = "'); DROP TABLE inbox; -- <b>&amp; \xF0\x9F\x8C\x9F ";
  hostile += std::string(100000, 'x');
  db->insert_batch({row(1, 1, hostile)}, 2);
  CHECK(db->find(1)->json == hostile);
}

TEST_CASE_TEMPLATE("store: reopening keeps the schema version and a newer schema is refused", B,
                   STORE_BACKENDS) {
  B backend;
  {
    auto db = backend.open();
    db->insert_batch({row(1, 1)}, 2);
  }
  { CHECK(backend.open()->find(1).has_value()); }
  backend.exec_raw("UPDATE schema_version SET version = 999");
  CHECK_THROWS_AS(backend.open(), store::store_error);
}

TEST_CASE_TEMPLATE("store: connections opening a new database at once migrate it once", B,
                   STORE_BACKENDS) {
  B backend;
  constexpr int n = 4;
  std::vector<std::unique_ptr<store::store>> stores(n);
  std::vector<std::string> errors(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      try {
        stores[i] = backend.open();
        stores[i]->insert_batch({row(100 + i, 1)}, 200);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors) CHECK(e == "");
  CHECK(backend.open()->pending().size() == n);
}

TEST_CASE("store: a version-1 SQLite database is migrated and keeps its rows") {
  testing::sqlite_backend backend;
  std::filesystem::create_directories(backend.data_dir());
  backend.exec_raw(std::string(store::sqlite_migrations()[0]) +
                   "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                   "INSERT INTO schema_version VALUES (1);"
                   "INSERT INTO inbox(update_id, chat_id, json, received_at) "
                   "VALUES (7, 7, '{}', 0);");
  auto db = backend.open();
  CHECK(db->find(7).has_value());
  db->save_dialogue(7, store::dialogue_record{"DATE", "0123abcd", 100, "{}", "[]", {}, 0});
  CHECK(db->load_dialogue(7).has_value());
}

TEST_CASE("store: a version-2 database's birth versions (clock-based) stay below new ones") {
  testing::sqlite_backend backend;
  std::filesystem::create_directories(backend.data_dir());
  // Before migration 3, versions were milliseconds of the clock; a cached chart may carry one.
  backend.exec_raw(std::string(store::sqlite_migrations()[0]) + store::sqlite_migrations()[1] +
                   "CREATE TABLE schema_version (version INTEGER NOT NULL);"
                   "INSERT INTO schema_version VALUES (2);"
                   "INSERT INTO birth_data(user_id, birth_date, place_label, source, latitude, "
                   "longitude, zone_name, version, updated_at) "
                   "VALUES (5, '1990-01-01', 'X', 'gazetteer', 0, 0, 'UTC', 1700000000000, 0);"
                   "INSERT INTO natal_cache(user_id, birth_version, house_system, chart_json, "
                   "updated_at) VALUES (6, 1800000000000, 'P', '{}', 0);");
  auto db = backend.open();
  store::birth_record b;
  b.date = "1991-02-02";
  b.place_label = "Y";
  b.zone = "UTC";
  CHECK(db->save_birth(5, b) == 1800000000001);
}

TEST_CASE("store: open_store picks SQLite for an empty DATABASE_URL and refuses other schemes") {
  testing::temp_dir dir;
  auto db = store::open_store({dir.path() + "/data", ""});
  CHECK(std::filesystem::exists(dir.path() + "/data/nocturna.db"));
  try {
    store::open_store({dir.path(), "mysql://user:hunter2@localhost/db"});
    FAIL("expected store_error");
  } catch (const store::store_error& e) {
    std::string what = e.what();
    CHECK(what.find("hunter2") == std::string::npos);
    CHECK(what.find("mysql://user:***@localhost/db") != std::string::npos);
  }
}
