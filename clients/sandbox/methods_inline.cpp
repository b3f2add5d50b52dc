// answerInlineQuery (issue 21): Telegram's checks of the answer the bot gives to an inline query
// the sandbox made, then the answer kept for GET /sandbox/inline_answers.
#include <set>

#include "clients/sandbox/bot_methods.hpp"
#include "clients/sandbox/json_util.hpp"
#include "protocol/html.hpp"

namespace nocturna::sandbox {
namespace {

constexpr std::size_t max_results = 50;
constexpr std::size_t max_text = 4096;
const char* const query_invalid =
    "Bad Request: query is too old and response timeout expired or query ID is invalid";

// One result as Telegram checks an article with text content; the error, or nothing.
std::optional<std::string> check_result(jsonu::element r, std::set<std::string>& ids) {
  auto type = jsonu::get_string(r, "type");
  auto id = jsonu::get_string(r, "id");
  if (!type || !id || id->empty() || id->size() > 64) return "Bad Request: RESULT_ID_INVALID";
  if (!ids.insert(*id).second) return "Bad Request: RESULT_ID_DUPLICATE";
  if (*type != "article") return std::nullopt;  // the bot sends articles only; others pass
  auto title = jsonu::get_string(r, "title");
  if (!title || title->empty()) return "Bad Request: RESULT_TITLE_EMPTY";
  auto content = jsonu::get(r, "input_message_content");
  if (!content || !content->is_object()) return "Bad Request: MESSAGE_EMPTY";
  auto text = jsonu::get_string(*content, "message_text").value_or("");
  auto mode = jsonu::get_string(*content, "parse_mode").value_or("");
  std::size_t length = text.size();
  if (mode == "HTML") {
    if (auto err = html::validate(text)) return err;
    length = html::visible_length(text);
  }
  if (length == 0) return "Bad Request: MESSAGE_EMPTY";
  if (length > max_text) return "Bad Request: MESSAGE_TOO_LONG";
  return std::nullopt;
}

}  // namespace

api_reply answer_inline_query(sandbox_state& s, const param_map& p) {
  const std::string id = string_param(p, "inline_query_id").value_or("");
  const std::string results = json_param(p, "results").value_or("[]");
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (!jsonu::parse(parser, results, doc) || !doc.is_array())
    return bad_request("Bad Request: can't parse inline query results JSON object");
  if (doc.get_array().size() > max_results) return bad_request("Bad Request: RESULTS_TOO_MUCH");
  std::set<std::string> ids;
  for (auto r : doc.get_array())
    if (auto err = check_result(r, ids)) return bad_request(*err);
  const auto cache_time = int_param(p, "cache_time").value_or(300);
  const bool personal = bool_param(p, "is_personal").value_or(false);
  const bool answered = s.chats.modify([&](chat_world& w) {
    auto it = w.inline_queries.find(id);
    if (it == w.inline_queries.end() || it->second.answered) return false;
    it->second.answered = true;
    it->second.results_json = jsonu::minify(doc);
    it->second.cache_time = cache_time;
    it->second.is_personal = personal;
    return true;
  });
  if (!answered) return bad_request(query_invalid);
  return api_ok("true");
}

}  // namespace nocturna::sandbox
