// The store suite, part 2: users, birth data, settings, natal cache (docs/behaviour.md §4.6, §4.11,
// §8).
#include <doctest/doctest.h>

#include <set>

#include "clients/store/store.hpp"
#include "tests/unit/birth_fixtures.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

using nocturna::testing::moscow;

store::subscription_record subscription(std::string zone) {
  store::subscription_record s;
  s.time = "08:30";
  s.zone = std::move(zone);
  s.next_due_utc = 1'700'000'000;
  return s;
}

}  // namespace

TEST_CASE_TEMPLATE("store: a user row appears with the first write and tracks blocking", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_user(1).has_value());
  CHECK_FALSE(db->set_user_active(1, false));  // my_chat_member of a stranger stores nothing
  CHECK_FALSE(db->load_user(1).has_value());

  db->save_subscription(1, subscription("Europe/Moscow"));
  auto user = db->load_user(1);
  REQUIRE(user.has_value());
  CHECK(user->active);
  CHECK(user->first_seen > 1'600'000'000);

  CHECK(db->set_user_active(1, false));
  CHECK_FALSE(db->load_user(1)->active);
  auto sub = db->load_subscription(1);
  CHECK_FALSE(sub->active);
  CHECK(sub->disabled_reason == "blocked");

  // Unblocking marks the user active but does not resubscribe (docs/behaviour.md §1.1).
  CHECK(db->set_user_active(1, true));
  CHECK(db->load_user(1)->active);
  CHECK_FALSE(db->load_subscription(1)->active);
  CHECK(db->load_user(1)->first_seen == user->first_seen);
}

TEST_CASE_TEMPLATE("store: birth data round-trip exactly, also unknown time and location", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_birth(5).has_value());

  auto b = moscow();
  auto v = db->save_birth(5, b);
  auto got = db->load_birth(5);
  REQUIRE(got.has_value());
  CHECK(got->date == "1990-03-15");
  CHECK(got->time == "14:30");
  CHECK(got->place_label == "Москва, Россия");
  CHECK(got->source == store::place_source::gazetteer);
  CHECK_FALSE(got->distance_km.has_value());
  CHECK(got->latitude == 55.7522);
  CHECK(got->longitude == 37.6156);
  CHECK(got->zone == "Europe/Moscow");
  CHECK(got->version == v);
  CHECK(got->updated_at > 1'600'000'000);

  store::birth_record loc;
  loc.date = "1977-01-01";
  loc.place_label = "Пагопаго, Eastern District, Американское Самоа";
  loc.source = store::place_source::location;
  loc.distance_km = 1977.4321;
  loc.latitude = -0.1234567890123456;
  loc.longitude = -160.00000000000003;
  loc.zone = "Pacific/Pago_Pago";
  db->save_birth(6, loc);
  got = db->load_birth(6);
  REQUIRE(got.has_value());
  CHECK_FALSE(got->time.has_value());
  CHECK(got->source == store::place_source::location);
  CHECK(got->distance_km == 1977.4321);
  CHECK(got->latitude == -0.1234567890123456);  // every bit of the double
  CHECK(got->longitude == -160.00000000000003);
}

