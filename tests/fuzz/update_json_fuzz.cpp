// libFuzzer target: an Update object (webhook body or getUpdates element) → the bot's types, and a
// getUpdates result array → raw elements. Nothing may crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/bot_types.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  if (auto u = nocturna::bot::parse_update(text, &error)) (void)u->chat_id();
  if (auto parts = nocturna::bot::split_updates(text))
    for (const auto& p : *parts) (void)nocturna::bot::parse_update(p.json);
  return 0;
}
