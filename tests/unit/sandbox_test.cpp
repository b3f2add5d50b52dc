// The sandbox Bot API server over real HTTP on 127.0.0.1 (ephemeral ports): Telegram's strictness,
// long polling, webhooks, faults, the control API and the call log (docs/sandbox.md).
#include <doctest/doctest.h>
#include <httplib.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "clients/sandbox/control_client.hpp"
#include "clients/sandbox/entities.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "protocol/json_writer.hpp"

using namespace nocturna;
using namespace std::chrono_literals;

namespace {

using steady = std::chrono::steady_clock;

struct answer {
  int status = 0;
  std::string body;
  bool ok = false;
  std::string description;
  std::string result;  // compact JSON of "result"
  std::int64_t retry_after = 0;
};

answer parse_answer(int status, const std::string& body) {
  answer a;
  a.status = status;
  a.body = body;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return a;
  bool ok = false;
  if (!doc["ok"].get(ok)) a.ok = ok;
  std::string_view description;
  if (!doc["description"].get(description)) a.description = std::string(description);
  simdjson::dom::element result;
  if (!doc["result"].get(result)) a.result = simdjson::minify(result);
  std::int64_t retry = 0;
  if (!doc["parameters"]["retry_after"].get(retry)) a.retry_after = retry;
  return a;
}

std::string field_of(const std::string& json, const char* pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::dom::element value;
  if (parser.parse(json).get(doc) || doc.at_pointer(pointer).get(value)) return "";
  std::string_view s;
  if (!value.get_string().get(s)) return std::string(s);
  return simdjson::minify(value);
}

std::size_t array_size(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::array arr;
  if (parser.parse(json).get_array().get(arr)) return static_cast<std::size_t>(-1);
  return arr.size();
}

// A minimal PNG: signature and IHDR are all the sandbox reads.
std::string fake_png(std::uint32_t w, std::uint32_t h) {
  std::string png("\x89PNG\r\n\x1a\n", 8);
  png += std::string("\0\0\0\x0d", 4) + "IHDR";
  for (std::uint32_t v : {w, h}) {
    for (int shift = 24; shift >= 0; shift -= 8) png += static_cast<char>((v >> shift) & 0xFF);
  }
  png += std::string("\x08\x06\0\0\0", 5) + std::string(64, '\x42');
  return png;
}

struct fixture {
  explicit fixture(bool rate_limits = false) : srv(make_options(rate_limits)) {
    srv.start();
    control = std::make_unique<sandbox::control_client>(srv.base_url());
  }

  static sandbox::options make_options(bool rate_limits) {
    sandbox::options o;
    o.port = 0;
    o.rate_limits = rate_limits;
    o.threads = 16;
    return o;
  }

  std::string path(const std::string& method) const { return "/bot" + srv.token() + "/" + method; }

  answer call(const std::string& method, const std::string& json = "{}") {
    httplib::Client c(srv.base_url());
    c.set_read_timeout(60s);
    auto res = c.Post(path(method).c_str(), json, "application/json");
    REQUIRE(res);
    return parse_answer(res->status, res->body);
  }

  // Waits until `n` getUpdates calls are in flight: the sandbox logs a call as it arrives.
  void wait_polls_in_flight(std::size_t n = 1) {
    auto until = steady::now() + 20s;
    while (steady::now() < until) {
      std::size_t waiting = 0;
      for (auto& c : control->calls(0, "getUpdates").calls) waiting += c.status == 0;
      if (waiting >= n) return;
      std::this_thread::sleep_for(5ms);
    }
    FAIL("no getUpdates in flight");
  }

  answer send_text(std::int64_t chat, const std::string& text, const std::string& extra = "") {
    return call("sendMessage", "{\"chat_id\":" + std::to_string(chat) +
                                   ",\"text\":" + json::quote(text) + extra + "}");
  }

