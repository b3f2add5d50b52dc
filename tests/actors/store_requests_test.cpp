// The store actor's typed requests (actors/store_requests.hpp) against real SQLite in a temporary
// directory, asked the way the bot's actors ask them (actors/ask_store.hpp), on CAF's test
// coordinator: what each operation answers and stores, the operations that read and write in one
// request, and a request whose store calls throw, which is answered with the store's error.
#define CAF_SUITE store_requests

#include <sqlite3.h>

#include "actors/ask_store.hpp"
#include "actors/store_actor.hpp"
#include "tests/actors/actor_fixture.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

store::birth_record birth_in(const std::string& zone, std::optional<std::string> time = "10:30") {
  store::birth_record b;
  b.date = "1990-05-17";
  b.time = std::move(time);
  b.place_label = "Москва, Россия";
  b.latitude = 55.75;
  b.longitude = 37.62;
  b.zone = zone;
  return b;
}

struct store_fixture : actor_fixture {
  store_fixture() { start_store(); }

  // Asks the store from a fresh actor as actors/ask_store.hpp does and runs the coordinator
  // until the answer is in; `failures` collects what the asker would have logged.
  template <class Answer, class... Request>
  actors::store_outcome<Answer> ask(Request... request) {
    auto out = std::make_shared<std::optional<actors::store_outcome<Answer>>>();
    auto logged = std::make_shared<std::vector<std::string>>();
    sys.spawn([=](caf::event_based_actor* asker) {
      actors::ask_store<Answer>(
          asker, std::chrono::seconds(5),
          [logged](const std::string& why) { logged->push_back(why); },
          [out](actors::store_outcome<Answer> answer) { *out = std::move(answer); }, request...);
    });
    sched.run();
    CAF_REQUIRE(out->has_value());
    for (auto& why : *logged) failures.push_back(why);
    return std::move(**out);
  }

  std::vector<std::string> failures;
};

}  // namespace

CAF_TEST_FIXTURE_SCOPE(store_request_tests, store_fixture)

CAF_TEST(birth data saved through the store are what the profile and settings requests read) {
  std::int64_t user = 7001;
  auto empty = ask<msg::profile_data>(atoms::load_profile::value, user);
  CAF_REQUIRE(empty.has_value());
  CAF_CHECK(!empty->birth);
  CAF_CHECK_EQUAL(empty->system, 'P');
  // A dialogue in progress ends with the saved birth data.
  store::dialogue_record d;
  d.step = "CONFIRM";
  d.nonce = "0123abcd";
  d.expires_at = 4'000'000'000;
  CAF_CHECK(ask<void>(atoms::save_dialogue::value, user, d));
  auto saved = ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  CAF_REQUIRE(saved.has_value());
  CAF_CHECK_GREATER(saved->version, 0);
  CAF_CHECK_EQUAL(saved->system, 'P');
  auto dialogue = ask<msg::dialogue_data>(atoms::load_dialogue::value, user);
  CAF_REQUIRE(dialogue.has_value());
  CAF_CHECK(!dialogue->dialogue);
  CAF_CHECK(dialogue->has_birth);
  auto change = ask<msg::house_change>(atoms::set_houses::value, user, 'K');
  CAF_REQUIRE(change.has_value());
  CAF_CHECK_EQUAL(change->before, 'P');
  CAF_CHECK(change->changed);
  CAF_CHECK(!change->time_unknown);
  CAF_CHECK_EQUAL(ask<char>(atoms::load_houses::value, user), std::optional<char>('K'));
  auto profile = ask<msg::profile_data>(atoms::load_profile::value, user);
  CAF_REQUIRE(profile.has_value() && profile->birth.has_value());
  CAF_CHECK_EQUAL(profile->birth->zone, "Europe/Moscow");
  CAF_CHECK_EQUAL(*profile->birth->time, "10:30");
  CAF_CHECK_EQUAL(profile->birth->version, saved->version);
  CAF_CHECK_EQUAL(profile->system, 'K');
  CAF_CHECK(!profile->subscription);
  // The same data checked against the test's own connection.
  CAF_CHECK_EQUAL(db->house_system(user), 'K');
  auto stored = db->load_birth(user);
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->place_label, "Москва, Россия");
}

