// Reply texts built from the catalogue (docs/behaviour.md §4, §9) with their values interpolated
// and escaped.
#pragma once

#include <string>

#include "protocol/bot_types.hpp"

namespace nocturna::texts {

// `<a href="tg://user?id={id}">{escaped first name[ + " " + last name]}</a>` (docs/behaviour.md
// §4.1).
std::string mention(const bot::user& u);

// T_START with {mention} filled in: HTML, ready for sendMessage with parse_mode=HTML.
std::string start_text(const bot::user& u);

}  // namespace nocturna::texts
