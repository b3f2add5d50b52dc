// Inline mode through the sandbox (issue 21): POST /sandbox/inline makes an inline_query, the bot
// answers it once through answerInlineQuery with «Небо сейчас», «Луна сегодня» and, with birth
// data, «Мой прогноз на сегодня»; an unknown query gets the same cards.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "tests/e2e/spec_support.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

struct card {
  std::string id, title, description, text, parse_mode;
};

std::vector<card> cards_of(const std::string& results_json) {
  simdjson::dom::parser parser;
  std::vector<card> out;
  auto doc = parser.parse(results_json);
  REQUIRE_FALSE(doc.error());
  for (auto r : doc.get_array()) {
    card c;
    c.id = std::string(r["id"].get_string().value());
    c.title = std::string(r["title"].get_string().value());
    c.description = std::string(r["description"].get_string().value());
    CHECK(std::string_view(r["type"].get_string().value()) == "article");
    auto content = r["input_message_content"];
    c.text = std::string(content["message_text"].get_string().value());
    c.parse_mode = std::string(content["parse_mode"].get_string().value());
    out.push_back(c);
  }
  return out;
}

// The bot's answer to an inline query of `from` once it came.
nocturna::sandbox::inline_answer ask_inline(harness& h, std::int64_t from,
                                            const std::string& query) {
  auto asked = h.control->inline_query(from, query);
  REQUIRE_FALSE(asked.inline_query_id.empty());
  nocturna::sandbox::inline_answer answer;
  REQUIRE_MESSAGE(wait_until([&] {
                    answer = h.control->inline_answers(asked.inline_query_id);
                    return answer.answered;
                  }),
                  "the inline query «" << query << "» was not answered");
  // Answered once: exactly one answerInlineQuery names it.
  auto calls = h.answered_calls("answerInlineQuery", std::nullopt, 1);
  std::size_t for_this = 0;
  for (const auto& c : calls)
    for_this += c.param_string("inline_query_id").value_or("") == asked.inline_query_id;
  CHECK(for_this == 1);
  return answer;
}

void check_common(const std::vector<card>& cards) {
  REQUIRE(cards.size() >= 2);
  CHECK(cards[0].id == "sky");
  CHECK(cards[0].title == "Небо сейчас");
  CHECK(starts_with(cards[0].text, "🌟 <b>Позиции планет</b>\n📅 "));
  CHECK(cards[1].id == "moon");
  CHECK(cards[1].title == "Луна сегодня");
  CHECK(starts_with(cards[1].text, "🌙 <b>Лунный календарь</b>\n📅 "));
  for (const auto& c : cards) {
    CHECK(c.parse_mode == "HTML");
    CHECK_FALSE(c.description.empty());
  }
}

}  // namespace

TEST_CASE("e2e inline: without birth data the sky and the Moon at the default place") {
  harness h;
  h.start_bot();
  auto answer = ask_inline(h, 2201, "");
  auto cards = cards_of(answer.results_json);
  check_common(cards);
  CHECK(cards.size() == 2);
  CHECK(contains(cards[1].text, "📍 Москва\n"));
  CHECK_FALSE(answer.is_personal);
  CHECK(answer.cache_time == 30);
  // An unknown query gets the same cards.
  auto unknown = ask_inline(h, 2201, "что-нибудь непонятное");
  auto same = cards_of(unknown.results_json);
  REQUIRE(same.size() == 2);
  CHECK(same[0].id == "sky");
  CHECK(same[1].id == "moon");
}

TEST_CASE("e2e inline: with birth data the personal forecast joins, personal and cached") {
  harness h;
  h.start_bot();
  chat_driver c{h, 2202};
  save_birth(c);
  auto answer = ask_inline(h, 2202, "прогноз");
  auto cards = cards_of(answer.results_json);
  check_common(cards);
  REQUIRE(cards.size() == 3);
  CHECK(cards[2].id == "forecast");
  CHECK(cards[2].title == "Мой прогноз на сегодня");
  CHECK(starts_with(cards[2].text, "🌅 <b>Ваш прогноз на "));
  CHECK(answer.is_personal);
  CHECK(contains(cards[1].text, "📍 Москва, Россия"));  // the birth place
  // The second query of the day reads the same forecast from the cache.
  auto again = cards_of(ask_inline(h, 2202, "").results_json);
  REQUIRE(again.size() == 3);
  CHECK(again[2].text == cards[2].text);
  // The inline queries left the chat alone: it still answers at once.
  CHECK(c.say("/help").text.value_or("") == T_HELP);
}
