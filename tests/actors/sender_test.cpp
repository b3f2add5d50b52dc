// The sender with its Bot API workers against the sandbox, stepped by CAF's test coordinator
// (tests/actors/actor_fixture.hpp): its time is the coordinator's virtual clock, so a flood wait
// or a back-off passes when the test advances it, never by sleeping.
#define CAF_SUITE sender

#include "clients/sandbox/faults.hpp"
#include "tests/actors/actor_fixture.hpp"

using namespace nocturna;
using namespace nocturna::testing;
using std::chrono::milliseconds;

CAF_TEST_FIXTURE_SCOPE(sender_tests, actor_fixture)

CAF_TEST(a 429 freezes all sending for retry_after and the refused call goes first after it) {
  start_store();
  start_sender();
  control->send(401, "hi");
  control->send(402, "hi");
  sandbox::fault flood;
  flood.method = "sendMessage";
  flood.chat_id = 401;
  flood.error_code = 429;
  flood.retry_after = 2;
  control->add_fault(flood);
  self->send(sender, send_message_call(401, "first"));
  self->send(sender, send_message_call(401, "second"));
  sched.run();
  CAF_CHECK_EQUAL(api_calls("sendMessage", 401), 1u);  // the refused one
  self->send(sender, send_message_call(402, "other chat"));
  sched.run();
  CAF_CHECK_EQUAL(api_calls("sendMessage", 402), 0u);  // frozen too
  // retry_after 2 s plus the sender's half-second margin.
  advance_time(milliseconds(2400));
  sched.run();
  CAF_CHECK_EQUAL(sent_messages().size(), 1u);
  CAF_CHECK(answers().empty());
  advance_time(milliseconds(200));
  sched.run();
  auto sent = sent_messages();
  CAF_REQUIRE_EQUAL(sent.size(), 4u);
  CAF_CHECK_EQUAL(sent[1].second, "first");
  CAF_CHECK_EQUAL(sent[2].second, "other chat");
  CAF_CHECK_EQUAL(sent[3].second, "second");
  CAF_CHECK_EQUAL(bot_texts(401), (std::vector<std::string>{"first", "second"}));
  auto got = answers();
  CAF_REQUIRE_EQUAL(got.size(), 3u);
  for (auto& r : got) CAF_CHECK(r.succeeded());
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_flood_waits_total"), 1.0);
}

CAF_TEST(a transient failure is retried after a back-off and the next call of the chat waits for it) {
  start_store();
  start_sender();
  control->send(403, "hi");
  sandbox::fault outage;
  outage.method = "sendMessage";
  outage.chat_id = 403;
  outage.error_code = 502;
  control->add_fault(outage);
  self->send(sender, send_message_call(403, "a"));
  self->send(sender, send_message_call(403, "b"));
  sched.run();
  CAF_CHECK_EQUAL(api_calls("sendMessage", 403), 1u);  // "a", refused; "b" may not overtake it
  CAF_CHECK(bot_texts(403).empty());
  advance_time(milliseconds(3000));  // the back-off is at most 2 s
  sched.run();
  CAF_CHECK_EQUAL(bot_texts(403), (std::vector<std::string>{"a", "b"}));
  auto got = answers();
  CAF_REQUIRE_EQUAL(got.size(), 2u);
  for (auto& r : got) CAF_CHECK(r.succeeded());
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_bot_api_retries_total"), 1.0);
}

CAF_TEST(a call refused for good is answered with the refusal and the next call goes) {
  start_store();
  start_sender();
  control->send(404, "hi");
  sandbox::fault refusal;
  refusal.method = "sendMessage";
  refusal.chat_id = 404;
  refusal.error_code = 400;
  refusal.description = "Bad Request: message text is empty";
  control->add_fault(refusal);
  self->send(sender, send_message_call(404, "refused"));
  self->send(sender, send_message_call(404, "accepted"));
  sched.run();
  auto got = answers();
  CAF_REQUIRE_EQUAL(got.size(), 2u);
  CAF_CHECK(!got[0].succeeded());
  CAF_CHECK_EQUAL(got[0].error_code, 400);
  CAF_CHECK(got[1].succeeded());
  CAF_CHECK_EQUAL(bot_texts(404), (std::vector<std::string>{"accepted"}));
  CAF_CHECK_EQUAL(api_calls("sendMessage", 404), 2u);  // no retry of the refused call
}

CAF_TEST(an idle sender forgets idle chats limits with no further call) {
  rt->options.sender.limits.enabled = true;
  start_store();
  start_sender();
  control->send(406, "hi");
  self->send(sender, send_message_call(406, "one"));
  sched.run();
  CAF_CHECK_EQUAL(bot_texts(406), (std::vector<std::string>{"one"}));
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_sender_tracked_chats"), 1.0);
  // A chat's limits matter for the group window (60 s) after its last answer; a tick then, with
  // nothing else to send, forgets them.
  advance_time(milliseconds(59'000));
  sched.run();
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_sender_tracked_chats"), 1.0);
  advance_time(milliseconds(3'000));
  sched.run();
  CAF_CHECK_EQUAL(rt->metrics->value("nocturna_sender_tracked_chats"), 0.0);
}

CAF_TEST_FIXTURE_SCOPE_END()
