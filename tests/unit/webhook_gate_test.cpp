// The webhook's decision from the request head alone (clients/webhook/request_gate.hpp).
#include <doctest/doctest.h>

#include <string>

#include "clients/webhook/request_gate.hpp"

using nocturna::webhook::check_request_head;
using nocturna::webhook::request_head;

namespace {

const std::string secret(64, 's');

request_head telegram_post() {
  request_head h;
  h.method = "POST";
  h.path = "/webhook";
  h.secret = secret;
  h.content_length_headers = 1;
  h.content_length = "321";
  return h;
}

int status(const request_head& h) {
  return check_request_head(h, "/webhook", secret).status;
}

}  // namespace

TEST_CASE("webhook gate: Telegram's request passes with its length") {
  auto v = check_request_head(telegram_post(), "/webhook", secret);
  CHECK(v.status == 0);
  CHECK(v.body_length == 321);
  auto h = telegram_post();
  h.content_length = "1048576";  // exactly 1 MiB
  CHECK(status(h) == 0);
}

TEST_CASE("webhook gate: without the right secret nothing else is looked at") {
  auto h = telegram_post();
  h.secret.reset();
  h.has_content_encoding = true;
  h.content_length = "999999999";
  CHECK(status(h) == 403);
  // request_head holds views: the strings they see must outlive the checks.
  const std::string other(64, 't'), shorter = secret.substr(1);
  h.secret = other;
  CHECK(status(h) == 403);
  h.secret = shorter;
  CHECK(status(h) == 403);
  h.secret = "";
  CHECK(status(h) == 403);
}

TEST_CASE("webhook gate: other paths and methods are answered without the body") {
  auto h = telegram_post();
  h.path = "/health";
  CHECK(status(h) == 404);
  h.path = "/webhook";
  h.method = "GET";
  CHECK(status(h) == 405);
  h.method = "PUT";
  CHECK(status(h) == 405);
}

TEST_CASE("webhook gate: encodings, chunks and lengths that cannot be bounded up front") {
  auto h = telegram_post();
  h.has_content_encoding = true;
  CHECK(status(h) == 415);
  h = telegram_post();
  h.has_transfer_encoding = true;
  CHECK(status(h) == 411);
  h = telegram_post();
  h.content_length_headers = 0;
  h.content_length = "";
  CHECK(status(h) == 411);
  h = telegram_post();
  h.content_length_headers = 2;
  CHECK(status(h) == 400);
  for (const char* bad : {"", "-1", "+5", " 5", "5 ", "0x10", "12a", "99999999999999999999"}) {
    h = telegram_post();
    h.content_length = bad;
    CHECK_MESSAGE(status(h) == 400, bad);
  }
  h = telegram_post();
  h.content_length = "1048577";
  CHECK(status(h) == 413);
  h.content_length = "419430400";
  CHECK(status(h) == 413);
}