  sandbox::server srv;
  std::unique_ptr<sandbox::control_client> control;
};

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("sandbox getMe answers the bot user") {
  fixture f;
  auto a = f.call("getMe");
  CHECK(a.status == 200);
  CHECK(a.ok);
  CHECK(field_of(a.result, "/is_bot") == "true");
  CHECK(field_of(a.result, "/username") == "nocturna_sandbox_bot");
  CHECK(field_of(a.result, "/id") == "1000000001");
}

TEST_CASE("sandbox rejects a wrong token with 401 and an unknown method with 404") {
  fixture f;
  httplib::Client c(f.srv.base_url());
  auto res = c.Post("/bot123:wrong/getMe", "{}", "application/json");
  REQUIRE(res);
  auto a = parse_answer(res->status, res->body);
  CHECK(a.status == 401);
  CHECK_FALSE(a.ok);
  CHECK(a.description == "Unauthorized");
  CHECK(field_of(res->body, "/error_code") == "401");

  auto unknown = f.call("sendTelepathy");
  CHECK(unknown.status == 404);
  CHECK(unknown.description == "Not Found");

  auto unsupported = f.call("sendDice", "{\"chat_id\":1}");
  CHECK(unsupported.status == 400);
  CHECK(unsupported.description == "Bad Request: method is not supported by the sandbox");
}

TEST_CASE("sandbox method names are case-insensitive and parameters come in every encoding") {
  fixture f;
  f.control->send(5, "hello");
  CHECK(f.call("GETME").ok);
  CHECK(f.call("SendMessage", R"({"chat_id":5,"text":"json body"})").ok);

  httplib::Client c(f.srv.base_url());
  auto form = c.Post(f.path("sendMessage").c_str(), "chat_id=5&text=form%20body",
                     "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(parse_answer(form->status, form->body).ok);
  auto query = c.Get((f.path("sendMessage") + "?chat_id=5&text=query%20string").c_str());
  REQUIRE(query);
  CHECK(parse_answer(query->status, query->body).ok);
  httplib::MultipartFormDataItems items = {{"chat_id", "5", "", ""}, {"text", "multipart", "", ""}};
  auto multipart = c.Post(f.path("sendMessage").c_str(), items);
  REQUIRE(multipart);
  CHECK(parse_answer(multipart->status, multipart->body).ok);

  auto t = f.control->get_transcript(5);
  REQUIRE(t.messages.size() == 5);
  CHECK(t.messages[1].text == std::optional<std::string>("json body"));
  CHECK(t.messages[2].text == std::optional<std::string>("form body"));
  CHECK(t.messages[3].text == std::optional<std::string>("query string"));
  CHECK(t.messages[4].text == std::optional<std::string>("multipart"));
}

TEST_CASE("sandbox sendMessage needs a chat a user wrote in") {
  fixture f;
  auto before = f.send_text(42, "hi");
  CHECK(before.status == 400);
  CHECK(before.description == "Bad Request: chat not found");

  auto sent = f.control->send(42, "/start");
  CHECK(sent.message_id == 1);
  auto a = f.send_text(42, "<b>Hello</b> &amp; welcome", ",\"parse_mode\":\"HTML\"");
  REQUIRE(a.ok);
  CHECK(field_of(a.result, "/message_id") == "2");
  CHECK(field_of(a.result, "/chat/id") == "42");
  CHECK(field_of(a.result, "/from/is_bot") == "true");
  CHECK(field_of(a.result, "/text") == "Hello & welcome");

  auto t = f.control->get_transcript(42);
  REQUIRE(t.messages.size() == 2);
  CHECK_FALSE(t.messages[0].from_bot);
  CHECK(t.messages[1].from_bot);
  CHECK(t.messages[1].text == std::optional<std::string>("<b>Hello</b> &amp; welcome"));
  CHECK(t.messages[1].plain == "Hello & welcome");
}

TEST_CASE("sandbox rejects unknown and missing fields like a strict Telegram") {
  fixture f;
  f.control->send(1, "hi");
  auto unknown = f.call("sendMessage", R"({"chat_id":1,"text":"x","colour":"red"})");
  CHECK(unknown.status == 400);
  CHECK(unknown.description.find("colour") != std::string::npos);

  auto no_chat = f.call("sendMessage", R"({"text":"x"})");
  CHECK(no_chat.status == 400);
  CHECK(no_chat.description == "Bad Request: chat_id is empty");

  auto no_text = f.call("sendMessage", R"({"chat_id":1})");
  CHECK(no_text.status == 400);
  CHECK(no_text.description == "Bad Request: message text is empty");

  auto empty_text = f.call("sendMessage", R"({"chat_id":1,"text":""})");
  CHECK(empty_text.description == "Bad Request: message text is empty");

  auto wrong_type = f.call("getUpdates", R"({"limit":"many"})");
  CHECK(wrong_type.status == 400);
  CHECK(wrong_type.description.find("limit") != std::string::npos);

  auto bad_markup = f.call(
      "sendMessage",
      R"({"chat_id":1,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":")" +
          repeat("x", 65) + R"("}]]}})");
  CHECK(bad_markup.status == 400);
  CHECK(bad_markup.description == "Bad Request: BUTTON_DATA_INVALID");
}

