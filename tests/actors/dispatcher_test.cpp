// The dispatcher with real sessions, the real sender and the real store (SQLite), stepped by
// CAF's test coordinator (tests/actors/actor_fixture.hpp): the order of a chat's updates, chats
// that do not wait for each other, and an update that crashes its session twice.
#define CAF_SUITE dispatcher

#include "actors/crash_report.hpp"
#include "actors/store_actor.hpp"
#include "protocol/router.hpp"
#include "protocol/texts.hpp"
#include "tests/actors/actor_fixture.hpp"

using namespace nocturna;
using namespace nocturna::testing;

CAF_TEST_FIXTURE_SCOPE(dispatcher_tests, actor_fixture)

CAF_TEST(updates of one chat run one after another while another chat runs between them) {
  start_store();
  start_sender();
  start_dispatcher();
  auto first = user_writes(101, "/help");
  auto second = user_writes(101, "/start");
  auto other = user_writes(102, "/help");
  self->send(dispatcher, first);
  self->send(dispatcher, second);
  self->send(dispatcher, other);
  sched.run();
  // Chat 102's update was handed over last, yet its reply went out before the second reply of
  // chat 101, which waited for the first one to be answered.
  auto sent = sent_messages();
  CAF_REQUIRE_EQUAL(sent.size(), 3u);
  CAF_CHECK_EQUAL(sent[0].first, 101);
  CAF_CHECK_EQUAL(sent[0].second, texts::help);
  CAF_CHECK_EQUAL(sent[1].first, 102);
  CAF_CHECK_EQUAL(sent[1].second, texts::help);
  CAF_CHECK_EQUAL(sent[2].first, 101);
  CAF_CHECK_NOT_EQUAL(sent[2].second, texts::help);  // the greeting of /start
  advance_time(std::chrono::milliseconds(10));       // the store's group commit
  sched.run();
  for (auto id : {first.update_id, second.update_id, other.update_id})
    CAF_CHECK(inbox(id).state == store::inbox_state::done);
}

CAF_TEST(an update that crashed two sessions is marked dead and the next update of the chat runs) {
  start_store();
  start_sender();
  start_dispatcher();
  auto poison = user_writes(301, "/help");
  auto next = user_writes(301, "/start");
  self->send(dispatcher, poison);
  self->send(dispatcher, next);
  // The session starts on the first update and waits for the store; the second one queues.
  run_all_but(store);
  for (int crash = 1; crash <= 2; ++crash) {
    self->send(dispatcher, actors::crash_atom::value, std::int64_t{301});
    // The crash reaches the session before the store's answer; the dispatcher re-runs the
    // chat's updates in a fresh session (after the second crash, only the next one).
    run_all_but(store);
  }
  sched.run();
  advance_time(std::chrono::milliseconds(10));
  sched.run();
  auto dead = inbox(poison.update_id);
  CAF_CHECK(dead.state == store::inbox_state::dead);
  CAF_CHECK_EQUAL(dead.attempts, 2);
  CAF_CHECK(inbox(next.update_id).state == store::inbox_state::done);
  auto sent = sent_messages();
  CAF_REQUIRE_EQUAL(sent.size(), 1u);  // /start answered, /help never
  CAF_CHECK_EQUAL(sent[0].first, 301);
  CAF_CHECK_NOT_EQUAL(sent[0].second, texts::help);
}

CAF_TEST(a new dispatcher re - runs the rows left pending and skips the calls already made) {
  start_store();
  start_sender();
  // A predecessor handled the first update up to its reply, which Telegram accepted and the
  // sender recorded; it died before the done mark. The second update it never started.
  auto answered = user_writes(501, "/help");
  auto untouched = user_writes(501, "/start");
  bot::telegram_client predecessor(api->base_url(), api->token());
  auto reply = predecessor.call("sendMessage", bot::send_message_body(501, texts::help, true),
                                std::chrono::seconds(5));
  CAF_REQUIRE(reply.succeeded());
  actors::queue_sent(sys, *rt, answered.update_id, 0, reply.result_json);
  start_dispatcher();  // claims both pending rows and re-runs them in order
  sched.run();
  auto sent = sent_messages();
  CAF_REQUIRE_EQUAL(sent.size(), 2u);  // the predecessor's reply and the second update's
  CAF_CHECK_EQUAL(sent[0].second, texts::help);
  CAF_CHECK_NOT_EQUAL(sent[1].second, texts::help);
  advance_time(std::chrono::milliseconds(10));
  sched.run();
  CAF_CHECK(inbox(answered.update_id).state == store::inbox_state::done);
  CAF_CHECK(inbox(untouched.update_id).state == store::inbox_state::done);
}

CAF_TEST_FIXTURE_SCOPE_END()
