// Intake backpressure (docs/architecture.md "Backpressure"): above INTAKE_BACKLOG_LIMIT updates in
// flight the poller stops fetching and the webhook answers 503; Telegram (the sandbox) keeps the
// rest, and every update is still answered once when the bot catches up.
#include <doctest/doctest.h>
#include <httplib.h>

#include "protocol/texts.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

TEST_CASE("e2e: above INTAKE_BACKLOG_LIMIT the intake pauses and every update is answered once") {
  constexpr int updates = 150;
  constexpr std::int64_t chat = 7700;
  harness h;
  // Waiting for the bot before it starts: the first batches bring more than the limit at once.
  for (int i = 0; i < updates; ++i) h.control->send(chat, "/help");
  // The first reply takes 15 s, so the chat's later updates pile up in its session meanwhile.
  sandbox::fault slow;
  slow.method = "sendMessage";
  slow.chat_id = chat;
  slow.error_code = 0;
  slow.delay_ms = 15000;
  h.control->add_fault(slow);
  h.start_bot({{"INTAKE_BACKLOG_LIMIT", "100"}});
  const int health_port = h.health_port();

  const bool webhook = harness::webhook_run();
  const std::string paused = webhook ? "deliveries refused with 503" : "reason=backlog";
  const std::string resumed = webhook ? "deliveries accepted again" : "polling resumed";
  CHECK(wait_until([&] { return h.log_file().find(paused) != std::string::npos; }, 30000));
  auto t = h.wait_replies(chat, updates, 90000);
  REQUIRE(t.bot_messages().size() == updates);
  CHECK(wait_until([&] { return h.log_file().find(resumed) != std::string::npos; }, 30000));
  // Nothing pending any more, so nothing can be answered a second time later.
  CHECK(wait_until([&] {
    return h.store_int("SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND update_id > ?", 0) ==
           0;
  }));
  t = h.control->get_transcript(chat);
  CHECK(t.bot_messages().size() == updates);
  for (const auto& m : t.bot_messages()) CHECK(m.text.value_or("") == texts::help);
  httplib::Client health("127.0.0.1", health_port);
  auto metrics = health.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find(webhook ? "nocturna_intake_refused_total"
                                   : "nocturna_intake_paused_total 1") != std::string::npos);
}
