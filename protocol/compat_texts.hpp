// The texts, buttons and callback payloads of /compat (docs/architecture.md): the partner list,
// the invitation link and its answers. Builders return finished texts; every interpolated value is
// escaped in the HTML ones. The partner dialogue's own texts are in protocol/natal_texts.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::compat {

extern const char* const header;           // [HTML] the interpretation block's header (LLM text)
extern const char* const header_short;     // [HTML] the same for the built-in text
extern const char* const no_natal;         // [plain] /compat without own birth data
extern const char* const status;           // [plain] the status message of the report
extern const char* const context;          // [plain] C_… of the report's error reply
extern const char* const button_add;       // «➕ Добавить партнёра»
extern const char* const button_invite;    // «🔗 Пригласить по ссылке»
extern const char* const button_yes;       // «Да»
extern const char* const button_no;        // «Нет»
extern const char* const answer_deleted;   // callback answer [plain]
extern const char* const answer_gone;      // callback answer: the partner was deleted [plain]
extern const char* const answer_limit;     // callback answer: 10 partners already [plain]
extern const char* const invite_expired;   // [plain]
extern const char* const invite_used;      // [plain]
extern const char* const invite_unknown;   // [plain]
extern const char* const invite_self;      // [plain]
extern const char* const invite_refused;   // [plain] to the invited user after «Нет»
extern const char* const invite_accepted;  // [plain] to the invited user after «Да»

struct listed_partner {
  std::int64_t id = 0;
  std::string name;  // may be empty
  std::string date;  // DD.MM.YYYY, shown when there is no name
};

// The /compat message [HTML] and its inline keyboard (reply_markup JSON): a row per partner
// (re-run, delete), then «Добавить партнёра» (while fewer than `max` are saved) and the invitation.
std::string list_text(std::size_t count, std::size_t max);
std::string list_keyboard(const std::vector<listed_partner>& partners, std::size_t max);

// [HTML] The link for the partner to open.
std::string invite_link_text(std::string_view link);
// [HTML] The question to the invited user, and its buttons.
std::string invite_question(std::string_view inviter_name);
std::string invite_keyboard(std::string_view code);
// [HTML] The invited user has no birth data yet.
std::string invite_need_natal(std::string_view inviter_name);
// [HTML] To the inviter when the invited user said «Нет».
std::string invite_declined(std::string_view partner_name);

// The deep link of an invitation: https://t.me/{bot}?start=c_{code}.
std::string invite_link(std::string_view bot_username, std::string_view code);
// The code of a `/start` payload «c_{code}»; nothing for any other payload.
std::optional<std::string> invite_code(std::string_view start_payload);
// 12 characters of [a-z0-9] from 64 random bits each (the caller's generator).
std::string format_invite_code(std::uint64_t high, std::uint64_t low);

// Buttons of the list (p:…) and of the invitation question (i:…).
struct button {
  enum kind { rerun, remove, add, invite, accept, decline } what = add;
  std::int64_t partner_id = 0;  // rerun, remove
  std::string code;             // accept, decline
};
std::optional<button> parse_button(std::string_view data);
std::string button_data(const button& b);

}  // namespace nocturna::compat
