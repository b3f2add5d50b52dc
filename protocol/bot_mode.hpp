// How updates reach the bot: it asks for them (getUpdates) or Telegram pushes them (a webhook).
// BOT_MODE in .env; the supervisor starts the matching intake (actors/supervisor.cpp).
#pragma once

#include <optional>
#include <string_view>

namespace nocturna {

enum class bot_mode { polling, webhook };

// The BOT_MODE spelling, also shown in /health and the start-up line.
constexpr std::string_view bot_mode_name(bot_mode m) {
  return m == bot_mode::webhook ? "webhook" : "polling";
}

// `polling` or `webhook` (already lower-cased); nullopt for anything else.
constexpr std::optional<bot_mode> parse_bot_mode(std::string_view s) {
  if (s == "polling") return bot_mode::polling;
  if (s == "webhook") return bot_mode::webhook;
  return std::nullopt;
}

}  // namespace nocturna
