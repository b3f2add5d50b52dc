// The store suite, part 4: subscriptions, the daily LLM counter, process-wide caches and
// housekeeping (docs/behaviour.md §5, §7.2, §4.3).
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "clients/store/store.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

store::subscription_record sub(std::optional<std::int64_t> due, bool active = true) {
  store::subscription_record s;
  s.time = "09:00";
  s.zone = "Europe/Moscow";
  s.active = active;
  s.next_due_utc = due;
  return s;
}

}  // namespace

TEST_CASE_TEMPLATE("store: a subscription round-trips and is replaced whole", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_subscription(1).has_value());
  auto s = sub(1'700'000'000);
  s.last_sent_local_date = "2025-01-31";
  db->save_subscription(1, s);
  auto got = db->load_subscription(1);
  REQUIRE(got.has_value());
  CHECK(got->time == "09:00");
  CHECK(got->zone == "Europe/Moscow");
  CHECK(got->active);
  CHECK(got->next_due_utc == 1'700'000'000);
  CHECK(got->last_sent_local_date == "2025-01-31");
  CHECK_FALSE(got->disabled_reason.has_value());

  auto off = sub(std::nullopt, false);
  off.time = "23:59";
  off.disabled_reason = "user";
  db->save_subscription(1, off);
  got = db->load_subscription(1);
  CHECK(got->time == "23:59");
  CHECK_FALSE(got->active);
  CHECK_FALSE(got->next_due_utc.has_value());
  CHECK_FALSE(got->last_sent_local_date.has_value());
  CHECK(got->disabled_reason == "user");
}

TEST_CASE_TEMPLATE("store: due subscriptions are the active ones due now, uncomputed first", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  db->save_subscription(1, sub(1000));
  db->save_subscription(2, sub(500));
  db->save_subscription(3, sub(std::nullopt));  // zone changed: the scheduler computes it
  db->save_subscription(4, sub(2000));          // not yet due
  db->save_subscription(5, sub(100, false));    // inactive
  auto due = db->due_subscriptions(1000);
  REQUIRE(due.size() == 3);
  CHECK(due[0].user_id == 3);
  CHECK(due[1].user_id == 2);
  CHECK(due[2].user_id == 1);
  CHECK(due[2].subscription.next_due_utc == 1000);

  db->set_next_due(3, 5000);
  CHECK(db->load_subscription(3)->next_due_utc == 5000);
  CHECK(db->due_subscriptions(1000).size() == 2);
}

TEST_CASE_TEMPLATE("store: a forecast is claimed at most once per local date", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->claim_forecast(1, "2025-03-01"));  // no subscription
  db->save_subscription(1, sub(1000));
  CHECK(db->claim_forecast(1, "2025-03-01"));
  CHECK_FALSE(db->claim_forecast(1, "2025-03-01"));
  CHECK(db->load_subscription(1)->last_sent_local_date == "2025-03-01");
  CHECK(db->claim_forecast(1, "2025-03-02"));

  CHECK(db->disable_subscription(1, "user"));
  CHECK_FALSE(db->disable_subscription(1, "user"));  // /unsubscribe twice: nothing active
  CHECK(db->load_subscription(1)->disabled_reason == "user");
  CHECK_FALSE(db->claim_forecast(1, "2025-03-03"));  // inactive
  CHECK_FALSE(db->disable_subscription(9, "blocked"));
}

TEST_CASE_TEMPLATE("store: the daily LLM counter counts per user and local date", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK(db->llm_count(1, "2025-01-01") == 0);
  CHECK(db->increment_llm_count(1, "2025-01-01") == 1);
  CHECK(db->increment_llm_count(1, "2025-01-01") == 2);
  CHECK(db->increment_llm_count(1, "2025-01-02") == 1);
  CHECK(db->increment_llm_count(2, "2025-01-01") == 1);
  CHECK(db->llm_count(1, "2025-01-01") == 2);
  CHECK(db->llm_count(1, "2025-01-02") == 1);
}

