// JSON of the Bot API objects the sandbox hands out (User, Chat, Message, Update) and of its own
// transcript view.
#pragma once

#include <cstdint>
#include <string>

#include "clients/sandbox/chat_state.hpp"

namespace nocturna::sandbox {

std::string user_json(const user_info& u);
std::string bot_user_json(const bot_identity& b);
std::string chat_json(const chat_info& c);

// parse_mode "HTML", in any case.
bool is_html_mode(const std::string& parse_mode);

// What a user sees: tags removed and entities decoded for HTML, the text itself otherwise.
std::string visible_text(const std::string& text, const std::string& parse_mode);

// A Message object as the Bot API returns it (text and caption as visible text).
std::string message_json(const chat_info& chat, const stored_message& m, const bot_identity& bot);

// {"update_id":N,"<kind>":<object_json>}
std::string update_json(std::int64_t update_id, const std::string& kind,
                        const std::string& object_json);

// One entry of /sandbox/transcript.
std::string transcript_message_json(const stored_message& m);
// {"chat_id":…,"version":…,"messages":[…]} (+ "timed_out" when `timed_out` is given).
std::string transcript_json(std::int64_t chat_id, const chat_record* chat,
                            const std::string& extra_fields = "");

}  // namespace nocturna::sandbox
