// A session that crashes in the middle of an update, at the two points that matter for a reply
// sent twice (docs/architecture.md, "Delivery guarantees"): the real dispatcher, sessions, sender
// and store (SQLite), stepped by CAF's test coordinator (tests/actors/actor_fixture.hpp). Also a
// /natal place that arrives while the gazetteer is still being built.
#define CAF_SUITE session

#include <future>

#include "actors/crash_report.hpp"
#include "clients/geo/gazetteer.hpp"
#include "clients/geo/gazetteer_loader.hpp"
#include "protocol/texts.hpp"
#include "tests/actors/actor_fixture.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

const std::string send_message_ok = "method=\"sendMessage\",outcome=\"ok\"";

}  // namespace

CAF_TEST_FIXTURE_SCOPE(session_tests, actor_fixture)

CAF_TEST(a session crashed after its reply was accepted re -
         runs the update without sending it again) {
  start_store();
  start_sender();
  start_dispatcher();
  auto u = user_writes(201, "/help");
  self->send(dispatcher, u);
  // Until the sandbox accepted the reply: its answer now waits in the sender's mailbox.
  run_until([&] { return rt->ledger->remembered() == 1; });
  CAF_REQUIRE_EQUAL(api_calls("sendMessage", 201), 1u);
  self->send(dispatcher, actors::crash_atom::value, std::int64_t{201});
  run_only(dispatcher);
  auto* session = last_job();  // the crash was forwarded to the session
  run_only(session);
  // The sender records the accepted call in the sent-log before the fresh session asks for it.
  sched.run();
  CAF_CHECK_EQUAL(api_calls("sendMessage", 201), 1u);
  CAF_CHECK_EQUAL(bot_texts(201).size(), 1u);
  // The re-run found call 0 in the sent-log and did not hand it to the sender again.
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_bot_api_calls_total", send_message_ok), 1.0);
  advance_time(std::chrono::milliseconds(10));
  sched.run();
  auto row = inbox(u.update_id);
  CAF_CHECK(row.state == store::inbox_state::done);
  CAF_CHECK_EQUAL(row.attempts, 1);
}

CAF_TEST(a re - run that asks before the sent - log has the reply gets it from the call ledger) {
  start_store();
  start_sender();
  start_dispatcher();
  auto u = user_writes(202, "/help");
  self->send(dispatcher, u);
  run_until([&] { return rt->ledger->remembered() == 1; });
  self->send(dispatcher, actors::crash_atom::value, std::int64_t{202});
  // Everything but the sender: the fresh session finds no sent-log entry (the sender has not
  // recorded the answer yet) and makes call 0 again.
  run_all_but(sender);
  sched.run();
  // The second call was answered by the call ledger, never sent to Telegram.
  CAF_CHECK_EQUAL(api_calls("sendMessage", 202), 1u);
  CAF_CHECK_EQUAL(bot_texts(202).size(), 1u);
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_bot_api_calls_total", send_message_ok), 2.0);
  advance_time(std::chrono::milliseconds(10));
  sched.run();
  CAF_CHECK(inbox(u.update_id).state == store::inbox_state::done);
}

CAF_TEST(a session crashed before its call reached Telegram makes the call in the re - run) {
  start_store();
  start_sender();
  start_dispatcher();
  auto u = user_writes(203, "/help");
  self->send(dispatcher, u);
  // The session waits for the store (its dialogue check); it crashes meanwhile.
  run_all_but(store);
  self->send(dispatcher, actors::crash_atom::value, std::int64_t{203});
  run_all_but(store);
  sched.run();
  auto sent = sent_messages();
  CAF_REQUIRE_EQUAL(sent.size(), 1u);
  CAF_CHECK_EQUAL(sent[0].first, 203);
  CAF_CHECK_EQUAL(sent[0].second, texts::help);
  advance_time(std::chrono::milliseconds(10));
  sched.run();
  CAF_CHECK(inbox(u.update_id).state == store::inbox_state::done);
}

CAF_TEST(a place text waits for the gazetteer still being built and is answered once it is) {
  // A gazetteer of one city whose build the test releases (at start-up it takes a second or so).
  std::promise<void> release;
  auto released = release.get_future().share();
  rt->gazetteer = std::make_shared<geo::gazetteer_loader>(
      [released] {
        released.wait();
        geo::place moscow;
        moscow.name = moscow.name_en = "Москва";
        moscow.country = "Россия";
        moscow.country_code = "RU";
        moscow.zone = "Europe/Moscow";
        moscow.latitude = 55.7522;
        moscow.longitude = 37.6156;
        return std::make_shared<const geo::gazetteer>(std::vector<geo::place>{moscow},
                                                      geo::alias_table{});
      },
      nullptr);
  start_store();
  start_sender();
  start_dispatcher();
  auto step = [&](const std::string& text) {
    if (!text.empty()) self->send(dispatcher, user_writes(301, text));
    sched.run();
    advance_time(std::chrono::milliseconds(25));  // the session's (next) timer
    sched.run();
  };
  for (const char* text : {"/natal", "15.03.1990", "14:30"}) step(text);
  const auto asked = bot_texts(301).size();
  CAF_REQUIRE(asked >= 3);
  step("Москва");
  step("");                                       // more time passes, the place still waits
  CAF_CHECK_EQUAL(bot_texts(301).size(), asked);  // nothing yet: no "not found" either
  release.set_value();
  CAF_REQUIRE(rt->gazetteer->wait(10000) != nullptr);
  advance_time(std::chrono::milliseconds(25));
  sched.run();
  auto texts = bot_texts(301);
  CAF_REQUIRE(texts.size() > asked);
  CAF_CHECK(texts[asked].find("Москва, Россия") != std::string::npos ||
            texts.back().find("Москва, Россия") != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