TEST_CASE("sandbox validates HTML and counts length after entity parsing in UTF-16 units") {
  fixture f;
  f.control->send(1, "hi");
  auto bad = f.send_text(1, "<foo>x</foo>", ",\"parse_mode\":\"HTML\"");
  CHECK(bad.status == 400);
  CHECK(bad.description.find("can't parse entities") != std::string::npos);

  CHECK(f.send_text(1, repeat("a", 4096)).ok);
  auto too_long = f.send_text(1, repeat("a", 4097));
  CHECK(too_long.status == 400);
  CHECK(too_long.description == "Bad Request: message is too long");

  // Tags do not count, entities count once.
  CHECK(f.send_text(1, "<b>" + repeat("&amp;", 4096) + "</b>", ",\"parse_mode\":\"HTML\"").ok);

  const std::string emoji = "\xF0\x9F\x8C\x99";  // U+1F319, two UTF-16 units
  CHECK(f.send_text(1, repeat(emoji, 2048)).ok);
  auto emoji_long = f.send_text(1, repeat(emoji, 2048) + "a");
  CHECK(emoji_long.description == "Bad Request: message is too long");
}

TEST_CASE("sandbox long polling returns an injected update promptly and waits when there is none") {
  fixture f;
  auto start = steady::now();
  auto empty = f.call("getUpdates", R"({"timeout":1})");
  auto waited = steady::now() - start;
  CHECK(empty.ok);
  CHECK(empty.result == "[]");
  CHECK(waited >= 900ms);

  auto poll = std::async(std::launch::async, [&] {
    auto t0 = steady::now();
    auto a = f.call("getUpdates", R"({"timeout":10})");
    return std::make_pair(a, steady::now() - t0);
  });
  f.wait_polls_in_flight();
  auto sent = f.control->send(7, "/start");
  auto [a, took] = poll.get();
  REQUIRE(a.ok);
  CHECK(took < 3s);
  REQUIRE(array_size(a.result) == 1);
  CHECK(field_of(a.result, "/0/update_id") == std::to_string(sent.update_id));
  CHECK(field_of(a.result, "/0/message/text") == "/start");
  CHECK(field_of(a.result, "/0/message/entities/0/type") == "bot_command");
  CHECK(field_of(a.result, "/0/message/chat/type") == "private");
}

TEST_CASE("sandbox getUpdates offset confirms earlier updates") {
  fixture f;
  auto u1 = f.control->send(1, "one");
  auto u2 = f.control->send(1, "two");
  CHECK(u2.update_id == u1.update_id + 1);
  auto first = f.call("getUpdates");
  CHECK(array_size(first.result) == 2);
  auto again = f.call("getUpdates", R"({"limit":1})");
  CHECK(array_size(again.result) == 1);
  CHECK(field_of(again.result, "/0/update_id") == std::to_string(u1.update_id));
  auto after_first = f.call("getUpdates", "{\"offset\":" + std::to_string(u1.update_id + 1) + "}");
  REQUIRE(array_size(after_first.result) == 1);
  CHECK(field_of(after_first.result, "/0/update_id") == std::to_string(u2.update_id));
  f.call("getUpdates", "{\"offset\":" + std::to_string(u2.update_id + 1) + "}");
  CHECK(f.control->stats().pending_updates == 0);
  CHECK(f.call("getUpdates").result == "[]");
}

