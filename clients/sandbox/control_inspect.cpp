// The control API's inspection side: transcripts, waiting, the call log, stats, chats and
// commands; fault injection and reset.
#include <httplib.h>

#include <algorithm>

#include "clients/sandbox/control_handlers.hpp"
#include "clients/sandbox/message_json.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::sandbox {

control_reply transcript(sandbox_state& s, const httplib::Request& req) {
  auto chat_id = query_int(req, "chat_id");
  if (!chat_id) return fail(400, "chat_id is required");
  return s.chats.read([&](const chat_world& w) {
    return ok_json(transcript_json(*chat_id, find_chat(w, *chat_id)));
  });
}

control_reply wait(sandbox_state& s, const httplib::Request& req) {
  auto chat_id = query_int(req, "chat_id");
  if (!chat_id) return fail(400, "chat_id is required");
  const auto wanted = static_cast<std::size_t>(
      std::max<std::int64_t>(0, query_int(req, "bot_messages").value_or(1)));
  const auto timeout =
      std::clamp<std::int64_t>(query_int(req, "timeout_ms").value_or(5000), 0, 120000);
  auto enough = [&](const chat_world& w) {
    auto it = w.chats.find(*chat_id);
    return it != w.chats.end() && bot_message_count(it->second) >= wanted;
  };
  const bool done = s.chats.wait_for(enough, std::chrono::milliseconds(timeout));
  return s.chats.read([&](const chat_world& w) {
    return ok_json(transcript_json(*chat_id, find_chat(w, *chat_id),
                                   std::string("\"timed_out\":") + (done ? "false" : "true")));
  });
}

control_reply calls(sandbox_state& s, const httplib::Request& req) {
  return ok_json(s.calls.calls_json(query_int(req, "since").value_or(0),
                                    req.get_param_value("method"), query_int(req, "chat_id")));
}

control_reply stats(sandbox_state& s, const httplib::Request&) {
  const call_stats c = s.calls.stats();
  return ok_json(json::object()
                     .add("calls", c.calls)
                     .add("max_in_flight", c.max_in_flight)
                     .add("max_in_flight_per_chat", c.max_in_flight_per_chat)
                     .add("pending_updates", static_cast<std::int64_t>(s.updates.pending()))
                     .add("webhook_url", s.updates.info().url)
                     .add("faults", static_cast<std::int64_t>(s.faults.size()))
                     .str());
}

control_reply add_fault(sandbox_state& s, const httplib::Request& req) {
  std::string error;
  auto f = parse_fault(req.body.empty() ? "{}" : req.body, error);
  if (!f) return fail(400, error);
  s.faults.add(*f);
  return ok_json(json::object()
                     .add("ok", true)
                     .add("faults", static_cast<std::int64_t>(s.faults.size()))
                     .str());
}

control_reply clear_faults(sandbox_state& s, const httplib::Request&) {
  s.faults.clear();
  return ok_json("{\"ok\":true}");
}

control_reply reset(sandbox_state& s, const httplib::Request&) {
  s.chats.reset();
  s.updates.reset();
  s.calls.reset();
  s.faults.clear();
  s.limits.reset();
  return ok_json("{\"ok\":true}");
}

control_reply chats(sandbox_state& s, const httplib::Request&) {
  return s.chats.read([&](const chat_world& w) {
    std::string list = "[";
    for (const auto& [id, c] : w.chats) {
      if (list.size() > 1) list += ',';
      list += json::object()
                  .add("chat_id", id)
                  .add("type", c.info.type)
                  .add("title", c.info.type == "private" ? c.info.user.first_name : c.info.title)
                  .add("messages", static_cast<std::int64_t>(c.messages.size()))
                  .add("version", c.version)
                  .str();
    }
    return ok_json("{\"chats\":" + list + "]}");
  });
}

control_reply commands(sandbox_state& s, const httplib::Request&) {
  return ok_json("{\"commands\":" + s.commands_json() + "}");
}

}  // namespace nocturna::sandbox
