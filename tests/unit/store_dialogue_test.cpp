// The store suite, part 3: dialogue state, the /clear_profile question and clear_user
// (docs/behaviour.md §4.6, §4.10; docs/telegram.md §3.2).
#include <doctest/doctest.h>

#include <map>

#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

store::dialogue_record dialogue(std::string step) {
  store::dialogue_record d;
  d.step = std::move(step);
  d.nonce = "a1b2c3d4";
  d.expires_at = 1'800'000'000;
  d.fields_json = R"({"date":"1990-03-15","time":null})";
  d.candidates_json =
      R"([{"label":"Москва, Россия","lat":55.7522},{"label":"Москва, Айдахо, США"}])";
  d.keyboard_messages = {17, 4'294'967'297, -3};
  return d;
}

store::birth_record birth() {
  store::birth_record b;
  b.date = "2000-01-01";
  b.place_label = "Тверь, Тверская область, Россия";
  b.latitude = 56.8587;
  b.longitude = 35.9176;
  b.zone = "Europe/Moscow";
  return b;
}

store::inbox_row row(std::int64_t id, std::int64_t chat) {
  store::inbox_row r;
  r.update_id = id;
  r.chat_id = chat;
  r.json = "{}";
  return r;
}

}  // namespace

TEST_CASE_TEMPLATE("store: dialogue state is saved, replaced and deleted whole", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_dialogue(11).has_value());

  db->save_dialogue(11, dialogue("CHOICE"));
  auto d = db->load_dialogue(11);
  REQUIRE(d.has_value());
  CHECK(d->step == "CHOICE");
  CHECK(d->nonce == "a1b2c3d4");
  CHECK(d->expires_at == 1'800'000'000);
  CHECK(d->fields_json == R"({"date":"1990-03-15","time":null})");
  CHECK(d->candidates_json == dialogue("").candidates_json);
  CHECK(d->keyboard_messages == std::vector<std::int64_t>{17, 4'294'967'297, -3});
  CHECK(d->updated_at > 1'600'000'000);

  // Saving the same state twice (a re-run) and then a new state: one row, the latest values.
  db->save_dialogue(11, dialogue("CHOICE"));
  auto next = dialogue("CONFIRM");
  next.nonce = "ffff0000";
  next.keyboard_messages.clear();
  db->save_dialogue(11, next);
  d = db->load_dialogue(11);
  CHECK(d->step == "CONFIRM");
  CHECK(d->nonce == "ffff0000");
  CHECK(d->keyboard_messages.empty());

  CHECK_FALSE(db->load_dialogue(12).has_value());
  db->delete_dialogue(11);
  db->delete_dialogue(11);  // idempotent
  CHECK_FALSE(db->load_dialogue(11).has_value());
}

TEST_CASE_TEMPLATE("store: the pending /clear_profile question", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_clear_request(4).has_value());
  db->save_clear_request(4, {"0badc0de", 1000});
  db->save_clear_request(4, {"12345678", 2000});  // a new question replaces the old one
  auto r = db->load_clear_request(4);
  REQUIRE(r.has_value());
  CHECK(r->nonce == "12345678");
  CHECK(r->expires_at == 2000);
  db->delete_clear_request(4);
  CHECK_FALSE(db->load_clear_request(4).has_value());
}

TEST_CASE_TEMPLATE("store: has_personal_data sees birth data, settings, subscription, dialogue", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->has_personal_data(1));
  db->save_birth(1, birth());
  CHECK(db->has_personal_data(1));

  db->set_house_system(2, 'E');
  CHECK(db->has_personal_data(2));

  store::subscription_record s;
  s.zone = "Europe/Moscow";
  db->save_subscription(3, s);
  CHECK(db->has_personal_data(3));

  db->save_dialogue(4, dialogue("DATE"));
  CHECK(db->has_personal_data(4));

  db->increment_llm_count(5, "2025-01-01");  // a counter alone is nothing to delete
  db->save_clear_request(5, {"00000000", 1});
  CHECK_FALSE(db->has_personal_data(5));
}

TEST_CASE_TEMPLATE("store: clear_user deletes every personal record in one go, and only those", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  const std::int64_t me = 42, other = 43;
  std::map<std::int64_t, std::int64_t> version;
  for (auto id : {me, other}) {
    version[id] = db->save_birth(id, birth());
    db->set_house_system(id, 'K');
    REQUIRE(db->save_natal_chart(id, version[id], 'K', "{}"));
    store::subscription_record s;
    s.zone = "Europe/Moscow";
    db->save_subscription(id, s);
    db->save_dialogue(id, dialogue("TIME"));
    db->save_clear_request(id, {"cafebabe", 2'000'000'000});
    db->increment_llm_count(id, "2025-06-01");
  }
  // Inbox: my done row, my pending row (the press being handled), a group row, the other's row.
  db->insert_batch({row(1, me), row(2, me), row(3, -100), row(4, other)}, 5);
  db->mark_done({1, 3, 4});
  db->record_sent({{1, 0, "a"}, {2, 0, "b"}, {3, 0, "c"}, {4, 0, "d"}});

  db->clear_user(me);

  CHECK_FALSE(db->load_user(me).has_value());
  CHECK_FALSE(db->load_birth(me).has_value());
  CHECK_FALSE(db->load_natal_cache(me, version[me], 'K').has_value());
  CHECK(db->house_system(me) == 'P');
  CHECK_FALSE(db->load_subscription(me).has_value());
  CHECK_FALSE(db->load_dialogue(me).has_value());
  CHECK_FALSE(db->load_clear_request(me).has_value());
  CHECK_FALSE(db->has_personal_data(me));
  CHECK_FALSE(db->find(1).has_value());
  CHECK(db->sent_for(1).empty());
  // The pending row and its sent-log survive, so a crash-and-re-run still finds them.
  CHECK(db->find(2).has_value());
  CHECK(db->sent_for(2).size() == 1);
  CHECK(db->find(3).has_value());
  CHECK(db->llm_count(me, "2025-06-01") == 1);  // kept: clearing must not reset the daily limit

  // The other user is untouched.
  CHECK(db->load_user(other).has_value());
  CHECK(db->load_birth(other).has_value());
  CHECK(db->load_natal_cache(other, version[other], 'K').has_value());
  CHECK(db->house_system(other) == 'K');
  CHECK(db->load_subscription(other).has_value());
  CHECK(db->load_dialogue(other).has_value());
  CHECK(db->load_clear_request(other).has_value());
  CHECK(db->find(4).has_value());
  CHECK(db->sent_for(4).size() == 1);

  db->clear_user(me);  // a re-run after a crash
  CHECK_FALSE(db->has_personal_data(me));
}
