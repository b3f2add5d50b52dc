// The Telegram client on keep-alive connections a server closes (clients/telegram): one retry on
// a new connection when a reused one fails before any answer byte, idle connections reopened,
// and no retry after a read timeout. Against a real loopback server (tests/support).
#include <doctest/doctest.h>

#include <thread>

#include "clients/telegram/telegram_client.hpp"
#include "tests/support/keepalive_server.hpp"

using namespace nocturna;
using namespace nocturna::testing;
using action = keepalive_server::action;
using std::chrono::milliseconds;

namespace {

const std::string token = "123:keepalive-test";

bot::api_response send_message(bot::telegram_client& c, milliseconds timeout = milliseconds(5000)) {
  return c.call("sendMessage", R"({"chat_id":1,"text":"hi"})", timeout);
}

}  // namespace

TEST_CASE("telegram keep-alive: a quick second call reuses the connection") {
  keepalive_server server;
  bot::telegram_client client(server.url(), token);
  CHECK(send_message(client).succeeded());
  CHECK(send_message(client).succeeded());
  CHECK(server.request_connections() == std::vector<int>{1, 1});
}

TEST_CASE("telegram keep-alive: EOF before any answer on a reused connection: once more, new one") {
  keepalive_server server;
  server.on_request(2, action::close);
  bot::telegram_client client(server.url(), token);
  REQUIRE(send_message(client).succeeded());
  auto r = send_message(client);
  CHECK(r.succeeded());
  CHECK(client.stale_retries() == 1);
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2});
}

TEST_CASE("telegram keep-alive: a reset before any answer is retried for every method") {
  keepalive_server server;
  server.on_request(2, action::reset);
  server.on_request(4, action::reset);
  bot::telegram_client client(server.url(), token);
  REQUIRE(client.call("getMe", "{}", milliseconds(5000)).succeeded());
  CHECK(
      client
          .call("editMessageText", R"({"chat_id":1,"message_id":2,"text":"x"})", milliseconds(5000))
          .succeeded());
  CHECK(client.call("getUpdates", R"({"timeout":0})", milliseconds(5000)).succeeded());
  CHECK(client.stale_retries() == 2);
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2, 2, 3});
}

TEST_CASE("telegram keep-alive: a write failing on a reused connection is retried") {
  keepalive_server server;
  server.on_request(2, action::reset_in_body);
  bot::telegram_client client(server.url(), token);
  REQUIRE(send_message(client).succeeded());
  // A body far larger than the socket buffers: the reset lands while it is still being written.
  bot::upload_file big{"photo", "big.png", "image/png", std::string(8 << 20, 'x')};
  auto r = client.call_multipart("sendPhoto", {{"chat_id", "1"}}, big, milliseconds(5000));
  CHECK(r.succeeded());
  CHECK(client.stale_retries() == 1);
  CHECK(server.request_connections() == std::vector<int>{1, 1, 2});
}

TEST_CASE("telegram keep-alive: a fresh connection failing is not retried by the client") {
  keepalive_server server;
  server.on_request(1, action::close);
  bot::telegram_client client(server.url(), token);
  auto r = send_message(client);
  CHECK_FALSE(r.succeeded());
  CHECK(client.stale_retries() == 0);
  CHECK(server.request_connections() == std::vector<int>{1});
}

TEST_CASE("telegram keep-alive: a read timeout after a fully sent sendMessage is not retried") {
  keepalive_server server;
  server.on_request(2, action::hang);
  bot::telegram_client client(server.url(), token);
  REQUIRE(send_message(client).succeeded());
  auto r = send_message(client, milliseconds(300));
  CHECK_FALSE(r.succeeded());
  CHECK(r.maybe_delivered);  // Telegram may have delivered it: the sender decides
  CHECK(client.stale_retries() == 0);
  CHECK(server.request_connections() == std::vector<int>{1, 1});
}

TEST_CASE("telegram keep-alive: a connection idle longer than the limit is reopened before use") {
  keepalive_server server;
  bot::telegram_client client(server.url(), token);
  client.set_max_idle(milliseconds(100));
  REQUIRE(send_message(client).succeeded());
  // The idle gap is what is under test here, not a wait for some event.
  std::this_thread::sleep_for(milliseconds(250));
  REQUIRE(send_message(client).succeeded());
  CHECK(client.stale_retries() == 0);
  CHECK(server.request_connections() == std::vector<int>{1, 2});
}