TEST_CASE_TEMPLATE("store: saving the same birth data again is a no-op, new data invalidate", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  auto v1 = db->save_birth(7, moscow());
  REQUIRE(db->save_natal_chart(7, v1, 'P', R"({"chart":1})"));
  db->save_subscription(7, subscription("Europe/Moscow"));

  // A re-run of the same save keeps the version and the cache.
  CHECK(db->save_birth(7, moscow()) == v1);
  CHECK(db->load_natal_cache(7, v1, 'P').has_value());
  CHECK(db->load_subscription(7)->next_due_utc == 1'700'000'000);

  auto moved = moscow();
  moved.place_label = "Новосибирск, Россия";
  moved.zone = "Asia/Novosibirsk";
  auto v2 = db->save_birth(7, moved);
  CHECK(v2 > v1);
  CHECK_FALSE(db->load_natal_cache(7, v1, 'P').has_value());
  CHECK_FALSE(db->load_natal_cache(7, v2, 'P').has_value());
  auto sub = db->load_subscription(7);
  CHECK(sub->zone == "Asia/Novosibirsk");      // the subscription follows the birth zone
  CHECK_FALSE(sub->next_due_utc.has_value());  // the scheduler recomputes it
  CHECK(sub->time == "08:30");

  // After a clear, a new save never reuses an old version.
  db->clear_user(7);
  CHECK(db->save_birth(7, moscow()) > v2);
}

TEST_CASE_TEMPLATE("store: birth versions never repeat across clears and reopening", B,
                   STORE_BACKENDS) {
  B backend;
  std::set<std::int64_t> seen;
  std::int64_t last = 0;
  bool increasing = true;
  {
    auto db = backend.open();
    // Save, clear, save again in a tight loop: most iterations land in the same millisecond.
    for (int i = 0; i < 1000; ++i) {
      const auto v = db->save_birth(11, moscow());
      increasing = increasing && v > last;
      last = v;
      seen.insert(v);
      db->clear_user(11);
    }
  }
  CHECK(seen.size() == 1000);
  CHECK(increasing);
  // A new connection (a restart) carries on above every version handed out before.
  auto db = backend.open();
  CHECK(db->save_birth(11, moscow()) > last);
  CHECK(db->save_birth(12, moscow()) > last);  // store-wide: another user too
}

TEST_CASE_TEMPLATE(
    "store: the house system defaults to Placidus and a change drops the natal cache", B,
    STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->house_system(3) == 'P');
  CHECK_FALSE(db->set_house_system(3, 'P'));  // already the effective value: nothing written
  CHECK_FALSE(db->has_personal_data(3));

  auto v = db->save_birth(3, moscow());
  REQUIRE(db->save_natal_chart(3, v, 'P', "{}"));
  CHECK(db->set_house_system(3, 'K'));
  CHECK(db->house_system(3) == 'K');
  CHECK_FALSE(db->load_natal_cache(3, v, 'P').has_value());
  CHECK_FALSE(db->set_house_system(3, 'K'));
  CHECK(db->house_system(4) == 'P');  // per user

  // Settings may exist without birth data; the user row comes with them.
  CHECK(db->set_house_system(9, 'W'));
  CHECK(db->house_system(9) == 'W');
  CHECK(db->load_user(9).has_value());
}

TEST_CASE_TEMPLATE("store: the natal cache serves only the current birth version and system", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->save_natal_chart(2, 1, 'P', "{}"));  // no birth data: nothing to cache for

  auto v = db->save_birth(2, moscow());
  CHECK_FALSE(db->save_natal_chart(2, v + 1, 'P', "{}"));  // a version that is not current
  REQUIRE(db->save_natal_chart(2, v, 'P', R"({"planets":[]})"));
  CHECK_FALSE(db->load_natal_cache(2, v, 'K').has_value());
  CHECK_FALSE(db->load_natal_cache(2, v - 1, 'P').has_value());

  CHECK(db->save_natal_picture(2, v, 'P', "AgACAgIAAxkBAAIB"));
  CHECK(db->save_natal_interpretation(2, v, 'P', "🌟 <b>Текст</b>", "llm"));
  CHECK_FALSE(db->save_natal_picture(2, v, 'K', "other"));  // not the cached key

  auto c = db->load_natal_cache(2, v, 'P');
  REQUIRE(c.has_value());
  CHECK(c->birth_version == v);
  CHECK(c->house_system == 'P');
  CHECK(c->chart_json == R"({"planets":[]})");
  CHECK(c->picture_file_id == "AgACAgIAAxkBAAIB");
  CHECK(c->interpretation == "🌟 <b>Текст</b>");
  CHECK(c->interpretation_source == "llm");

  // Re-saving the chart of the same key (a re-run) keeps picture and interpretation.
  REQUIRE(db->save_natal_chart(2, v, 'P', R"({"planets":[1]})"));
  c = db->load_natal_cache(2, v, 'P');
  CHECK(c->chart_json == R"({"planets":[1]})");
  CHECK(c->picture_file_id == "AgACAgIAAxkBAAIB");
  CHECK(c->interpretation_source == "llm");

  // A chart of another system replaces the entry, without the old picture or text.
  REQUIRE(db->save_natal_chart(2, v, 'K', "{}"));
  CHECK_FALSE(db->load_natal_cache(2, v, 'P').has_value());
  c = db->load_natal_cache(2, v, 'K');
  REQUIRE(c.has_value());
  CHECK_FALSE(c->picture_file_id.has_value());
  CHECK_FALSE(c->interpretation.has_value());
}
