#include "protocol/router.hpp"

#include "protocol/call_bodies.hpp"
#include "protocol/command_table.hpp"
#include "protocol/commands.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/replies.hpp"
#include "protocol/texts.hpp"

using nocturna::texts::start_text;

namespace nocturna::bot {
namespace {

constexpr std::int64_t hint_interval_ms = 60'000;

// The command word carries an @suffix: the bot was named (match_command checked it is ours).
bool addressed_explicitly(const message& m) {
  if (!m.text) return false;
  auto word = std::string_view(*m.text).substr(0, m.text->find_first_of(" \n\t"));
  return word.find('@') != std::string_view::npos;
}

outgoing_call reply(const message& m, std::string_view text, bool html) {
  auto reply_to = m.chat.is_private() ? 0 : m.message_id;
  return {"sendMessage", send_message_body(m.chat.id, text, html, reply_to)};
}

// The router's part of a command: the quick replies (/start, /help, unknown, private-only in a
// group); a command the session runs itself gets nothing here.
std::vector<outgoing_call> route_command(const message& m, const command& cmd) {
  const auto* spec = find_command(cmd.name);
  if (!spec) {
    // In groups an unknown command is answered only when it names this bot.
    if (!m.chat.is_private() && !addressed_explicitly(m)) return {};
    return {reply(m, texts::unknown_command, false)};
  }
  if (spec->private_only && !m.chat.is_private()) return {reply(m, texts::private_only, false)};
  if (spec->id == command_id::start) return {reply(m, start_text(m.from.value_or(user{})), true)};
  if (spec->id == command_id::help) return {reply(m, texts::help, true)};
  return {};  // the session runs every other command (actors/session.cpp run_known_command)
}

}  // namespace

std::string send_message_body(std::int64_t chat_id, std::string_view text, bool html,
                              std::int64_t reply_to_message_id, std::string_view reply_markup) {
  json::object body;
  body.add("chat_id", chat_id).add("text", text);
  if (html) body.add("parse_mode", "HTML");
  body.add_raw("link_preview_options", R"({"is_disabled":true})");
  if (reply_to_message_id != 0)
    body.add_raw("reply_parameters", reply_parameters(reply_to_message_id));
  if (!reply_markup.empty()) body.add_raw("reply_markup", reply_markup);
  return body.str();
}

std::vector<outgoing_call> route_message(const message& m, std::string_view bot_username,
                                         chat_memory& memory, std::int64_t now_ms) {
  command cmd;
  switch (match_command(m, bot_username, &cmd)) {
    case command_match::ours:
      return route_command(m, cmd);
    case command_match::other_bot:
      return {};
    case command_match::none:
      break;
  }
  if (!m.chat.is_private() || m.is_service) return {};
  if (memory.last_hint_ms >= 0 && now_ms - memory.last_hint_ms < hint_interval_ms) return {};
  memory.last_hint_ms = now_ms;
  return {reply(m, texts::text_hint, false)};
}

}  // namespace nocturna::bot
