// The store suite: /compat partners and invitation links, on both backends.
#include <doctest/doctest.h>

#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

store::partner_record partner(std::string name, std::optional<std::string> time = "08:15") {
  store::partner_record p;
  p.name = std::move(name);
  p.birth.date = "1992-07-04";
  p.birth.time = std::move(time);
  p.birth.place_label = "Санкт-Петербург, Россия";
  p.birth.latitude = 59.9386;
  p.birth.longitude = 30.3141;
  p.birth.zone = "Europe/Moscow";
  return p;
}

store::invite_record invite(std::string code, std::int64_t inviter, std::int64_t expires_at) {
  store::invite_record i;
  i.code = std::move(code);
  i.inviter = inviter;
  i.inviter_name = "Аня";
  i.created_at = expires_at - 7 * 86400;
  i.expires_at = expires_at;
  return i;
}

}  // namespace

TEST_CASE_TEMPLATE("store: partners are listed in order, capped at 10, added once per update", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->partners(1).empty());
  auto first = db->add_partner(1, partner("Оля"), 100);
  REQUIRE(first.has_value());
  // A re-run of update 100 finds the row it added instead of adding another.
  CHECK(db->add_partner(1, partner("Оля"), 100) == first);
  auto second = db->add_partner(1, partner("", std::nullopt), 101);
  REQUIRE(second.has_value());
  CHECK(*second > *first);
  auto list = db->partners(1);
  REQUIRE(list.size() == 2);
  CHECK(list[0].name == "Оля");
  CHECK(list[0].birth.time == "08:15");
  CHECK(list[0].birth.place_label == "Санкт-Петербург, Россия");
  CHECK(list[0].birth.latitude == doctest::Approx(59.9386));
  CHECK(list[1].name.empty());
  CHECK_FALSE(list[1].birth.time.has_value());
  CHECK(db->load_partner(1, *second)->id == *second);
  CHECK_FALSE(db->load_partner(2, *second).has_value());  // another user's partner is not found
  CHECK(db->load_user(1).has_value());

  for (int i = 2; i < 10; ++i) REQUIRE(db->add_partner(1, partner("P"), 100 + i).has_value());
  CHECK(db->partners(1).size() == 10);
  CHECK_FALSE(db->add_partner(1, partner("Лишний"), 200).has_value());

  // Ids are never reused: a stale button of a deleted partner cannot reach a new one.
  CHECK_FALSE(db->delete_partner(2, *first));
  CHECK(db->delete_partner(1, *first));
  CHECK_FALSE(db->delete_partner(1, *first));
  auto next = db->add_partner(1, partner("Новый"), 201);
  REQUIRE(next.has_value());
  CHECK(*next > *second);
  CHECK(db->partners(1).size() == 10);
}

TEST_CASE_TEMPLATE("store: an invitation is reserved by one user, answered once, expires", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  const std::int64_t now = 1'800'000'000;
  db->save_invite(invite("abc", 1, now + 100));
  auto loaded = db->load_invite("abc");
  REQUIRE(loaded.has_value());
  CHECK(loaded->inviter == 1);
  CHECK(loaded->inviter_name == "Аня");
  CHECK_FALSE(loaded->used_by.has_value());
  CHECK_FALSE(db->load_invite("nope").has_value());

  CHECK_FALSE(db->reserve_invite("abc", 1, now));  // the inviter's own link
  CHECK(db->reserve_invite("abc", 2, now));
  CHECK(db->reserve_invite("abc", 2, now));        // opened again by the same user
  CHECK_FALSE(db->reserve_invite("abc", 3, now));  // somebody else: used
  CHECK_FALSE(db->answer_invite("abc", 3, "yes", 10));
  CHECK(db->answer_invite("abc", 2, "yes", 11));
  CHECK(db->answer_invite("abc", 2, "yes", 11));        // a re-run of the same update
  CHECK_FALSE(db->answer_invite("abc", 2, "yes", 12));  // a second press
  CHECK_FALSE(db->answer_invite("abc", 2, "no", 11));
  CHECK_FALSE(db->reserve_invite("abc", 2, now));  // answered: one-time
  CHECK(db->load_invite("abc")->answer == "yes");
  CHECK(db->load_invite("abc")->used_by == 2);

  db->save_invite(invite("old", 1, now + 10));
  CHECK_FALSE(db->reserve_invite("old", 2, now + 10));  // expired
  // A new link replaces the inviter's unopened ones; an opened one stays.
  db->save_invite(invite("new", 1, now + 1000));
  CHECK_FALSE(db->load_invite("old").has_value());
  CHECK(db->load_invite("abc").has_value());
  CHECK(db->load_invite("new").has_value());

  // Housekeeping forgets links a day after expiry.
  db->purge_expired(now + 1000 + 86400 + 1);
  CHECK_FALSE(db->load_invite("new").has_value());
}

TEST_CASE_TEMPLATE("store: clear_user deletes partners and the user's invitations", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  const std::int64_t now = 1'800'000'000;
  REQUIRE(db->add_partner(1, partner("Оля"), 1).has_value());
  REQUIRE(db->add_partner(2, partner("Петя"), 2).has_value());
  db->save_invite(invite("one", 1, now + 100));
  db->save_invite(invite("two", 2, now + 100));
  CHECK(db->has_personal_data(1));
  db->clear_user(1);
  CHECK(db->partners(1).empty());
  CHECK_FALSE(db->load_invite("one").has_value());
  CHECK_FALSE(db->has_personal_data(1));
  CHECK(db->partners(2).size() == 1);
  CHECK(db->load_invite("two").has_value());
}
