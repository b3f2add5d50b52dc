// The store suite, part 5: hostile text (HTML, &, quotes, 10 KB, emoji, RTL, SQL-looking, control
// characters) goes into every text column and comes back byte for byte.
#include <doctest/doctest.h>

#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

std::vector<std::string> hostile_texts() {
  std::string ten_kb;
  while (ten_kb.size() < 10 * 1024) ten_kb += "Ж<&>\"'🌟";
  return {
      "<b>Гор&од</b><script>alert(1)</script>&amp;&lt;",
      "O'Brien \"quoted\" `back` \\ backslash \\' \\\"",
      "'); DROP TABLE users; --",
      "1; DELETE FROM birth_data WHERE 1=1; SELECT ? , $1, $2::text, :name, @p, %s",
      "🌟🔮👩‍👩‍👧‍👦 🇷🇺 \xF0\x9F\x98\x80",
      "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xE2\x80\xAE"
      "txt.exe\xE2\x80\xAC",  // Hebrew, Arabic, right-to-left override
      "tab\tnew\nline\rcr \x01\x1f e\xCC\x81 zero\xE2\x80\x8Bwidth",
      ten_kb,
      std::string(),
  };
}

}  // namespace

TEST_CASE_TEMPLATE("store: hostile strings survive every text column byte for byte", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  std::int64_t user = 1000;
  for (const auto& h : hostile_texts()) {
    CAPTURE(h.size());
    ++user;
    store::birth_record b;
    b.date = "1990-03-15";
    b.time = h;
    b.place_label = h;
    b.zone = h;
    auto v = db->save_birth(user, b);
    auto got = db->load_birth(user);
    REQUIRE(got.has_value());
    CHECK(got->place_label == h);
    CHECK(got->zone == h);
    CHECK(got->time == h);

    REQUIRE(db->save_natal_chart(user, v, 'P', h));
    CHECK(db->save_natal_picture(user, v, 'P', h));
    CHECK(db->save_natal_interpretation(user, v, 'P', h, h));
    auto c = db->load_natal_cache(user, v, 'P');
    REQUIRE(c.has_value());
    CHECK(c->chart_json == h);
    CHECK(c->picture_file_id == h);
    CHECK(c->interpretation == h);
    CHECK(c->interpretation_source == h);

    store::dialogue_record d{h, h, 1, h, h, {1}, 0};
    db->save_dialogue(user, d);
    auto gd = db->load_dialogue(user);
    REQUIRE(gd.has_value());
    CHECK(gd->step == h);
    CHECK(gd->nonce == h);
    CHECK(gd->fields_json == h);
    CHECK(gd->candidates_json == h);

    db->save_clear_request(user, {h, 5});
    CHECK(db->load_clear_request(user)->nonce == h);

    store::subscription_record s;
    s.time = h;
    s.zone = h;
    s.last_sent_local_date = h;
    s.disabled_reason = h;
    db->save_subscription(user, s);
    auto gs = db->load_subscription(user);
    CHECK(gs->time == h);
    CHECK(gs->zone == h);
    CHECK(gs->last_sent_local_date == h);
    CHECK(gs->disabled_reason == h);

    CHECK(db->increment_llm_count(user, h) == 1);
    CHECK(db->llm_count(user, h) == 1);

    db->save_day_interpretation(h, h, h, h);
    CHECK(db->load_day_interpretation(h, h, h) == h);
    db->save_sky_picture(user, 'P', h);
    CHECK(db->load_sky_picture(user, 'P') == h);

    store::inbox_row r;
    r.update_id = user;
    r.chat_id = user;
    r.json = h;
    db->insert_batch({r}, user + 1);
    CHECK(db->find(user)->json == h);
    db->record_sent({{user, 0, h}});
    CHECK(db->sent_for(user)[0] == h);
    db->mark_dead(user, h);
  }
  // Nothing was executed as SQL: the tables are all still there.
  CHECK(db->has_personal_data(1001));
}

TEST_CASE_TEMPLATE("store: a NUL byte is refused alike by both backends", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  store::birth_record b;
  b.date = "1990-03-15";
  b.place_label = std::string("Mos\0cow", 7);
  b.zone = "Europe/Moscow";
  CHECK_THROWS_AS(db->save_birth(1, b), store::store_error);
  CHECK_FALSE(db->load_birth(1).has_value());  // nothing half-written
  CHECK_FALSE(db->load_user(1).has_value());
}

TEST_CASE("store: a write refused by the database loses nothing and works once it is allowed") {
  testing::sqlite_backend backend;
  auto db = backend.open();
  store::birth_record b;
  b.date = "1990-03-15";
  b.time = "14:30";
  b.place_label = "Москва, Россия";
  b.latitude = 55.75;
  b.longitude = 37.62;
  b.zone = "Europe/Moscow";
  // Another connection (an operator, a failing disk) makes the database refuse birth data.
  backend.exec_raw(
      "CREATE TRIGGER refuse_birth BEFORE INSERT ON birth_data "
      "BEGIN SELECT RAISE(ABORT, 'refused'); END;");
  CHECK_THROWS_AS(db->save_birth(7, b), store::store_error);
  CHECK_FALSE(db->load_birth(7).has_value());
  // What the bot does next on the same connection: keeps the dialogue, answers /profile.
  store::dialogue_record d;
  d.step = "confirm";
  d.nonce = "abcd1234";
  d.expires_at = 4102444800;
  db->save_dialogue(7, d);
  CHECK(db->load_dialogue(7).has_value());
  CHECK(db->house_system(7) == 'P');
  CHECK_FALSE(db->load_subscription(7).has_value());
  backend.exec_raw("DROP TRIGGER refuse_birth;");
  // The same connection, with its cached statements, sees the trigger gone.
  CHECK_NOTHROW(db->save_birth(7, b));
  REQUIRE(db->load_birth(7).has_value());
  CHECK(db->load_birth(7)->place_label == "Москва, Россия");
}
