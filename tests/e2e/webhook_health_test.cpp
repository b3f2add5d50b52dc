// Webhook mode through the sandbox (which delivers to setWebhook's URL with the secret header),
// and the /health and /metrics endpoints (docs/telegram.md §4).
#include <doctest/doctest.h>
#include <httplib.h>

#include "protocol/texts.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

struct webhook_bot {
  harness h;
  int webhook_port = 0;
  int health_port = 0;
  std::string secret = "s3cret-Webhook_token-0123456789abcdef";

  webhook_bot() {
    h.start_bot(harness::webhook_env(secret));
    webhook_port = h.webhook_port;
    health_port = h.health_port();
  }

  httplib::Result post(const std::string& body, const std::string& secret_header) {
    httplib::Client c("127.0.0.1", webhook_port);
    httplib::Headers headers;
    if (!secret_header.empty()) headers.emplace("X-Telegram-Bot-Api-Secret-Token", secret_header);
    return c.Post("/webhook", headers, body, "application/json");
  }
};

std::string update_json(std::int64_t update_id, std::int64_t chat, const std::string& text) {
  return R"({"update_id":)" + std::to_string(update_id) + R"(,"message":{"message_id":)" +
         std::to_string(update_id) + R"(,"date":1764000000,"chat":{"id":)" + std::to_string(chat) +
         R"(,"type":"private"},"from":{"id":)" + std::to_string(chat) +
         R"(,"is_bot":false,"first_name":"Вебхук"},"text":")" + text +
         R"(","entities":[{"type":"bot_command","offset":0,"length":5}]}})";
}

}  // namespace

TEST_CASE("e2e webhook: updates delivered with the right secret are answered") {
  webhook_bot w;
  REQUIRE(w.h.control->stats().webhook_url ==
          "http://127.0.0.1:" + std::to_string(w.webhook_port) + "/webhook");
  w.h.control->send(31, "/help");
  auto t = w.h.wait_replies(31, 1);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].text.value_or("") == texts::help);
}

TEST_CASE("e2e webhook: a wrong or missing secret is refused with 403 and nothing happens") {
  webhook_bot w;
  w.h.control->send(32, "hello");  // the chat exists for the sandbox; the hint answers it
  REQUIRE(w.h.wait_replies(32, 1).bot_messages().size() == 1);
  auto wrong = w.post(update_json(900001, 32, "/help"), "wrong-secret");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto missing = w.post(update_json(900002, 32, "/help"), "");
  REQUIRE(missing);
  CHECK(missing->status == 403);
  // A marker with the right secret: once it is handled, a refused update would have been too.
  auto marker = w.post(update_json(900003, 32, "/help"), w.secret);
  REQUIRE(marker);
  CHECK(marker->status == 200);
  REQUIRE(w.h.wait_handled(900003));
  CHECK(w.h.control->get_transcript(32).bot_messages().size() == 2);
  CHECK(w.h.control->calls(0, "sendMessage", 32).calls.size() == 2);
}

TEST_CASE("e2e webhook: a malformed body is refused with 400") {
  webhook_bot w;
  for (const char* body : {"not json", "[]", R"({"message":{}})", R"({"update_id":"7"})"}) {
    auto r = w.post(body, w.secret);
    REQUIRE(r);
    CHECK_MESSAGE(r->status == 400, body);
  }
  auto get = httplib::Client("127.0.0.1", w.webhook_port).Get("/webhook");
  REQUIRE(get);
  CHECK(get->status == 405);
  auto other = httplib::Client("127.0.0.1", w.webhook_port).Get("/health");
  REQUIRE(other);
  CHECK(other->status == 404);
}

TEST_CASE("e2e webhook: the same update delivered twice is answered once") {
  webhook_bot w;
  w.h.control->send(33, "hello");
  REQUIRE(w.h.wait_replies(33, 1).bot_messages().size() == 1);
  auto body = update_json(900100, 33, "/help");
  auto first = w.post(body, w.secret);
  auto second = w.post(body, w.secret);
  REQUIRE(first);
  REQUIRE(second);
  CHECK(first->status == 200);
  CHECK(second->status == 200);
  auto t = w.h.wait_replies(33, 2);
  REQUIRE(t.bot_messages().size() == 2);
  // A later update of the chat as a marker: a second run of the first would come before it.
  REQUIRE(w.post(update_json(900101, 33, "/help"), w.secret));
  REQUIRE(w.h.wait_handled(900101));
  CHECK(w.h.control->calls(0, "sendMessage", 33).calls.size() == 3);
}

TEST_CASE("e2e: /health and /metrics after some traffic") {
  webhook_bot w;
  w.h.control->send(34, "/help");
  REQUIRE(w.h.wait_replies(34, 1).bot_messages().size() == 1);
  httplib::Client health("127.0.0.1", w.health_port);
  std::shared_ptr<httplib::Response> res;
  wait_until([&] {  // the first getWebhookInfo may still be on its way
    auto r = health.Get("/health");
    REQUIRE(r);
    res = std::make_shared<httplib::Response>(*r);
    return res->body.find("\"last_webhook_info_ok_at\":null") == std::string::npos;
  });
  CHECK(res->status == 200);
  CHECK(res->body.find(R"("status":"ok")") != std::string::npos);
  CHECK(res->body.find(R"("mode":"webhook")") != std::string::npos);
  CHECK(res->body.find(R"("last_webhook_info_ok_at":null)") == std::string::npos);
  CHECK(res->body.find(R"("sessions":1)") != std::string::npos);
  CHECK(res->body.find(R"("llm":"disabled")") != std::string::npos);
  CHECK(res->body.find(R"("webhook":"running")") != std::string::npos);
  CHECK(res->body.find(R"("sender":"running")") != std::string::npos);
  // The reply can reach the chat a moment before the sender and the session record it.
  const std::string handled = "nocturna_update_handling_seconds_count 1";
  auto metrics = health.Get("/metrics");
  wait_until([&] {
    if (metrics && metrics->body.find(handled) != std::string::npos) return true;
    metrics = health.Get("/metrics");
    return false;
  });
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->body.find("nocturna_updates_received_total 1") != std::string::npos);
  CHECK(
      metrics->body.find(R"(nocturna_bot_api_calls_total{method="sendMessage",outcome="ok"} 1)") !=
      std::string::npos);
  CHECK(metrics->body.find(handled) != std::string::npos);
  // Rare events are counted from 0, not only after the first.
  CHECK(metrics->body.find("nocturna_flood_waits_total 0") != std::string::npos);
  CHECK(metrics->body.find(R"(nocturna_actor_restarts_total{actor="store"} 0)") !=
        std::string::npos);
}
