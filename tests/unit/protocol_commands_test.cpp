// protocol/commands: command recognition as Telegram does it (docs/behaviour.md §1.2).
#include <doctest/doctest.h>

#include <string>

#include "protocol/commands.hpp"
#include "protocol/utf16.hpp"

using namespace nocturna::bot;

namespace {

message text_message(const std::string& text, std::int64_t offset, std::int64_t length,
                     const std::string& type = "bot_command") {
  message m;
  m.message_id = 1;
  m.date = 1;
  m.chat.id = 1;
  m.chat.type = "private";
  m.text = text;
  if (length > 0) m.entities.push_back({type, offset, length});
  return m;
}

// The entity Telegram would send for a command word at the start of `text`.
message command_message(const std::string& text) {
  const auto end = text.find_first_of(" \n");
  const std::string word = text.substr(0, end);
  return text_message(text, 0, static_cast<std::int64_t>(nocturna::utf16_length(word)));
}

}  // namespace

TEST_CASE("plain commands and case") {
  command c;
  CHECK(match_command(command_message("/start"), "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "start");
  CHECK(c.args.empty());
  CHECK(match_command(command_message("/Transit"), "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "transit");
  CHECK(match_command(command_message("/MY_NATAL"), "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "my_natal");
  CHECK(match_command(command_message("/start"), "nocturna_bot", nullptr) == command_match::ours);
}

TEST_CASE("at-suffix ours or another bot") {
  command c;
  CHECK(match_command(command_message("/Start@Nocturna_Bot"), "nocturna_bot", &c) ==
        command_match::ours);
  CHECK(c.name == "start");
  CHECK(match_command(command_message("/help@NOCTURNA_BOT"), "Nocturna_Bot", &c) ==
        command_match::ours);
  CHECK(match_command(command_message("/help@nocturna_bot"), "@nocturna_bot", &c) ==
        command_match::ours);
  CHECK(match_command(command_message("/start@other_bot"), "nocturna_bot", &c) ==
        command_match::other_bot);
  CHECK(match_command(command_message("/start@nocturna_bot2"), "nocturna_bot", &c) ==
        command_match::other_bot);
}

TEST_CASE("arguments are the trimmed rest of the text") {
  command c;
  CHECK(match_command(command_message("/subscribe 08:30"), "nocturna_bot", &c) ==
        command_match::ours);
  CHECK(c.name == "subscribe");
  CHECK(c.args == "08:30");
  CHECK(match_command(command_message("/subscribe@Nocturna_Bot   08:30  \n"), "nocturna_bot", &c) ==
        command_match::ours);
  CHECK(c.args == "08:30");
  CHECK(match_command(command_message("/start payload with spaces"), "nocturna_bot", &c) ==
        command_match::ours);
  CHECK(c.args == "payload with spaces");
  CHECK(match_command(command_message("/natal\nМосква"), "nocturna_bot", &c) ==
        command_match::ours);
  CHECK(c.args == "Москва");
}

TEST_CASE("entity offsets are UTF-16 units") {
  // A Cyrillic command name: 6 code points, 12 bytes.
  command c;
  message m = text_message("/старт 😀 аргумент", 0, 6);
  CHECK(match_command(m, "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "старт");
  CHECK(c.args == "😀 аргумент");
  // Length ending inside a surrogate pair or past the text: not a command.
  CHECK(match_command(text_message("/a😀", 0, 3), "nocturna_bot", &c) == command_match::none);
  CHECK(match_command(text_message("/ab", 0, 10), "nocturna_bot", &c) == command_match::none);
  CHECK(match_command(text_message("/ab😀x", 0, 5), "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "ab😀");
}

TEST_CASE("no bot_command entity at offset 0 means no command") {
  command c;
  CHECK(match_command(text_message("/start", 0, 0), "nocturna_bot", &c) == command_match::none);
  CHECK(match_command(text_message("hello /start", 6, 6), "nocturna_bot", &c) ==
        command_match::none);
  CHECK(match_command(text_message("/start", 0, 6, "bold"), "nocturna_bot", &c) ==
        command_match::none);
  message no_text = text_message("x", 0, 0);
  no_text.text.reset();
  no_text.caption = "/start";
  no_text.entities.push_back({"bot_command", 0, 6});
  CHECK(match_command(no_text, "nocturna_bot", &c) == command_match::none);
  // A later bot_command entity does not count, one at 0 among others does.
  message mixed = text_message("/transit now", 0, 8);
  mixed.entities.insert(mixed.entities.begin(), message_entity{"bold", 9, 3});
  CHECK(match_command(mixed, "nocturna_bot", &c) == command_match::ours);
  CHECK(c.name == "transit");
  CHECK(match_command(text_message("abc", 0, 3), "nocturna_bot", &c) == command_match::none);
}
