// Inline queries (issue 21): the update parses, the answer body has the cards, a long text is cut
// at a paragraph with «…» and a link to the bot.
#include "protocol/inline_answer.hpp"

#include <doctest/doctest.h>

#include <string>

#include "protocol/bot_types.hpp"
#include "protocol/html.hpp"

using namespace nocturna;

TEST_CASE("inline: an inline_query update parses and belongs to no chat") {
  auto u = bot::parse_update(
      R"({"update_id":7,"inline_query":{"id":"q1","from":{"id":42,"is_bot":false,)"
      R"("first_name":"Анна"},"query":"луна","offset":""}})");
  REQUIRE(u);
  CHECK(u->kind == bot::update_kind::inline_query);
  REQUIRE(u->inline_query);
  CHECK(u->inline_query->id == "q1");
  CHECK(u->inline_query->from.id == 42);
  CHECK(u->inline_query->query == "луна");
  CHECK_FALSE(u->chat_id());
  std::string error;
  CHECK_FALSE(bot::parse_update(R"({"update_id":8,"inline_query":{"id":"q2"}})", &error));
  CHECK(error.find("inline_query") != std::string::npos);
}

TEST_CASE("inline: the answer body lists the cards as HTML articles") {
  std::vector<bot::inline_card> cards = {{"sky", "Небо сейчас", "Позиции планет", "<b>1</b>"},
                                         {"moon", "Луна сегодня", "полнолуние", "2 &amp; 3"}};
  auto body = bot::answer_inline_query_body("q1", cards, 30, true);
  CHECK(body ==
        R"({"inline_query_id":"q1","results":[{"type":"article","id":"sky","title":"Небо сейчас",)"
        R"("description":"Позиции планет","input_message_content":{"message_text":"<b>1</b>",)"
        R"("parse_mode":"HTML","link_preview_options":{"is_disabled":true}}},{"type":"article",)"
        R"("id":"moon","title":"Луна сегодня","description":"полнолуние","input_message_content":)"
        R"({"message_text":"2 &amp; 3","parse_mode":"HTML","link_preview_options":)"
        R"({"is_disabled":true}}}],"cache_time":30,"is_personal":true})");
}

TEST_CASE("inline: a long text is cut at a paragraph with «…» and a link to the bot") {
  CHECK(bot::fit_inline_text("<b>short</b>", "nocturna_bot") == "<b>short</b>");
  std::string text;
  for (int i = 0; i < 60; ++i)
    text += (i ? "\n\n" : "") + std::string("<b>Абзац ") + std::to_string(i) + "</b>\n" +
            std::string(100, 'x');
  REQUIRE(html::visible_length(text) > bot::inline_text_limit);
  auto fitted = bot::fit_inline_text(text, "nocturna_bot");
  CHECK(html::visible_length(fitted) <= bot::inline_text_limit);
  CHECK_FALSE(html::validate(fitted));
  CHECK(fitted.rfind("<b>Абзац 0</b>\n", 0) == 0);
  const std::string link = "<a href=\"https://t.me/nocturna_bot\">@nocturna_bot</a>";
  CHECK(fitted.size() > link.size());
  CHECK(fitted.substr(fitted.size() - link.size()) == link);
  const auto cut = fitted.find("\n\n…\n");
  REQUIRE(cut != std::string::npos);
  CHECK(text.compare(0, cut, fitted, 0, cut) == 0);  // whole paragraphs of the text
  CHECK(text.compare(cut, 2, "\n\n") == 0);
  // One paragraph longer than the limit is cut inside, still valid HTML.
  auto one = bot::fit_inline_text("<i>" + std::string(5000, 'y') + "</i>", "b");
  CHECK(html::visible_length(one) <= bot::inline_text_limit);
  CHECK_FALSE(html::validate(one));
}
