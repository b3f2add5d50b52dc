#include <doctest/doctest.h>

#include <string>

#include "protocol/bot_types.hpp"
#include "protocol/call_bodies.hpp"
#include "protocol/sent_result.hpp"

using nocturna::bot::parse_message_id;
using nocturna::bot::parse_photo_file_id;
using nocturna::bot::sent_result_digest;

namespace {

// A sendMessage result as Telegram returns it: the whole Message, text and sender echoed.
std::string text_message(std::int64_t id, const std::string& text) {
  return R"({"message_id":)" + std::to_string(id) +
         R"(,"from":{"id":7000000001,"is_bot":true,"first_name":"Nocturna","username":"nocturna_bot"},)"
         R"("chat":{"id":1000001,"first_name":"Анна","type":"private"},"date":1765000000,"text":")" +
         text + R"(","entities":[{"offset":0,"length":5,"type":"bold"}]})";
}

}  // namespace

TEST_CASE("sent result: a sent text keeps only its message id") {
  auto full = text_message(4242, std::string(600, 'x'));
  auto digest = sent_result_digest(full);
  CHECK(digest == R"({"message_id":4242})");
  CHECK(parse_message_id(digest) == parse_message_id(full));
  CHECK_FALSE(parse_photo_file_id(digest));
}

TEST_CASE("sent result: a sent photo keeps its message id and the largest size's file_id") {
  std::string full =
      R"({"message_id":77,"chat":{"id":5,"type":"private"},"date":1765000000,"photo":[)"
      R"({"file_id":"small-id","file_unique_id":"a","width":90,"height":90,"file_size":1000},)"
      R"({"file_id":"large-id","file_unique_id":"b","width":1280,"height":1280,"file_size":90000}],)"
      R"("caption":"Натальная карта"})";
  auto digest = sent_result_digest(full);
  CHECK(digest.size() < full.size());
  CHECK(parse_message_id(digest) == 77);
  REQUIRE(parse_photo_file_id(digest));
  CHECK(*parse_photo_file_id(digest) == "large-id");
  CHECK(sent_result_digest(digest) == digest);  // read back from the sent-log, kept as it is
}

TEST_CASE("sent result: results without a message id are kept when short, cut when long") {
  CHECK(sent_result_digest("true") == "true");
  CHECK(sent_result_digest(R"({"id":1,"is_bot":true})") == R"({"id":1,"is_bot":true})");
  CHECK(sent_result_digest("[" + std::string(500, ' ') + "1]") == "true");
  CHECK(sent_result_digest(std::string(500, '{')) == "true");  // not JSON at all
  CHECK(sent_result_digest("") == "");
}
