// Inline queries on the control API (issue 21, docs/sandbox.md): POST /sandbox/inline makes an
// inline_query update as if the user typed `@bot …` in some chat; GET /sandbox/inline_answers
// shows what the bot answered through answerInlineQuery (clients/sandbox/methods_inline.cpp).
#include <httplib.h>

#include "clients/sandbox/control_handlers.hpp"
#include "clients/sandbox/message_json.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::sandbox {

control_reply inline_query(sandbox_state& s, const httplib::Request& req) {
  json_body b(req.body);
  if (!b.ok) return fail(400, "body must be a JSON object");
  auto from_id = jsonu::get_int(b.doc, "from_id");
  auto query = jsonu::get_string(b.doc, "query").value_or("");
  if (!from_id || *from_id <= 0) return fail(400, "from_id (a positive integer) is required");
  if (utf16_length(query) > 256) return fail(400, "query is longer than 256 characters");
  user_info from;
  from.id = *from_id;
  from.first_name = jsonu::get_string(b.doc, "first_name").value_or("Пользователь");
  from.language_code = "ru";
  return s.chats.modify([&](chat_world& w) {
    const std::string id = std::to_string(4500000000000000000LL + w.next_query++);
    inline_record r;
    r.from_id = *from_id;
    w.inline_queries[id] = r;
    while (w.inline_queries.size() > inline_record_limit)
      w.inline_queries.erase(w.inline_queries.begin());
    const std::string json = json::object()
                                 .add("id", id)
                                 .add_raw("from", user_json(from))
                                 .add("query", query)
                                 .add("offset", "")
                                 .str();
    auto update_id =
        s.updates.push([&](std::int64_t n) { return update_json(n, "inline_query", json); },
                       "inline_query", std::nullopt);
    return ok_json(json::object().add("update_id", update_id).add("inline_query_id", id).str());
  });
}

control_reply inline_answers(sandbox_state& s, const httplib::Request& req) {
  const std::string id = req.get_param_value("inline_query_id");
  return s.chats.modify([&](chat_world& w) {
    auto it = w.inline_queries.find(id);
    if (it == w.inline_queries.end()) return fail(404, "no inline query with this id");
    const auto& r = it->second;
    return ok_json(json::object()
                       .add("answered", r.answered)
                       .add_raw("results", r.results_json)
                       .add("cache_time", r.cache_time)
                       .add("is_personal", r.is_personal)
                       .str());
  });
}

}  // namespace nocturna::sandbox
