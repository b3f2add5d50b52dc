// Upstream outages seen by users and operators (issue 3, issue 7): a dead calculation API gives
// the short error of docs/behaviour.md §1.6 and, once its breaker opens, fast answers and a
// degraded /health; an expired service token refuses to start.
#include <doctest/doctest.h>
#include <httplib.h>

#include "protocol/jwt.hpp"
#include "protocol/texts.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

// The error text S was edited into, once no status message is left (or "" after the timeout).
std::string error_reply(harness& h, std::int64_t chat, std::size_t nth) {
  std::string reply;
  wait_until([&] {
    auto bots = h.control->get_transcript(chat).bot_messages();
    if (bots.size() < nth || bots[nth - 1].plain.rfind("⏳", 0) == 0) return false;
    reply = bots[nth - 1].plain;
    return true;
  });
  return reply;
}

}  // namespace

TEST_CASE("e2e upstream: a dead calculation API answers with the short error, then fast") {
  harness h;
  h.start_bot({{"NOCTURNA_API_URL", dead_api_url},
               {"NOCTURNA_SERVICE_TOKEN", "opaque-service-token"},
               {"NOCTURNA_TIMEOUT", "1"},
               {"NOCTURNA_MAX_RETRIES", "0"}});
  const int health_port = h.health_port();
  const auto expected = texts::error_text(texts::context_planets, texts::reason_unavailable);
  // Five failures open the breaker (docs/calculations.md §7.6).
  for (std::size_t i = 1; i <= 6; ++i) {
    auto started = std::chrono::steady_clock::now();
    h.control->send(51, "/transit_planets");
    CHECK(error_reply(h, 51, i) == expected);
    if (i == 6) CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }
  httplib::Client health("127.0.0.1", health_port);
  auto r = health.Get("/health");
  REQUIRE(r);
  CHECK(r->body.find(R"("status":"degraded")") != std::string::npos);
  CHECK(r->body.find(R"("calc":"open")") != std::string::npos);
  auto metrics = health.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("nocturna_calc_seconds_count 6") != std::string::npos);
  h.bot->stop();
  // Users never see upstream details; the log has them, without the token.
  CHECK(h.log_file().find("opaque-service-token") == std::string::npos);
}

TEST_CASE("e2e upstream: an expired service token refuses to start with exit code 2") {
  harness h;
  auto b64 = [](const std::string& s) { return jwt::base64url_encode(s); };
  auto token = b64(R"({"alg":"HS256","typ":"JWT"})") + "." + b64(R"({"sub":"bot","exp":1000})") +
               ".c2lnbmF0dXJl";
  h.start_bot({{"NOCTURNA_API_URL", dead_api_url}, {"NOCTURNA_SERVICE_TOKEN", token}});
  CHECK(h.bot->wait_exit(10000) == 2);
}