CAF_TEST(a subscription follows the birth zone and is switched off once) {
  std::int64_t user = 7002;
  auto without = ask<msg::subscription_change>(atoms::subscribe::value, user, std::string{});
  CAF_REQUIRE(without.has_value());
  CAF_CHECK(!without->has_birth);
  CAF_CHECK(!db->load_subscription(user));
  ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Asia/Tokyo"));
  auto first = ask<msg::subscription_change>(atoms::subscribe::value, user, std::string{});
  CAF_REQUIRE(first.has_value());
  CAF_CHECK(first->has_birth && !first->was_active);
  CAF_CHECK_EQUAL(first->time, "09:00");
  CAF_CHECK_EQUAL(first->zone, "Asia/Tokyo");
  auto moved = ask<msg::subscription_change>(atoms::subscribe::value, user, std::string("07:15"));
  CAF_REQUIRE(moved.has_value());
  CAF_CHECK(moved->was_active);
  auto stored = db->load_subscription(user);
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->time, "07:15");
  CAF_CHECK_EQUAL(ask<bool>(atoms::disable_sub::value, user, std::string("user")),
                  std::optional<bool>(true));
  CAF_CHECK_EQUAL(ask<bool>(atoms::disable_sub::value, user, std::string("user")),
                  std::optional<bool>(false));
  stored = db->load_subscription(user);
  CAF_CHECK_EQUAL(stored->disabled_reason, std::optional<std::string>("user"));
}