TEST_CASE("sandbox raw updates reach the bot verbatim") {
  fixture f;
  auto first = f.control->send(1, "before");
  const std::int64_t id = first.update_id + 1;
  auto good = f.control->raw(
      "{\"update_id\":" + std::to_string(id) +
      R"(,"message":{"message_id":1,"date":1,"chat":{"id":3,"type":"private","first_name":"R"},"text":"hi"}})");
  CHECK(good == id);
  auto broken = f.control->raw("{not json at all");
  CHECK(broken == id + 1);
  auto no_id = f.control->raw(R"({"message":{"text":"no update_id"}})");
  CHECK(no_id == id + 2);
  httplib::Client c(f.srv.base_url());
  auto res = c.Post(f.path("getUpdates").c_str(), "{}", "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.find(",{not json at all,{\"message\":{\"text\":\"no update_id\"}}]") !=
        std::string::npos);
  // The chat of a raw message exists for replies.
  CHECK(f.send_text(3, "reply").ok);
  f.call("getUpdates", "{\"offset\":" + std::to_string(id + 3) + "}");
  CHECK(f.control->stats().pending_updates == 0);
}

TEST_CASE("sandbox terminates the older of two concurrent getUpdates with 409") {
  fixture f;
  auto older =
      std::async(std::launch::async, [&] { return f.call("getUpdates", R"({"timeout":10})"); });
  f.wait_polls_in_flight();
  auto newer = f.call("getUpdates", R"({"timeout":1})");
  auto old_answer = older.get();
  CHECK(old_answer.status == 409);
  CHECK(old_answer.description ==
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
        "is running");
  CHECK(newer.ok);
}

TEST_CASE("sandbox webhook blocks getUpdates and receives updates") {
  fixture f;
  httplib::Server hook;
  std::mutex mu;
  std::vector<std::string> bodies;
  std::vector<std::string> secrets;
  std::atomic<int> failures_left{1};
  hook.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    if (failures_left-- > 0) {
      res.status = 500;
      return;
    }
    std::lock_guard<std::mutex> lock(mu);
    bodies.push_back(req.body);
    secrets.push_back(req.get_header_value("X-Telegram-Bot-Api-Secret-Token"));
  });
  int port = hook.bind_to_any_port("127.0.0.1");
  std::thread hook_thread([&] { hook.listen_after_bind(); });

  auto set = f.call("setWebhook", "{\"url\":\"http://127.0.0.1:" + std::to_string(port) +
                                      "/hook\",\"secret_token\":\"s3cret\"}");
  CHECK(set.ok);
  auto conflict = f.call("getUpdates");
  CHECK(conflict.status == 409);
  CHECK(conflict.description ==
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first");

  auto sent = f.control->send(9, "via webhook");
  auto deadline = steady::now() + 5s;
  while (steady::now() < deadline) {
    std::lock_guard<std::mutex> lock(mu);
    if (!bodies.empty()) break;
    std::this_thread::sleep_for(20ms);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    REQUIRE(bodies.size() == 1);
    CHECK(field_of(bodies[0], "/update_id") == std::to_string(sent.update_id));
    CHECK(secrets[0] == "s3cret");
  }
  answer info;
  for (auto until = steady::now() + 5s; steady::now() < until; std::this_thread::sleep_for(20ms)) {
    info = f.call("getWebhookInfo");
    if (field_of(info.result, "/pending_update_count") == "0") break;
  }
  CHECK(field_of(info.result, "/pending_update_count") == "0");
  CHECK(field_of(info.result, "/last_error_message").find("500") != std::string::npos);
  CHECK(f.control->stats().webhook_url.find("/hook") != std::string::npos);

  CHECK(f.call("deleteWebhook").ok);
  CHECK(f.call("getUpdates").ok);
  hook.stop();
  hook_thread.join();
}

