#include "clients/store/store.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "tests/support/bot_process.hpp"

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

TEST_CASE("store: a fresh store has no offset and no pending rows") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path() + "/data");
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

TEST_CASE("store: batch and offset are stored together and survive reopening") {
  testing::temp_dir dir;
  auto path = dir.path() + "/data";
  {
    auto db = store::open_sqlite(path);
    db->insert_batch({row(10, 1, R"({"update_id":10})"), row(11, 2)}, 12);
  }
  auto db = store::open_sqlite(path);
  REQUIRE(db->next_offset().has_value());
  CHECK(*db->next_offset() == 12);
  auto pending = db->pending();
  REQUIRE(pending.size() == 2);
  CHECK(pending[0].update_id == 10);
  CHECK(pending[0].json == R"({"update_id":10})");
  CHECK(pending[1].chat_id.value_or(0) == 2);
}

TEST_CASE("store: a re-delivered update_id is ignored, not duplicated or overwritten") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  db->insert_batch({row(5, 1, "first")}, 6);
  db->mark_done({5});
  db->insert_batch({row(5, 1, "second")}, 6);
  auto r = db->find(5);
  REQUIRE(r.has_value());
  CHECK(r->json == "first");
  CHECK(r->state == store::inbox_state::done);
  CHECK(db->pending().empty());
}

TEST_CASE("store: done, dead and attempts") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  db->insert_batch({row(1, 1), row(2, 1), row(3, 1)}, 4);
  db->mark_done({1});
  db->mark_dead(2, "poison");
  CHECK(db->add_attempt(3) == 1);
  CHECK(db->add_attempt(3) == 2);
  auto pending = db->pending();
  REQUIRE(pending.size() == 1);
  CHECK(pending[0].update_id == 3);
  CHECK(pending[0].attempts == 2);
  CHECK(db->find(2)->state == store::inbox_state::dead);
}

TEST_CASE("store: rows stored dead or done never come back as pending") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  auto dead = row(7, 1, "{broken");
  dead.state = store::inbox_state::dead;
  auto done = row(8, 0);
  done.state = store::inbox_state::done;
  db->insert_batch({dead, done}, 9);
  CHECK(db->pending().empty());
  CHECK(db->find(7)->state == store::inbox_state::dead);
}

TEST_CASE("store: the sent-log keeps each call's result by update and sequence") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  db->record_sent(
      {{42, 0, R"({"message_id":5})"}, {42, 1, R"({"message_id":6})"}, {43, 0, "true"}});
  auto sent = db->sent_for(42);
  REQUIRE(sent.size() == 2);
  CHECK(sent[0] == R"({"message_id":5})");
  CHECK(sent[1] == R"({"message_id":6})");
  CHECK(db->sent_for(44).empty());
}

TEST_CASE("store: purge removes finished rows and their sent-log, keeps pending ones") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  db->insert_batch({row(1, 1), row(2, 1)}, 3);
  db->mark_done({1});
  db->record_sent({{1, 0, "x"}});
  db->purge(-1);  // everything finished is older than "one second in the future"
  CHECK_FALSE(db->find(1).has_value());
  CHECK(db->sent_for(1).empty());
  CHECK(db->find(2).has_value());
}

TEST_CASE("store: hostile text is stored byte for byte") {
  testing::temp_dir dir;
  auto db = store::open_sqlite(dir.path());
  std::string hostile = "'); DROP TABLE inbox; -- <b>&amp; \xF0\x9F\x8C\x9F ";
  hostile += std::string(100000, 'x');
  db->insert_batch({row(1, 1, hostile)}, 2);
  CHECK(db->find(1)->json == hostile);
}