CAF_TEST(a forecast is claimed once per local date and not at all after the subscription changed) {
  std::int64_t user = 7003;
  ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  ask<msg::subscription_change>(atoms::subscribe::value, user, std::string("08:00"));
  auto due = ask<std::vector<store::due_subscription>>(atoms::due_subs::value,
                                                       std::int64_t{2'000'000'000});
  CAF_REQUIRE(due.has_value());
  CAF_REQUIRE_EQUAL(due->size(), 1u);
  auto seen = due->front().subscription;
  CAF_CHECK(ask<void>(atoms::next_due::value, user, seen, std::int64_t{1'900'000'000}));
  seen.next_due_utc = 1'900'000'000;
  using result = msg::forecast_claim::result;
  auto claim = [&](std::int64_t next) {
    auto c = ask<msg::forecast_claim>(atoms::claim_forecast::value, user, seen,
                                      std::string("2030-03-17"), next);
    CAF_REQUIRE(c.has_value());
    return c->value;
  };
  CAF_CHECK(claim(1'900'086'400) == result::claimed);
  // The first claim stored the next due: the subscription the check read is not current now.
  CAF_CHECK(claim(1'900'086'400) == result::changed);
  seen.next_due_utc = 1'900'086'400;
  CAF_CHECK(claim(1'900'172'800) == result::already);
  auto stored = db->load_subscription(user);
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->next_due_utc, std::optional<std::int64_t>(1'900'172'800));
}

CAF_TEST(partners and an invitation answered once) {
  std::int64_t user = 7004, inviter = 7005;
  ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  ask<msg::birth_saved>(atoms::save_birth::value, inviter, birth_in("Europe/Berlin", std::nullopt));
  store::partner_record p;
  p.name = "Анна";
  p.birth = birth_in("Europe/Paris");
  auto added = ask<msg::partner_saved>(atoms::save_partner::value, user, p, std::int64_t{41});
  CAF_REQUIRE(added.has_value() && added->id.has_value());
  // A re-run of the same update adds nothing and gets the same id.
  auto again = ask<msg::partner_saved>(atoms::save_partner::value, user, p, std::int64_t{41});
  CAF_CHECK_EQUAL(again->id, added->id);
  auto list = ask<msg::partner_list>(atoms::load_partners::value, user);
  CAF_REQUIRE(list.has_value());
  CAF_CHECK(list->has_birth);
  CAF_REQUIRE_EQUAL(list->partners.size(), 1u);
  CAF_CHECK_EQUAL(list->partners[0].name, "Анна");
  CAF_CHECK_EQUAL(list->partners[0].birth.zone, "Europe/Paris");
  auto pair = ask<msg::pair_data>(atoms::load_pair::value, user, *added->id);
  CAF_REQUIRE(pair.has_value() && pair->partner.has_value());
  CAF_CHECK_EQUAL(pair->partner->name, "Анна");

  store::invite_record invite;
  invite.code = "abcdefgh1234";
  invite.inviter = inviter;
  invite.inviter_name = "Борис";
  invite.created_at = 1'700'000'000;
  invite.expires_at = 4'000'000'000;
  CAF_CHECK(ask<void>(atoms::save_invite::value, invite));
  auto opened = ask<msg::invite_view>(atoms::open_invite::value, invite.code, user,
                                      std::int64_t{1'700'000'100});
  CAF_REQUIRE(opened.has_value() && opened->invite.has_value());
  CAF_CHECK(opened->reserved);
  CAF_CHECK_EQUAL(opened->invite->inviter_name, "Борис");
  auto answered = ask<msg::invite_view>(atoms::answer_invite::value, invite.code, user,
                                        std::string("yes"), std::int64_t{42});
  CAF_REQUIRE(answered.has_value());
  CAF_CHECK(answered->answered);
  CAF_REQUIRE(answered->theirs.has_value());
  CAF_CHECK(!answered->theirs->time);  // the inviter's birth time is unknown
  auto twice = ask<msg::invite_view>(atoms::answer_invite::value, invite.code, user,
                                     std::string("no"), std::int64_t{43});
  CAF_CHECK(!twice->answered);
  CAF_CHECK_EQUAL(ask<bool>(atoms::delete_partner::value, user, *added->id),
                  std::optional<bool>(true));
  CAF_CHECK(ask<msg::partner_list>(atoms::load_partners::value, user)->partners.empty());
}

CAF_TEST(the natal cache and the shared caches keep what was stored) {
  std::int64_t user = 7006;
  auto saved = ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  CAF_CHECK_EQUAL(ask<bool>(atoms::cache_natal::value, user, saved->version, 'P',
                            std::string(R"({"chart":1})")),
                  std::optional<bool>(true));
  ask<bool>(atoms::natal_picture::value, user, saved->version, 'P', std::string("file-1"));
  ask<bool>(atoms::natal_text::value, user, saved->version, 'P', std::string("text"),
            std::string("llm"));
  auto personal = ask<msg::personal_data>(atoms::load_personal::value, user);
  CAF_REQUIRE(personal.has_value() && personal->cache.has_value());
  CAF_CHECK_EQUAL(personal->cache->chart_json, R"({"chart":1})");
  CAF_CHECK_EQUAL(*personal->cache->picture_file_id, "file-1");
  CAF_CHECK_EQUAL(*personal->cache->interpretation_source, "llm");
  auto none = ask<msg::stored_text>(atoms::sky_picture::value, std::int64_t{3600}, 'P');
  CAF_CHECK(!none->text);
  ask<void>(atoms::save_sky_picture::value, std::int64_t{3600}, 'P', std::string("sky-file"));
  auto sky = ask<msg::stored_text>(atoms::sky_picture::value, std::int64_t{3600}, 'P');
  CAF_REQUIRE(sky.has_value());
  CAF_CHECK_EQUAL(sky->text, std::optional<std::string>("sky-file"));
  ask<void>(atoms::save_day_text::value, std::string("2030-03-17"), std::string("Москва"),
            std::string("m"), std::string("день"));
  auto day = ask<msg::stored_text>(atoms::day_text::value, std::string("2030-03-17"),
                                   std::string("Москва"), std::string("m"));
  CAF_REQUIRE(day.has_value());
  CAF_CHECK_EQUAL(day->text, std::optional<std::string>("день"));
  // Counted once per update: a re-run gets the count without adding to it.
  CAF_CHECK_EQUAL(
      ask<int>(atoms::count_llm::value, user, std::string("2030-03-17"), std::int64_t{90}),
      std::optional<int>(1));
  CAF_CHECK_EQUAL(
      ask<int>(atoms::count_llm::value, user, std::string("2030-03-17"), std::int64_t{90}),
      std::optional<int>(1));
  CAF_CHECK_EQUAL(
      ask<int>(atoms::count_llm::value, user, std::string("2030-03-17"), std::int64_t{91}),
      std::optional<int>(2));
}

CAF_TEST(a clear question is pending until answered and clearing deletes the user data) {
  std::int64_t user = 7007;
  CAF_CHECK_EQUAL(ask<bool>(atoms::ask_clear::value, user, store::clear_request{"n1", 2000}),
                  std::optional<bool>(false));  // nothing to delete
  ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  CAF_CHECK_EQUAL(ask<bool>(atoms::ask_clear::value, user, store::clear_request{"n1", 2000}),
                  std::optional<bool>(true));
  auto pending = [&](const char* nonce, std::int64_t now) {
    return ask<bool>(atoms::clear_pending::value, user, std::string(nonce), now);
  };
  CAF_CHECK_EQUAL(pending("n1", 1999), std::optional<bool>(true));
  CAF_CHECK_EQUAL(pending("n2", 1999), std::optional<bool>(false));
  CAF_CHECK_EQUAL(pending("n1", 2000), std::optional<bool>(false));  // expired
  CAF_CHECK(ask<void>(atoms::clear_user::value, user));
  CAF_CHECK(!db->load_birth(user));
  CAF_CHECK(!db->has_personal_data(user));
}

CAF_TEST(pending rows are claimed in pages and the rows of a group move to its supergroup) {
  std::vector<store::inbox_row> rows;
  for (std::int64_t id = 1; id <= 3; ++id)
    rows.push_back({id, std::int64_t{-500}, R"({"update_id":)" + std::to_string(id) + "}"});
  db->insert_batch(rows, 4);
  auto page =
      ask<std::vector<store::inbox_row>>(atoms::claim_rows::value, std::string("me"),
                                         std::int64_t{600}, std::int64_t{0}, std::uint64_t{2});
  CAF_REQUIRE(page.has_value());
  CAF_REQUIRE_EQUAL(page->size(), 2u);
  CAF_CHECK_EQUAL(page->at(1).update_id, 2);
  CAF_CHECK_EQUAL(*page->at(0).chat_id, -500);
  auto rest =
      ask<std::vector<store::inbox_row>>(atoms::claim_rows::value, std::string("me"),
                                         std::int64_t{600}, std::int64_t{2}, std::uint64_t{2});
  CAF_REQUIRE_EQUAL(rest->size(), 1u);
  CAF_CHECK_EQUAL(rest->at(0).update_id, 3);
  CAF_CHECK_EQUAL(
      ask<std::uint64_t>(atoms::move_chat::value, std::int64_t{-500}, std::int64_t{-100500}),
      std::optional<std::uint64_t>(3));
  auto moved = db->find(3);
  CAF_REQUIRE(moved.has_value());
  CAF_CHECK_EQUAL(moved->chat_id, std::optional<std::int64_t>(-100500));
  CAF_CHECK(failures.empty());
}

CAF_TEST(a request whose store calls throw is answered with the error of the store and
         logged once) {
  std::int64_t user = 7008;
  ask<msg::birth_saved>(atoms::save_birth::value, user, birth_in("Europe/Moscow"));
  // Break the schema under the store actor, through a connection of the test's own.
  sqlite3* raw = nullptr;
  CAF_REQUIRE_EQUAL(sqlite3_open((dir.path() + "/nocturna.db").c_str(), &raw), SQLITE_OK);
  CAF_REQUIRE_EQUAL(sqlite3_exec(raw, "DROP TABLE partners", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  auto list = ask<msg::partner_list>(atoms::load_partners::value, user);
  CAF_CHECK(!list.has_value());
  CAF_REQUIRE_EQUAL(failures.size(), 1u);
  CAF_CHECK_NOT_EQUAL(failures[0].find("partners"), std::string::npos);
  // The store actor lives on and answers the next request.
  CAF_CHECK_EQUAL(ask<char>(atoms::load_houses::value, user), std::optional<char>('P'));
  CAF_CHECK_EQUAL(failures.size(), 1u);
}

CAF_TEST(a request without a running store is logged and answered as failed) {
  caf::anon_send_exit(store, caf::exit_reason::kill);
  sched.run();
  sys.registry().erase(services::store::value);
  CAF_CHECK(!ask<void>(atoms::clear_user::value, std::int64_t{7009}));
  CAF_REQUIRE_EQUAL(failures.size(), 1u);
  CAF_CHECK_EQUAL(failures[0], "store not running");
}

CAF_TEST_FIXTURE_SCOPE_END()
