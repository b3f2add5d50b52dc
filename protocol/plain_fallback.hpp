// The resend of a call Telegram refused with "can't parse entities" (docs/telegram.md §6.4): the
// same parameters with `text`/`caption` reduced to what the user would have seen and no parse_mode.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nocturna::bot {

// Nothing when `json_body` is not a JSON object or has no parse_mode to drop.
std::optional<std::string> as_plain_text_call(std::string_view json_body);

}  // namespace nocturna::bot
