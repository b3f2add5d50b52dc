// getMe, getUpdates, the webhook methods, answerCallbackQuery and setMyCommands.
#include <algorithm>

#include "clients/sandbox/bot_methods.hpp"
#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/message_json.hpp"
#include "clients/sandbox/webhook_pusher.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/url.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::sandbox {
namespace {

// allowed_updates as a list of strings (already type-checked as "Array of String").
std::optional<std::vector<std::string>> allowed_updates(const param_map& p) {
  auto json = json_param(p, "allowed_updates");
  if (!json) return std::nullopt;
  simdjson::dom::parser parser;
  jsonu::element doc;
  std::vector<std::string> out;
  if (!jsonu::parse(parser, *json, doc) || !doc.is_array()) return out;
  for (auto item : doc.get_array()) {
    std::string_view s;
    if (!item.get_string().get(s)) out.emplace_back(s);
  }
  return out;
}

std::string join_array(const std::vector<std::string>& elements) {
  std::string out = "[";
  for (const auto& e : elements) {
    if (out.size() > 1) out += ',';
    out += e;
  }
  return out + "]";
}

bool valid_secret(const std::string& secret) {
  if (secret.empty() || secret.size() > 256) return false;
  return std::all_of(secret.begin(), secret.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; });
}

std::optional<std::string> check_command(jsonu::element c) {
  auto command = jsonu::get_string(c, "command");
  auto description = jsonu::get_string(c, "description");
  bool name_ok = command && !command->empty() && command->size() <= 32 &&
                 std::all_of(command->begin(), command->end(), [](unsigned char ch) {
                   return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                 });
  if (!name_ok) return std::string("Bad Request: BOT_COMMAND_INVALID");
  const std::size_t length = description ? utf16_length(*description) : 0;
  if (length == 0 || length > 256) {
    return std::string("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
  }
  return std::nullopt;
}

}  // namespace

api_reply get_me(sandbox_state& s, const param_map&) {
  json::object o;
  o.add("id", s.bot.id)
      .add("is_bot", true)
      .add("first_name", s.bot.first_name)
      .add("username", s.bot.username)
      .add("can_join_groups", true)
      .add("can_read_all_group_messages", false)
      .add("supports_inline_queries", false);
  return api_ok(o.str());
}

api_reply get_updates(sandbox_state& s, const param_map& p) {
  poll_request request;
  request.offset = int_param(p, "offset");
  request.limit = static_cast<int>(int_param(p, "limit").value_or(100));
  request.timeout_s =
      static_cast<int>(std::clamp<std::int64_t>(int_param(p, "timeout").value_or(0), 0, 3600));
  request.allowed_updates = allowed_updates(p);
  poll_result result = s.updates.poll(request);
  switch (result.st) {
    case poll_result::status::webhook_active:
      return api_error(409, webhook_conflict);
    case poll_result::status::terminated:
      return api_error(409, poll_conflict);
    default:
      return api_ok(join_array(result.updates));
  }
}

api_reply set_webhook(sandbox_state& s, const param_map& p) {
  const std::string url = string_param(p, "url").value_or("");
  const bool drop = bool_param(p, "drop_pending_updates").value_or(false);
  if (url.empty()) {
    bool was_set = s.updates.delete_webhook(drop);
    return api_ok("true", was_set ? "Webhook was deleted" : "Webhook is already deleted");
  }
  if (!split_http_url(url)) {
    return bad_request("Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
  }
  webhook_config config;
  config.url = url;
  config.secret_token = string_param(p, "secret_token").value_or("");
  if (find_param(p, "secret_token") && !valid_secret(config.secret_token)) {
    return bad_request("Bad Request: secret token contains unallowed characters");
  }
  config.max_connections = static_cast<int>(int_param(p, "max_connections").value_or(40));
  if (config.max_connections < 1 || config.max_connections > 100) {
    return bad_request("Bad Request: bad webhook: max_connections must be between 1 and 100");
  }
  s.updates.set_webhook(config, allowed_updates(p), drop);
  return api_ok("true", "Webhook was set");
}

api_reply delete_webhook(sandbox_state& s, const param_map& p) {
  bool was_set = s.updates.delete_webhook(bool_param(p, "drop_pending_updates").value_or(false));
  return api_ok("true", was_set ? "Webhook was deleted" : "Webhook is already deleted");
}

api_reply get_webhook_info(sandbox_state& s, const param_map&) {
  const webhook_info info = s.updates.info();
  json::object o;
  o.add("url", info.url)
      .add("has_custom_certificate", false)
      .add("pending_update_count", info.pending_update_count);
  if (!info.url.empty()) {
    o.add("max_connections", info.max_connections);
    if (!info.allowed_updates.empty()) {
      o.add_raw("allowed_updates", json::string_array(info.allowed_updates));
    }
  }
  if (info.last_error_date != 0) {
    o.add("last_error_date", info.last_error_date)
        .add("last_error_message", info.last_error_message);
  }
  return api_ok(o.str());
}

api_reply answer_callback_query(sandbox_state& s, const param_map& p) {
  const std::string id = string_param(p, "callback_query_id").value_or("");
  const std::string text = string_param(p, "text").value_or("");
  if (utf16_length(text) > 200) return bad_request("Bad Request: MESSAGE_TOO_LONG");
  const bool known = s.chats.modify([&](chat_world& w) { return w.open_queries.erase(id) > 0; });
  if (!known) {
    return bad_request(
        "Bad Request: query is too old and response timeout expired or query ID is invalid");
  }
  return api_ok("true");
}

api_reply set_my_commands(sandbox_state& s, const param_map& p) {
  const std::string json = json_param(p, "commands").value_or("[]");
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (!jsonu::parse(parser, json, doc) || !doc.is_array()) {
    return bad_request("Bad Request: can't parse commands JSON object");
  }
  if (doc.get_array().size() > 100) return bad_request("Bad Request: too many commands specified");
  for (auto c : doc.get_array()) {
    if (auto err = check_command(c)) return bad_request(*err);
  }
  s.set_commands_json(json);
  return api_ok("true");
}

}  // namespace nocturna::sandbox