TEST_CASE("sandbox faults answer errors then let calls through") {
  fixture f;
  f.control->send(1, "hi");
  sandbox::fault fail;
  fail.method = "sendmessage";
  fail.count = 1;
  fail.error_code = 500;
  f.control->add_fault(fail);
  auto first = f.send_text(1, "a");
  CHECK(first.status == 500);
  CHECK(first.description == "Internal Server Error");
  CHECK(f.send_text(1, "a").ok);

  sandbox::fault flood;
  flood.method = "*";
  flood.error_code = 429;
  flood.retry_after = 3;
  f.control->add_fault(flood);
  auto limited = f.send_text(1, "b");
  CHECK(limited.status == 429);
  CHECK(limited.retry_after == 3);
  CHECK(limited.description == "Too Many Requests: retry after 3");

  sandbox::fault proxy;
  proxy.error_code = 502;
  proxy.raw_body = "<html>Bad Gateway</html>";
  f.control->add_fault(proxy);
  httplib::Client c(f.srv.base_url());
  auto res = c.Post(f.path("getMe").c_str(), "{}", "application/json");
  REQUIRE(res);
  CHECK(res->status == 502);
  CHECK(res->body == "<html>Bad Gateway</html>");

  sandbox::fault slow;
  slow.method = "getMe";
  slow.error_code = 0;
  slow.delay_ms = 300;
  f.control->add_fault(slow);
  auto t0 = steady::now();
  CHECK(f.call("getMe").ok);
  CHECK(steady::now() - t0 >= 250ms);
  CHECK(f.control->stats().calls == 5);
}

TEST_CASE("sandbox edits: not modified, not found, markup removal") {
  fixture f;
  f.control->send(1, "hi");
  auto sent = f.send_text(
      1, "status", R"(,"reply_markup":{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]})");
  REQUIRE(sent.ok);
  const std::string id = field_of(sent.result, "/message_id");
  const std::string markup =
      R"(,"reply_markup":{"inline_keyboard":[[{"text":"Go","callback_data":"go"}]]})";
  auto same = f.call("editMessageText",
                     "{\"chat_id\":1,\"message_id\":" + id + ",\"text\":\"status\"" + markup + "}");
  CHECK(same.status == 400);
  CHECK(same.description ==
        "Bad Request: message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message");
  auto changed =
      f.call("editMessageText", "{\"chat_id\":1,\"message_id\":" + id + ",\"text\":\"done\"}");
  CHECK(changed.ok);
  auto t = f.control->get_transcript(1);
  CHECK(t.messages.back().text == std::optional<std::string>("done"));
  CHECK(t.messages.back().edited);
  CHECK(t.messages.back().reply_markup.empty());
  auto missing = f.call("editMessageText", R"({"chat_id":1,"message_id":999,"text":"x"})");
  CHECK(missing.description == "Bad Request: message to edit not found");
  auto markup_same =
      f.call("editMessageReplyMarkup",
             "{\"chat_id\":1,\"message_id\":" + id + R"(,"reply_markup":{"inline_keyboard":[]}})");
  CHECK(markup_same.status == 400);
}

TEST_CASE("sandbox deleteMessage removes the message from the transcript") {
  fixture f;
  f.control->send(1, "hi");
  auto a = f.send_text(1, "temporary");
  auto b = f.send_text(1, "stays");
  const std::string id = field_of(a.result, "/message_id");
  CHECK(f.call("deleteMessage", "{\"chat_id\":1,\"message_id\":" + id + "}").ok);
  auto t = f.control->get_transcript(1);
  REQUIRE(t.messages.size() == 2);
  CHECK(t.messages[1].text == std::optional<std::string>("stays"));
  auto again = f.call("deleteMessage", "{\"chat_id\":1,\"message_id\":" + id + "}");
  CHECK(again.description == "Bad Request: message to delete not found");
}

