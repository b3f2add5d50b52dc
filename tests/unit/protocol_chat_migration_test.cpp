#include <doctest/doctest.h>

#include "protocol/chat_migration.hpp"

using namespace nocturna;

TEST_CASE("chat migration: chat_id is replaced and every other parameter kept as it was") {
  auto out = bot::with_chat_id(
      R"({"chat_id":-1001,"text":"\"chat_id\":-1001 <b>&amp;</b>","reply_parameters":{"message_id":7}})",
      -100200300);
  REQUIRE(out.has_value());
  CHECK(
      *out ==
      R"({"chat_id":-100200300,"text":"\"chat_id\":-1001 <b>&amp;</b>","reply_parameters":{"message_id":7}})");
}

TEST_CASE("chat migration: no chat_id or not an object → nothing") {
  CHECK_FALSE(bot::with_chat_id(R"({"text":"x"})", 5).has_value());
  CHECK_FALSE(bot::with_chat_id("[1,2]", 5).has_value());
  CHECK_FALSE(bot::with_chat_id("{not json", 5).has_value());
}

TEST_CASE("chat migration: multipart fields") {
  std::vector<std::pair<std::string, std::string>> fields = {{"chat_id", "-1001"},
                                                             {"caption", "c"}};
  CHECK(bot::set_chat_id_field(fields, -1002));
  CHECK(fields[0].second == "-1002");
  CHECK(fields[1].second == "c");
  std::vector<std::pair<std::string, std::string>> none = {{"caption", "c"}};
  CHECK_FALSE(bot::set_chat_id_field(none, -1002));
}
