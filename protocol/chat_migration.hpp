// A group that became a supergroup answers with `migrate_to_chat_id` (docs/telegram.md §6.4): the
// call goes once more, addressed to the new chat.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nocturna::bot {

// The same JSON parameters with `chat_id` replaced; nothing when `json_body` is not a JSON
// object or has no chat_id.
std::optional<std::string> with_chat_id(std::string_view json_body, std::int64_t chat_id);

// The same for multipart fields; false when there is no chat_id field.
bool set_chat_id_field(std::vector<std::pair<std::string, std::string>>& fields,
                       std::int64_t chat_id);

}  // namespace nocturna::bot
