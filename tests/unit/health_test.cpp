#include <doctest/doctest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <vector>

#include "clients/health/health_server.hpp"
#include "clients/health/health_state.hpp"
#include "clients/health/heap.hpp"
#include "clients/health/metrics.hpp"
#include "protocol/constant_time.hpp"
#include "tests/support/raw_http.hpp"

using namespace nocturna;

namespace {

health::snapshot fresh(std::int64_t now) {
  health::snapshot s;
  s.mode = "polling";
  s.started_ms = now - 10'000;
  s.now_ms = now;
  return s;
}

}  // namespace

TEST_CASE("health: ok after a recent poll, with uptime and sessions") {
  auto s = fresh(1'000'000);
  s.last_telegram_ok_ms = 999'000;
  s.sessions = 3;
  s.upstreams = {{"calc", "ok"}};
  auto [status, body] = health::render(s);
  CHECK(status == 200);
  CHECK(body.find(R"("status":"ok")") != std::string::npos);
  CHECK(body.find(R"("uptime_s":10)") != std::string::npos);
  CHECK(body.find(R"("last_poll_ok_at":999)") != std::string::npos);
  CHECK(body.find(R"("sessions":3)") != std::string::npos);
  CHECK(body.find(R"("upstreams":{"calc":"ok"})") != std::string::npos);
  CHECK(body.find("last_webhook_info_ok_at") == std::string::npos);
}

TEST_CASE("health: the supervised actors and the sessions are counted under actors") {
  auto s = fresh(1'000'000);
  s.sessions = 2;
  s.services = {{"sender", "running"}, {"store", "restarting"}};
  auto [status, body] = health::render(s);
  CHECK(status == 200);
  CHECK(body.find(R"("actors":{"sender":"running","store":"restarting","sessions":2})") !=
        std::string::npos);
}

TEST_CASE("health: webhook mode reports Telegram reached under both names") {
  auto s = fresh(1'000'000);
  s.mode = "webhook";
  s.last_telegram_ok_ms = 999'000;
  auto [status, body] = health::render(s);
  CHECK(body.find(R"("last_poll_ok_at":999)") != std::string::npos);
  CHECK(body.find(R"("last_webhook_info_ok_at":999)") != std::string::npos);
}

TEST_CASE("health: an open breaker or a polling conflict is degraded, still 200") {
  auto s = fresh(1'000'000);
  s.upstreams = {{"calc", "open"}};
  auto [status, body] = health::render(s);
  CHECK(status == 200);
  CHECK(body.find(R"("status":"degraded")") != std::string::npos);
  auto c = fresh(1'000'000);
  c.conflict = true;
  CHECK(health::render(c).second.find(R"("status":"degraded")") != std::string::npos);
}

TEST_CASE("health: Telegram unreached for over 3 minutes is down with 503") {
  auto s = fresh(10'000'000);
  s.last_telegram_ok_ms = 10'000'000 - 181'000;
  auto [status, body] = health::render(s);
  CHECK(status == 503);
  CHECK(body.find(R"("status":"down")") != std::string::npos);
  s.last_telegram_ok_ms = 10'000'000 - 179'000;
  CHECK(health::render(s).first == 200);
}

TEST_CASE("health: the instance id and its role, a standby never counts as down") {
  auto s = fresh(10'000'000);
  s.instance = "a1b2";
  s.role = "standby";
  auto [status, body] = health::render(s);  // never reached Telegram for 10,000 s: it does not poll
  CHECK(status == 200);
  CHECK(body.find(R"("instance":"a1b2","role":"standby")") != std::string::npos);
  s.role = "leader";  // the same silence from the poller is down
  s.started_ms = 0;
  CHECK(health::render(s).first == 503);
}

TEST_CASE("health: a webhook instance sharing a database shows the chats it serves") {
  auto s = fresh(10'000'000);
  s.last_telegram_ok_ms = s.now_ms;
  CHECK(health::render(s).second.find("owned_chats") == std::string::npos);  // alone
  s.owned_chats = 0;
  CHECK(health::render(s).second.find(R"("owned_chats":0)") != std::string::npos);
  s.owned_chats = 42;
  CHECK(health::render(s).second.find(R"("owned_chats":42)") != std::string::npos);
}

TEST_CASE("metrics: counters, gauges and histograms in Prometheus text") {
  metrics::registry m;
  m.add("requests_total", R"(method="sendMessage")");
  m.add("requests_total", R"(method="sendMessage")", 2);
  m.set("queue_depth", "", 7);
  m.observe("latency_seconds", "", 0.02);
  m.observe("latency_seconds", "", 3);
  auto text = m.prometheus_text();
  CHECK(text.find("# TYPE requests_total counter\nrequests_total{method=\"sendMessage\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("queue_depth 7\n") != std::string::npos);
  CHECK(text.find("latency_seconds_bucket{le=\"0.025\"} 1\n") != std::string::npos);
  CHECK(text.find("latency_seconds_bucket{le=\"5\"} 2\n") != std::string::npos);
  CHECK(text.find("latency_seconds_bucket{le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(text.find("latency_seconds_count 2\n") != std::string::npos);
  CHECK(metrics::label_value("a\"b\\c\n") == "a\\\"b\\\\c\\n");
}

#ifndef __SANITIZE_ADDRESS__
TEST_CASE("heap: a test binary keeps glibc, whose figures count a live block") {
  // The test binaries are not linked with jemalloc (only the bot is, CMakeLists.txt).
  CHECK(std::string(health::heap_allocator()) == "glibc");
  const auto before = health::release_free_heap();
  auto block = std::make_unique<std::vector<char>>(8 << 20, 'x');  // 8 MiB, touched
  const auto holding = health::release_free_heap();
  CHECK(holding.in_use_bytes >= before.in_use_bytes + (8 << 20));
  block.reset();
  CHECK(health::release_free_heap().in_use_bytes < holding.in_use_bytes - (4 << 20));
}
#endif

TEST_CASE("constant-time compare: equal, different, different length") {
  CHECK(constant_time_equal("secret", "secret"));
  CHECK_FALSE(constant_time_equal("secret", "secreT"));
  CHECK_FALSE(constant_time_equal("secret", "secret1"));
  CHECK_FALSE(constant_time_equal("", "x"));
  CHECK(constant_time_equal("", ""));
}

TEST_CASE("health server: GET only, a request body is refused before it is read") {
  health::server srv(std::make_shared<health::state>("polling"),
                     std::make_shared<metrics::registry>());
  const int port = srv.start("127.0.0.1", 0);
  httplib::Client c("127.0.0.1", port);
  auto get = c.Get("/metrics");
  REQUIRE(get);
  CHECK(get->status == 200);
  auto post = c.Post("/health", std::string(4096, 'x'), "text/plain");
  REQUIRE(post);
  CHECK(post->status == 413);
  // Chunked: no length to check up front. Answered from the head alone, before any chunk.
  nocturna::testing::raw_connection raw(port);
  raw.send("POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  CHECK(nocturna::testing::status_of(raw.read_all()) == 411);
  srv.stop();
}
