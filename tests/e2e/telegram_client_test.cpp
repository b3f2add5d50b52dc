// The Telegram client against the sandbox over real HTTP: calls, uploads and the classification
// of Telegram's refusals (docs/telegram.md §5, §6.4).
#include "clients/telegram/telegram_client.hpp"

#include <doctest/doctest.h>

#include "protocol/bot_types.hpp"
#include "protocol/json_writer.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;
using std::chrono::seconds;

namespace {

std::string message_body(std::int64_t chat, const std::string& text, bool html) {
  json::object o;
  o.add("chat_id", chat).add("text", text);
  if (html) o.add("parse_mode", "HTML");
  return o.str();
}

}  // namespace

TEST_CASE("telegram client: getMe and sendMessage through the sandbox") {
  harness h;
  bot::telegram_client client(h.sandbox_server->base_url(), e2e_token);
  auto me = client.call("getMe", "{}", seconds(5));
  REQUIRE(me.kind == bot::outcome::ok);
  auto user = bot::parse_user(me.result_json);
  REQUIRE(user.has_value());
  CHECK(user->is_bot);
  h.control->send(21, "hi");
  auto r = client.call("sendMessage", message_body(21, "<b>жирный</b> &amp; 🌟", true), seconds(5));
  REQUIRE(r.kind == bot::outcome::ok);
  CHECK(bot::parse_message_id(r.result_json).value_or(0) > 0);
}

TEST_CASE("telegram client: the sandbox refuses bad HTML and over-long text like Telegram") {
  harness h;
  bot::telegram_client client(h.sandbox_server->base_url(), e2e_token);
  h.control->send(22, "hi");
  auto bad = client.call("sendMessage", message_body(22, "<b>open", true), seconds(5));
  CHECK(bad.http_status == 400);
  CHECK(bad.kind == bot::outcome::bad_entities);
  auto tag = client.call("sendMessage", message_body(22, "<script>x</script>", true), seconds(5));
  CHECK(tag.kind == bot::outcome::bad_entities);
  auto too_long =
      client.call("sendMessage", message_body(22, std::string(4097, 'a'), false), seconds(5));
  CHECK(too_long.kind == bot::outcome::too_long);
  // 2048 emoji are 4096 UTF-16 units: exactly at the limit.
  std::string emoji;
  for (int i = 0; i < 2048; ++i) emoji += "\xF0\x9F\x8C\x9F";
  CHECK(client.call("sendMessage", message_body(22, emoji, false), seconds(5)).kind ==
        bot::outcome::ok);
  CHECK(client.call("sendMessage", message_body(22, emoji + "a", false), seconds(5)).kind ==
        bot::outcome::too_long);
}

TEST_CASE("telegram client: unknown fields, wrong token and missing chats are classified") {
  harness h;
  bot::telegram_client client(h.sandbox_server->base_url(), e2e_token);
  auto unknown =
      client.call("sendMessage", R"({"chat_id":1,"text":"x","colour":"red"})", seconds(5));
  CHECK(unknown.http_status == 400);
  CHECK(unknown.kind == bot::outcome::rejected);
  auto missing = client.call("sendMessage", message_body(987654, "x", false), seconds(5));
  CHECK(missing.kind == bot::outcome::chat_gone);
  bot::telegram_client wrong(h.sandbox_server->base_url(), "1:nope");
  CHECK(wrong.call("getMe", "{}", seconds(5)).kind == bot::outcome::unauthorized);
}

TEST_CASE("telegram client: a photo upload arrives as multipart and returns a file id") {
  harness h;
  bot::telegram_client client(h.sandbox_server->base_url(), e2e_token);
  h.control->send(23, "hi");
  // The smallest valid PNG: 1x1, one grey pixel.
  const unsigned char png[] = {
      0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
      0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00,
      0x00, 0x3A, 0x7E, 0x9B, 0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
      0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4, 0x71, 0x00,
      0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};
  bot::upload_file file{"photo", "chart.png", "image/png",
                        std::string(reinterpret_cast<const char*>(png), sizeof png)};
  auto r = client.call_multipart("sendPhoto", {{"chat_id", "23"}, {"caption", "Карта"}}, file,
                                 seconds(10));
  REQUIRE(r.kind == bot::outcome::ok);
  auto t = h.control->get_transcript(23);
  REQUIRE(t.bot_messages().size() == 1);
  CHECK(t.bot_messages()[0].caption.value_or("") == "Карта");
  REQUIRE_FALSE(t.bot_messages()[0].photo_file_id.empty());
  CHECK(h.control->photo(t.bot_messages()[0].photo_file_id) == file.bytes);
}

TEST_CASE("telegram client: stop() aborts a long poll from another thread") {
  harness h;
  bot::telegram_client client(h.sandbox_server->base_url(), e2e_token);
  std::thread stopper([&] {  // once the long poll is in flight at the sandbox
    wait_until([&] {
      for (auto& c : h.control->calls(0, "getUpdates").calls)
        if (c.status == 0) return true;
      return false;
    });
    client.stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto r = client.call("getUpdates", R"({"timeout":10})", seconds(20));
  auto took = std::chrono::steady_clock::now() - started;
  stopper.join();
  CHECK(r.kind == bot::outcome::transient);
  CHECK(took < seconds(8));  // well before the 10 s poll would end by itself
}
