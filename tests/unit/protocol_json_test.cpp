// protocol/json_writer: RFC 8259 escaping, always-valid output, checked by parsing it back with
// simdjson.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string>

#include "protocol/json_writer.hpp"

using namespace nocturna;

namespace {

// Parses `json` and returns the string at the top level (or at `key` of an object).
std::string parse_string(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(json).get(doc));
  std::string_view sv;
  REQUIRE_FALSE(doc.get(sv));
  return std::string(sv);
}

}  // namespace

TEST_CASE("quote round trips through simdjson") {
  const std::string samples[] = {
      "",
      "plain",
      "quote \" backslash \\ slash /",
      "Привет, мир! 🌟 ℹ️ 👨‍👩‍👧",
      "tabs\tnew\nlines\r\nform\ffeed\bback",
      "<b>html</b> &amp;",
      "\u2028line separators\u2029",
  };
  for (const auto& s : samples) {
    const std::string q = json::quote(s);
    CHECK(q.front() == '"');
    CHECK(q.back() == '"');
    CHECK(parse_string(q) == s);
  }
}

TEST_CASE("quote escapes every control character as u00XX") {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all.push_back(static_cast<char>(c));
  all.push_back('\x7f');
  const std::string q = json::quote(all);
  for (char c : q) CHECK(static_cast<unsigned char>(c) >= 0x20);
  CHECK(q.find("\\u0000") != std::string::npos);
  CHECK(q.find("\\u001f") != std::string::npos);
  CHECK(q.find("\\n") != std::string::npos);
  CHECK(parse_string(q) == all);
}

TEST_CASE("quote replaces invalid UTF-8 with U+FFFD") {
  const std::string bad = std::string("a\xff") + "b\xc0\xaf" + "c\xed\xa0\x80" + "d\xe2\x82";
  const std::string q = json::quote(bad);
  const std::string back = parse_string(q);
  CHECK(back.find("\xff") == std::string::npos);
  CHECK(back.rfind("a\xEF\xBF\xBD"
                   "b",
                   0) == 0);
  CHECK(back.find("d\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
  CHECK(json::quote("\xff") == "\"\xEF\xBF\xBD\"");
}

TEST_CASE("object builder writes every value type") {
  const std::string text = "Строка с \"кавычками\"\n";
  const std::string json = json::object()
                               .add("chat_id", std::int64_t{-1001234567890123})
                               .add("text", text)
                               .add("c", "cstr")
                               .add("small", 5)
                               .add("max", std::numeric_limits<std::int64_t>::max())
                               .add("min", std::numeric_limits<std::int64_t>::min())
                               .add("pi", 3.141592653589793)
                               .add("tenth", 0.1)
                               .add("nan", std::nan(""))
                               .add("inf", std::numeric_limits<double>::infinity())
                               .add("yes", true)
                               .add("no", false)
                               .add_raw("markup", R"({"inline_keyboard":[]})")
                               .add("ke\"y", "v")
                               .str();
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(json).get(doc));
  int64_t i = 0;
  REQUIRE_FALSE(doc["chat_id"].get(i));
  CHECK(i == -1001234567890123);
  REQUIRE_FALSE(doc["max"].get(i));
  CHECK(i == std::numeric_limits<std::int64_t>::max());
  REQUIRE_FALSE(doc["min"].get(i));
  CHECK(i == std::numeric_limits<std::int64_t>::min());
  REQUIRE_FALSE(doc["small"].get(i));
  CHECK(i == 5);
  std::string_view sv;
  REQUIRE_FALSE(doc["text"].get(sv));
  CHECK(sv == text);
  REQUIRE_FALSE(doc["c"].get(sv));
  CHECK(sv == "cstr");
  REQUIRE_FALSE(doc["ke\"y"].get(sv));
  CHECK(sv == "v");
  double d = 0;
  REQUIRE_FALSE(doc["pi"].get(d));
  CHECK(d == 3.141592653589793);  // exact round trip
  REQUIRE_FALSE(doc["tenth"].get(d));
  CHECK(d == 0.1);
  CHECK(doc["nan"].is_null());
  CHECK(doc["inf"].is_null());
  bool b = false;
  REQUIRE_FALSE(doc["yes"].get(b));
  CHECK(b);
  REQUIRE_FALSE(doc["no"].get(b));
  CHECK_FALSE(b);
  simdjson::dom::array arr;
  REQUIRE_FALSE(doc["markup"]["inline_keyboard"].get(arr));
  CHECK(arr.size() == 0);
  CHECK(json::object().str() == "{}");
  CHECK(json::object().add("a", 1).add("b", false).str() == R"({"a":1,"b":false})");
}

TEST_CASE("string_array quotes each item") {
  CHECK(json::string_array({}) == "[]");
  CHECK(json::string_array({"message", "callback_query", "my_chat_member"}) ==
        R"(["message","callback_query","my_chat_member"])");
  const std::string json = json::string_array({"a\"b", "\x01", "я"});
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(json).get(doc));
  simdjson::dom::array arr;
  REQUIRE_FALSE(doc.get(arr));
  REQUIRE(arr.size() == 3);
  std::string_view sv;
  REQUIRE_FALSE(arr.at(0).get(sv));
  CHECK(sv == "a\"b");
  REQUIRE_FALSE(arr.at(1).get(sv));
  CHECK(sv == "\x01");
}