TEST_CASE("sandbox sendPhoto takes a multipart upload and reuses its file_id") {
  fixture f;
  f.control->send(1, "/transit");
  httplib::Client c(f.srv.base_url());
  const std::string png = fake_png(800, 600);
  httplib::MultipartFormDataItems items = {{"chat_id", "1", "", ""},
                                           {"photo", png, "chart.png", "image/png"},
                                           {"caption", "<b>Chart</b>", "", ""},
                                           {"parse_mode", "HTML", "", ""}};
  auto res = c.Post(f.path("sendPhoto").c_str(), items);
  REQUIRE(res);
  auto a = parse_answer(res->status, res->body);
  REQUIRE(a.ok);
  CHECK(field_of(a.result, "/caption") == "Chart");
  CHECK(field_of(a.result, "/photo/1/width") == "800");
  const std::string file_id = field_of(a.result, "/photo/1/file_id");
  REQUIRE_FALSE(file_id.empty());

  auto again = f.call("sendPhoto", "{\"chat_id\":1,\"photo\":" + json::quote(file_id) + "}");
  CHECK(again.ok);
  CHECK(field_of(again.result, "/photo/1/file_id") == file_id);
  auto unknown = f.call("sendPhoto", R"({"chat_id":1,"photo":"nonsense"})");
  CHECK(unknown.description == "Bad Request: wrong file identifier/HTTP URL specified");

  auto t = f.control->get_transcript(1);
  REQUIRE(t.messages.size() == 3);
  CHECK(t.messages[1].photo_file_id == file_id);
  CHECK(t.messages[1].caption == std::optional<std::string>("<b>Chart</b>"));
  CHECK(f.control->photo(file_id) == png);
}

TEST_CASE("sandbox buttons: press makes a callback query answered once") {
  fixture f;
  f.control->send(1, "hi");
  auto sent = f.send_text(
      1, "pick", R"(,"reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]})");
  const auto message_id = std::stoll(field_of(sent.result, "/message_id"));
  CHECK_THROWS(f.control->press(1, message_id, "zzz"));
  auto pressed = f.control->press(1, message_id, "a");
  auto updates = f.call("getUpdates", "{\"offset\":" + std::to_string(pressed.update_id) + "}");
  REQUIRE(array_size(updates.result) == 1);
  CHECK(field_of(updates.result, "/0/callback_query/data") == "a");
  CHECK(field_of(updates.result, "/0/callback_query/message/text") == "pick");
  const std::string answer_body =
      "{\"callback_query_id\":" + json::quote(pressed.callback_query_id) + "}";
  CHECK(f.call("answerCallbackQuery", answer_body).ok);
  auto twice = f.call("answerCallbackQuery", answer_body);
  CHECK(twice.description ==
        "Bad Request: query is too old and response timeout expired or query ID is invalid");
}

TEST_CASE("sandbox call log records calls and concurrency per chat") {
  fixture f;
  f.control->send(1, "a");
  f.control->send(2, "b");
  sandbox::fault slow;
  slow.method = "sendMessage";
  slow.count = 4;
  slow.error_code = 0;
  slow.delay_ms = 400;
  f.control->add_fault(slow);
  std::vector<std::future<answer>> calls;
  for (int chat : {1, 1, 2, 2}) {
    calls.push_back(std::async(std::launch::async, [&f, chat] { return f.send_text(chat, "x"); }));
  }
  for (auto& c : calls) CHECK(c.get().ok);
  auto stats = f.control->stats();
  CHECK(stats.max_in_flight == 4);
  CHECK(stats.max_in_flight_per_chat == 2);

  auto page = f.control->calls(0, "sendmessage", 1);
  REQUIRE(page.calls.size() == 2);
  CHECK(page.calls[0].method == "sendMessage");
  CHECK(page.calls[0].chat_id == std::optional<std::int64_t>(1));
  CHECK(page.calls[0].status == 200);
  CHECK(page.calls[0].end_ms - page.calls[0].start_ms >= 350);
  CHECK(page.calls[0].param_string("text") == std::optional<std::string>("x"));

  f.control->reset();
  f.control->send(1, "a");
  for (int i = 0; i < 3; ++i) CHECK(f.send_text(1, "seq").ok);
  stats = f.control->stats();
  CHECK(stats.max_in_flight == 1);
  CHECK(stats.max_in_flight_per_chat == 1);
  CHECK(stats.calls == 3);
}

