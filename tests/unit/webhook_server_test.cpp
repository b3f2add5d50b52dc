// The webhook server in-process on loopback with small limits: a silent client is cut off at the
// head deadline, an endless head at the size limit, the oldest waiting connection makes room for
// a new one, and only an authorised request's body reaches `accept`
// (clients/webhook/webhook_server.hpp; the attacks on the whole bot are in
// tests/e2e/webhook_attack_test.cpp).
#include "clients/webhook/webhook_server.hpp"

#include <doctest/doctest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <vector>

#include "tests/support/raw_http.hpp"

using namespace std::chrono_literals;
using nocturna::testing::raw_connection;
using nocturna::testing::status_of;

namespace {

const std::string secret(40, 'q');

struct local_webhook {
  std::mutex mutex;
  std::vector<std::string> bodies;
  nocturna::webhook::server server;
  int port;

  explicit local_webhook(nocturna::webhook::server_limits limits)
      : server(
            "/hook", secret, 2,
            [this](std::string_view body) {
              std::lock_guard<std::mutex> lock(mutex);
              bodies.emplace_back(body);
              return 200;
            },
            limits),
        port(server.start("127.0.0.1", 0)) {}

  int post(const std::string& body, const std::string& with_secret) {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/hook", {{"X-Telegram-Bot-Api-Secret-Token", with_secret}}, body,
                    "application/json");
    return r ? r->status : -1;
  }

  std::size_t accepted() {
    std::lock_guard<std::mutex> lock(mutex);
    return bodies.size();
  }
};

nocturna::webhook::server_limits small_limits() {
  nocturna::webhook::server_limits l;
  l.head_deadline = 300ms;
  l.request_deadline = 2000ms;
  l.max_pending = 4;
  return l;
}

}  // namespace

TEST_CASE("webhook server: only an authorised, bounded request reaches accept") {
  local_webhook w(small_limits());
  CHECK(w.post(R"({"update_id":1})", secret) == 200);
  CHECK(w.post(R"({"update_id":2})", "wrong") == 403);
  CHECK(w.post(R"({"update_id":3})", "") == 403);
  REQUIRE(w.accepted() == 1);
  CHECK(w.bodies[0] == R"({"update_id":1})");

  raw_connection gz(w.port);
  gz.send("POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: " + secret +
          "\r\nContent-Encoding: gzip\r\nContent-Length: 10\r\n\r\n0123456789");
  CHECK(status_of(gz.read_all()) == 415);
  raw_connection chunked(w.port);
  chunked.send("POST /hook HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: " + secret +
               "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  CHECK(status_of(chunked.read_all()) == 411);
  CHECK(w.accepted() == 1);
}

TEST_CASE("webhook server: a silent client is cut off at the head deadline") {
  local_webhook w(small_limits());
  raw_connection silent(w.port);
  auto started = std::chrono::steady_clock::now();
  const std::string answer = silent.read_all(5000ms);
  auto waited = std::chrono::steady_clock::now() - started;
  CHECK(status_of(answer) == 408);
  CHECK(waited < 3000ms);  // the deadline, not the read timeout of 5 s
}

TEST_CASE("webhook server: a head without end is refused at 16 KiB") {
  local_webhook w(small_limits());
  raw_connection endless(w.port);
  endless.send("POST /hook HTTP/1.1\r\nX-Fill: " + std::string(20 * 1024, 'a'), 1000ms);
  const std::string answer = endless.read_all(2000ms);
  // The 431 may be lost to a reset when our unread bytes are still arriving.
  CHECK((answer.empty() || status_of(answer) == 431));
  CHECK(w.post(R"({"update_id":9})", secret) == 200);
}

TEST_CASE("webhook server: idle connections beyond the cap make room for a real update") {
  local_webhook w(small_limits());
  std::vector<raw_connection> idle;
  for (int i = 0; i < 12; ++i) idle.emplace_back(w.port);
  CHECK(w.post(R"({"update_id":5})", secret) == 200);
  // The oldest waiting ones were dropped to make room: they read an end of stream at once.
  CHECK(idle.front().read_all(1000ms).empty());
}

TEST_CASE("webhook server: Expect 100-continue without the secret is refused, not continued") {
  local_webhook w(small_limits());
  raw_connection c(w.port);
  c.send(
      "POST /hook HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 500000\r\n\r\n");
  const std::string answer = c.read_all(2000ms);
  CHECK(status_of(answer) == 403);
  CHECK(answer.find("100 Continue") == std::string::npos);
}
