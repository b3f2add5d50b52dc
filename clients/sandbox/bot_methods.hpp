// The Bot API methods the sandbox implements. Each gets parameters that already passed the
// schema check (check_params) and answers like Telegram.
#pragma once

#include <string_view>

#include "clients/sandbox/api_reply.hpp"
#include "clients/sandbox/request_params.hpp"
#include "clients/sandbox/sandbox_state.hpp"

namespace nocturna::sandbox {

inline constexpr const char* webhook_conflict =
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete "
    "the webhook first";
inline constexpr const char* poll_conflict =
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
    "running";

using method_handler = api_reply (*)(sandbox_state&, const param_map&);

// The handler of a method (lower-case name); nullptr when the sandbox does not implement it.
method_handler find_method_handler(std::string_view lower_name);

// methods_updates.cpp
api_reply get_me(sandbox_state& s, const param_map& p);
api_reply get_updates(sandbox_state& s, const param_map& p);
api_reply set_webhook(sandbox_state& s, const param_map& p);
api_reply delete_webhook(sandbox_state& s, const param_map& p);
api_reply get_webhook_info(sandbox_state& s, const param_map& p);
api_reply answer_callback_query(sandbox_state& s, const param_map& p);
api_reply set_my_commands(sandbox_state& s, const param_map& p);

// methods_inline.cpp
api_reply answer_inline_query(sandbox_state& s, const param_map& p);

// methods_messages.cpp
api_reply send_message(sandbox_state& s, const param_map& p);
api_reply send_photo(sandbox_state& s, const param_map& p);
api_reply edit_message_text(sandbox_state& s, const param_map& p);
api_reply edit_message_caption(sandbox_state& s, const param_map& p);
api_reply edit_message_reply_markup(sandbox_state& s, const param_map& p);
api_reply delete_message(sandbox_state& s, const param_map& p);
api_reply send_chat_action(sandbox_state& s, const param_map& p);

}  // namespace nocturna::sandbox