TEST_CASE("sandbox wait returns once the bot has answered") {
  fixture f;
  f.control->send(1, "hi");
  auto waiter = std::async(std::launch::async, [&] { return f.control->wait(1, 1, 5000ms); });
  std::this_thread::sleep_for(200ms);
  CHECK(f.send_text(1, "answer").ok);
  auto t = waiter.get();
  CHECK_FALSE(t.timed_out);
  CHECK(t.bot_messages().size() == 1);
  auto timed_out = f.control->wait(1, 2, 200ms);
  CHECK(timed_out.timed_out);
}

TEST_CASE("sandbox rate limits answer 429 with retry_after when on") {
  fixture f(true);
  f.control->send(1, "hi");
  for (int i = 0; i < 3; ++i) CHECK(f.send_text(1, "burst").ok);
  auto limited = f.send_text(1, "one too many");
  CHECK(limited.status == 429);
  CHECK(limited.retry_after >= 1);
  CHECK(f.call("sendChatAction", R"({"chat_id":1,"action":"typing"})").ok);
}

TEST_CASE("sandbox detects bot commands with UTF-16 offsets") {
  CHECK(sandbox::detect_entities("/start") == R"([{"offset":0,"length":6,"type":"bot_command"}])");
  CHECK(sandbox::detect_entities("/help@nocturna_bot now") ==
        R"([{"offset":0,"length":18,"type":"bot_command"}])");
  CHECK(sandbox::detect_entities("\xF0\x9F\x8C\x99 /natal") ==
        R"([{"offset":3,"length":6,"type":"bot_command"}])");
  CHECK(sandbox::detect_entities("a/b and http://x/y") == "");
  CHECK(sandbox::detect_entities("plain text") == "");
}

TEST_CASE("sandbox stops promptly with a long poll and a keep-alive connection open") {
  auto f = std::make_unique<fixture>();
  httplib::Client keep(f->srv.base_url());
  keep.set_keep_alive(true);
  REQUIRE(keep.Post(f->path("getMe").c_str(), "{}", "application/json"));
  auto poll =
      std::async(std::launch::async, [&] { return f->call("getUpdates", R"({"timeout":30})"); });
  f->wait_polls_in_flight();
  auto t0 = steady::now();
  f->srv.stop();
  CHECK(steady::now() - t0 < 2s);
  auto a = poll.get();
  CHECK(a.ok);
  CHECK(a.result == "[]");
}

TEST_CASE("sandbox a getUpdates held by a fault never terminates the poll that replaced it") {
  fixture f;
  sandbox::fault hang;
  hang.method = "getUpdates";
  hang.error_code = 0;
  hang.delay_ms = 2000;  // the fresh poll below must arrive while this one is held
  f.control->add_fault(hang);
  auto held = std::async(std::launch::async, [&] { return f.call("getUpdates"); });
  f.wait_polls_in_flight();
  // The client gave up on the held call and polls again.
  auto fresh =
      std::async(std::launch::async, [&] { return f.call("getUpdates", R"({"timeout":3})"); });
  auto old_answer = held.get();
  CHECK(old_answer.status == 409);
  f.wait_polls_in_flight();
  auto sent = f.control->send(1, "still polled");
  auto a = fresh.get();
  REQUIRE(a.ok);
  CHECK(field_of(a.result, "/0/update_id") == std::to_string(sent.update_id));
}