TEST_CASE_TEMPLATE("store: concurrent LLM counter increments from two connections lose nothing", B,
                   STORE_BACKENDS) {
  B backend;
  backend.open();  // migrate first
  constexpr int per_thread = 50;
  std::vector<std::string> errors(2);
  std::vector<std::vector<int>> seen(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      try {
        auto db = backend.open();
        for (int i = 0; i < per_thread; ++i)
          seen[t].push_back(db->increment_llm_count(77, "2025-05-05"));
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (auto& th : threads) th.join();
  CHECK(errors[0] == "");
  CHECK(errors[1] == "");
  CHECK(backend.open()->llm_count(77, "2025-05-05") == 2 * per_thread);
  // Every returned count is distinct: each increment saw its own new value.
  std::vector<int> all = seen[0];
  all.insert(all.end(), seen[1].begin(), seen[1].end());
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
}

TEST_CASE_TEMPLATE("store: day interpretations are cached per date, place and model", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  CHECK_FALSE(db->load_day_interpretation("2025-01-01", "Москва", "m1").has_value());
  db->save_day_interpretation("2025-01-01", "Москва", "m1", "текст 1");
  db->save_day_interpretation("2025-01-01", "Москва", "m2", "текст 2");
  db->save_day_interpretation("2025-01-02", "Москва", "m1", "текст 3");
  db->save_day_interpretation("2025-01-01", "Тверь", "m1", "текст 4");
  CHECK(db->load_day_interpretation("2025-01-01", "Москва", "m1") == "текст 1");
  CHECK(db->load_day_interpretation("2025-01-01", "Москва", "m2") == "текст 2");
  CHECK(db->load_day_interpretation("2025-01-02", "Москва", "m1") == "текст 3");
  CHECK(db->load_day_interpretation("2025-01-01", "Тверь", "m1") == "текст 4");
  db->save_day_interpretation("2025-01-01", "Москва", "m1", "новый");  // a re-run overwrites
  CHECK(db->load_day_interpretation("2025-01-01", "Москва", "m1") == "новый");
}

TEST_CASE_TEMPLATE("store: sky pictures are cached per hour and house system", B, STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  const std::int64_t hour = 1'736'600'400;
  CHECK_FALSE(db->load_sky_picture(hour, 'P').has_value());
  db->save_sky_picture(hour, 'P', "file-P");
  db->save_sky_picture(hour, 'K', "file-K");
  db->save_sky_picture(hour + 3600, 'P', "file-next");
  CHECK(db->load_sky_picture(hour, 'P') == "file-P");
  CHECK(db->load_sky_picture(hour, 'K') == "file-K");
  CHECK(db->load_sky_picture(hour + 3600, 'P') == "file-next");
  db->save_sky_picture(hour, 'P', "file-P2");
  CHECK(db->load_sky_picture(hour, 'P') == "file-P2");
}

TEST_CASE_TEMPLATE("store: purge_expired removes old dialogues, questions, caches and counters", B,
                   STORE_BACKENDS) {
  B backend;
  auto db = backend.open();
  const std::int64_t now = 1'736'600'400;  // 2025-01-11 13:00 UTC
  const std::int64_t day = 24 * 3600;
  store::dialogue_record d;
  d.step = "DATE";
  d.nonce = "00000000";
  d.expires_at = now - day - 1;  // expired more than 24 h ago: deleted
  db->save_dialogue(1, d);
  d.expires_at = now - day + 60;  // expired, but not yet 24 h ago: kept for T_EXPIRED
  db->save_dialogue(2, d);
  db->save_clear_request(1, {"11111111", now - 1});
  db->save_clear_request(2, {"22222222", now + 600});
  db->save_sky_picture(now - 3 * day, 'P', "old");
  db->save_sky_picture(now - 3600, 'P', "fresh");
  db->save_day_interpretation("2025-01-08", "Москва", "m", "old");
  db->save_day_interpretation("2025-01-10", "Москва", "m", "yesterday");
  db->increment_llm_count(1, "2025-01-08");
  db->increment_llm_count(1, "2025-01-11");

  db->purge_expired(now);

  CHECK_FALSE(db->load_dialogue(1).has_value());
  CHECK(db->load_dialogue(2).has_value());
  CHECK_FALSE(db->load_clear_request(1).has_value());
  CHECK(db->load_clear_request(2).has_value());
  CHECK_FALSE(db->load_sky_picture(now - 3 * day, 'P').has_value());
  CHECK(db->load_sky_picture(now - 3600, 'P') == "fresh");
  CHECK_FALSE(db->load_day_interpretation("2025-01-08", "Москва", "m").has_value());
  CHECK(db->load_day_interpretation("2025-01-10", "Москва", "m") == "yesterday");
  CHECK(db->llm_count(1, "2025-01-08") == 0);
  CHECK(db->llm_count(1, "2025-01-11") == 1);
}
