#include "protocol/inline_answer.hpp"

#include "protocol/html.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/typography.hpp"

namespace nocturna::bot {

std::string fit_inline_text(const std::string& html, std::string_view bot_username,
                            std::size_t limit) {
  if (html::visible_length(html) <= limit) return html;
  const std::string tail = "\n\n…\n" + typography::typeset("Полный текст — ") +
                           "<a href=\"https://t.me/" + html::escape(bot_username) + "\">@" +
                           html::escape(bot_username) + "</a>";
  const std::size_t budget = limit - html::visible_length(tail);
  std::string kept;
  for (std::size_t at = 0; at < html.size();) {
    auto end = html.find("\n\n", at);
    if (end == std::string::npos) end = html.size();
    std::string next = kept.empty() ? html.substr(at, end - at) : kept + html.substr(at, end - at);
    if (html::visible_length(next) > budget) break;
    kept = next;
    if (end < html.size()) kept += "\n\n";
    at = end + 2;
  }
  while (kept.size() >= 2 && kept.compare(kept.size() - 2, 2, "\n\n") == 0)
    kept.resize(kept.size() - 2);
  // A first paragraph longer than the budget: the splitter cuts it without breaking a tag.
  if (kept.empty()) kept = html::split(html, budget).front();
  return kept + tail;
}

std::string answer_inline_query_body(std::string_view query_id,
                                     const std::vector<inline_card>& cards, int cache_time,
                                     bool is_personal) {
  std::string results = "[";
  for (const auto& c : cards) {
    if (results.size() > 1) results += ',';
    auto content = json::object()
                       .add("message_text", c.text_html)
                       .add("parse_mode", "HTML")
                       .add_raw("link_preview_options", R"({"is_disabled":true})")
                       .str();
    results += json::object()
                   .add("type", "article")
                   .add("id", c.id)
                   .add("title", c.title)
                   .add("description", c.description)
                   .add_raw("input_message_content", content)
                   .str();
  }
  results += "]";
  return json::object()
      .add("inline_query_id", query_id)
      .add_raw("results", results)
      .add("cache_time", cache_time)
      .add("is_personal", is_personal)
      .str();
}

}  // namespace nocturna::bot
