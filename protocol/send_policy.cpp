#include "protocol/send_policy.hpp"

namespace nocturna::bot {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool counts_per_chat(std::string_view method) {
  return method == "sendMessage" || method == "sendPhoto" || starts_with(method, "editMessage");
}

bool skips_chat_fifo(std::string_view method) {
  return method == "answerCallbackQuery";
}

bool is_idempotent(std::string_view method) {
  return starts_with(method, "edit") || method == "deleteMessage" ||
         method == "answerCallbackQuery" || method == "sendChatAction" ||
         starts_with(method, "set") || starts_with(method, "get") || method == "deleteWebhook";
}

std::chrono::milliseconds default_deadline(std::string_view method) {
  return method == "sendPhoto" ? std::chrono::seconds(60) : std::chrono::seconds(30);
}

}  // namespace nocturna::bot
