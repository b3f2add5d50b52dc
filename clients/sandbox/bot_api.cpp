#include "clients/sandbox/bot_api.hpp"

#include <httplib.h>

#include <map>

#include "clients/sandbox/bot_methods.hpp"

namespace nocturna::sandbox {
namespace {

const std::map<std::string, method_handler>& handlers() {
  static const std::map<std::string, method_handler> table = {
      {"getme", get_me},
      {"getupdates", get_updates},
      {"setwebhook", set_webhook},
      {"deletewebhook", delete_webhook},
      {"getwebhookinfo", get_webhook_info},
      {"answercallbackquery", answer_callback_query},
      {"answerinlinequery", answer_inline_query},
      {"setmycommands", set_my_commands},
      {"sendmessage", send_message},
      {"sendphoto", send_photo},
      {"editmessagetext", edit_message_text},
      {"editmessagecaption", edit_message_caption},
      {"editmessagereplymarkup", edit_message_reply_markup},
      {"deletemessage", delete_message},
      {"sendchataction", send_chat_action},
  };
  return table;
}

// Methods under Telegram's flood limits (docs/telegram.md §6.2).
bool rate_limited(const std::string& lower_method) {
  return lower_method == "sendmessage" || lower_method == "sendphoto" ||
         lower_method.rfind("editmessage", 0) == 0;
}

// Methods that skip the sender's per-chat FIFO, so they do not count in a chat's concurrency.
bool outside_chat_order(const std::string& lower_method) {
  return lower_method == "sendchataction" || lower_method == "answercallbackquery" ||
         lower_method == "answerinlinequery";
}

api_reply fault_reply(const fault& f) {
  api_reply r;
  r.status = f.error_code;
  r.body = fault_body(f);
  r.description = fault_description(f);
  if (f.raw_body) {
    const char first = f.raw_body->empty() ? ' ' : f.raw_body->front();
    r.content_type = first == '{' ? "application/json" : first == '<' ? "text/html" : "text/plain";
  }
  return r;
}

api_reply run_handler(sandbox_state& s, const method_spec& spec, const param_map& params);

// Everything after the call was logged: faults, support, schema, limits, the method.
api_reply run_method(sandbox_state& s, const method_spec& spec, const param_map& params) {
  const std::string name = lower(spec.name);
  if (auto f = s.faults.take(spec.name, int_param(params, "chat_id"))) {
    if (f->trickle_ms > 0) {
      auto r = f->error_code != 0 ? fault_reply(*f) : run_handler(s, spec, params);
      r.trickle_ms = f->trickle_ms;
      r.trickle_for_ms = f->delay_ms;
      return r;
    }
    const auto generation = s.updates.poll_generation();
    if (f->delay_ms > 0 && !s.sleep_for(std::chrono::milliseconds(f->delay_ms))) {
      return api_error(503, "Service Unavailable: the sandbox is stopping");
    }
    if (f->error_code != 0) return fault_reply(*f);
    // A getUpdates held by a fault and overtaken by a newer one (a client that gave up and polled
    // again) must not terminate the newer poll.
    if (name == "getupdates" && s.updates.poll_generation() != generation) {
      return api_error(409, poll_conflict);
    }
  }
  return run_handler(s, spec, params);
}

// Support, schema, limits, then the method itself.
api_reply run_handler(sandbox_state& s, const method_spec& spec, const param_map& params) {
  const std::string name = lower(spec.name);
  auto handler = handlers().find(name);
  if (handler == handlers().end()) {
    return bad_request("Bad Request: method is not supported by the sandbox");
  }
  if (auto err = check_params(spec, params)) return bad_request(*err);
  if (s.opt.rate_limits && rate_limited(name)) {
    const auto chat = int_param(params, "chat_id").value_or(0);
    if (int wait = s.limits.take(chat, rate_limiter::clock::now())) {
      return api_error(429, "Too Many Requests: retry after " + std::to_string(wait), wait);
    }
  }
  return handler->second(s, params);
}

api_reply logged(sandbox_state& s, std::int64_t seq, api_reply r) {
  s.calls.end(seq, r.status, r.status == 200 ? "" : r.description);
  return r;
}

}  // namespace

method_handler find_method_handler(std::string_view lower_name) {
  auto it = handlers().find(std::string(lower_name));
  return it == handlers().end() ? nullptr : it->second;
}

api_reply handle_bot_request(sandbox_state& s, const std::string& token, const std::string& method,
                             const httplib::Request& req) {
  const method_spec* spec = s.schema.find(method);
  const std::string name = spec ? spec->name : method;
  if (token != s.opt.token) {
    auto seq = s.calls.begin(name, std::nullopt, "{}", false, false);
    return logged(s, seq, api_error(401, "Unauthorized"));
  }
  if (!spec) {
    auto seq = s.calls.begin(name, std::nullopt, "{}", false, false);
    return logged(s, seq, api_error(404, "Not Found"));
  }
  param_map params;
  auto read_error = read_params(req, params);
  const std::string lower_name = lower(name);
  const bool track = lower_name != "getupdates";
  auto seq = s.calls.begin(name, int_param(params, "chat_id"), params_to_json(params), track,
                           !outside_chat_order(lower_name));
  if (read_error) return logged(s, seq, bad_request(*read_error));
  return logged(s, seq, run_method(s, *spec, params));
}

}  // namespace nocturna::sandbox
