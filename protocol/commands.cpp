#include "protocol/commands.hpp"

#include "protocol/utf16.hpp"

namespace nocturna::bot {

namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

command_match match_command(const message& m, std::string_view bot_username, command* out) {
  if (!m.text) return command_match::none;
  const std::string_view text = *m.text;
  const message_entity* entity = nullptr;
  for (const auto& e : m.entities) {
    if (e.type == "bot_command" && e.offset == 0 && e.length > 1) {
      entity = &e;
      break;
    }
  }
  if (!entity) return command_match::none;
  const auto end = utf16_to_byte_offset(text, static_cast<std::size_t>(entity->length));
  if (!end) return command_match::none;
  std::string_view cmd = text.substr(0, *end);
  if (cmd.empty() || cmd.front() != '/') return command_match::none;
  cmd.remove_prefix(1);
  std::string_view suffix;
  if (const auto at = cmd.find('@'); at != std::string_view::npos) {
    suffix = cmd.substr(at + 1);
    cmd = cmd.substr(0, at);
  }
  if (cmd.empty()) return command_match::none;
  if (!bot_username.empty() && bot_username.front() == '@') bot_username.remove_prefix(1);
  const bool other = !suffix.empty() && !iequals(suffix, bot_username);
  if (out) {
    out->name.clear();
    for (const char c : cmd) out->name.push_back(ascii_lower(c));
    const std::string_view rest = trim(text.substr(*end));
    out->args.assign(rest.data(), rest.size());
  }
  return other ? command_match::other_bot : command_match::ours;
}

}  // namespace nocturna::bot