TEST_CASE("sandbox allowed_updates is remembered and filters new updates") {
  fixture f;
  auto a = f.call("getUpdates", R"({"allowed_updates":["callback_query"]})");
  CHECK(a.result == "[]");
  f.control->send(1, "dropped: messages are not allowed");
  CHECK(f.call("getUpdates").result == "[]");  // an omitted list keeps the setting
  CHECK(f.call("getUpdates", R"({"allowed_updates":[]})").result == "[]");
  auto kept = f.control->send(1, "default set again");
  auto b = f.call("getUpdates");
  REQUIRE(array_size(b.result) == 1);
  CHECK(field_of(b.result, "/0/update_id") == std::to_string(kept.update_id));
}

TEST_CASE("sandbox setMyCommands and answerCallbackQuery enforce Telegram's limits") {
  fixture f;
  CHECK(f.call("setMyCommands", R"({"commands":[{"command":"start","description":"Начать"}]})").ok);
  CHECK(f.control->get("/sandbox/commands").find("\"start\"") != std::string::npos);
  auto upper = f.call("setMyCommands", R"({"commands":[{"command":"Start","description":"x"}]})");
  CHECK(upper.description == "Bad Request: BOT_COMMAND_INVALID");
  auto empty = f.call("setMyCommands", R"({"commands":[{"command":"help","description":""}]})");
  CHECK(empty.description == "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
  std::string many = "[";
  for (int i = 0; i < 101; ++i) {
    many += std::string(i ? "," : "") + "{\"command\":\"c" + std::to_string(i) +
            "\",\"description\":\"d\"}";
  }
  CHECK(f.call("setMyCommands", "{\"commands\":" + many + "]}").status == 400);

  f.control->send(1, "hi");
  auto sent = f.send_text(
      1, "pick", R"(,"reply_markup":{"inline_keyboard":[[{"text":"A","callback_data":"a"}]]})");
  auto pressed = f.control->press(1, std::stoll(field_of(sent.result, "/message_id")), "a");
  auto too_long = f.call("answerCallbackQuery",
                         "{\"callback_query_id\":" + json::quote(pressed.callback_query_id) +
                             ",\"text\":" + json::quote(repeat("x", 201)) + "}");
  CHECK(too_long.status == 400);
  CHECK(f.call("answerCallbackQuery",
               "{\"callback_query_id\":" + json::quote(pressed.callback_query_id) +
                   ",\"text\":" + json::quote(repeat("x", 200)) + "}")
            .ok);
}

TEST_CASE("sandbox answers only to a loopback Host and JSON bodies typed as JSON") {
  fixture f;
  httplib::Client c(f.srv.base_url());
  // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1.
  for (const char* host : {"evil.example", "evil.example:8090", "127.0.0.1.evil.example",
                           "localhost.evil:80", "127.0.0.1:80x"}) {
    CAPTURE(host);
    auto page = c.Get("/", {{"Host", host}});
    REQUIRE(page);
    CHECK(page->status == 403);
    auto send = c.Post("/sandbox/send", {{"Host", host}}, R"({"chat_id":5,"text":"hi"})",
                       "application/json");
    REQUIRE(send);
    CHECK(send->status == 403);
  }
  for (const char* host : {"127.0.0.1", "localhost:8090", "LOCALHOST", "[::1]:1"}) {
    CAPTURE(host);
    auto page = c.Get("/", {{"Host", host}});
    REQUIRE(page);
    CHECK(page->status == 200);
  }
  // A cross-site form or text/plain POST skips the CORS preflight: not taken as JSON.
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
    CAPTURE(type);
    auto r = c.Post("/sandbox/send", R"({"chat_id":5,"text":"csrf"})", type);
    REQUIRE(r);
    CHECK(r->status == 415);
  }
  auto plain_bot =
      c.Post(f.path("sendMessage").c_str(), R"({"chat_id":5,"text":"x"})", "text/plain");
  REQUIRE(plain_bot);
  CHECK(plain_bot->status == 415);
  // The real thing still works, with a charset parameter too.
  auto ok =
      c.Post("/sandbox/send", R"({"chat_id":5,"text":"hi"})", "application/json; charset=utf-8");
  REQUIRE(ok);
  CHECK(ok->status == 200);
}
