// reply_markup: validated like Telegram validates it, and normalised so that "the same markup" can
// be compared.
#pragma once

#include <optional>
#include <string>

namespace nocturna::sandbox {

struct markup_result {
  std::string json;                  // compact JSON; "" = no markup (absent or empty keyboard)
  std::optional<std::string> error;  // "Bad Request: …"
};

// `json` is the compact JSON of the reply_markup parameter. `inline_only` for edit methods, which
// take only InlineKeyboardMarkup.
markup_result check_reply_markup(const std::string& json, bool inline_only);

}  // namespace nocturna::sandbox
