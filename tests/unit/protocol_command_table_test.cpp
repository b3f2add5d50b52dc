// protocol/command_table: one row per command, read by the menu and the router.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "protocol/command_menu.hpp"
#include "protocol/command_table.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/replies.hpp"
#include "protocol/router.hpp"
#include "protocol/texts.hpp"

using namespace nocturna::bot;
namespace texts = nocturna::texts;

namespace {

constexpr std::int64_t private_chat = 42;
constexpr std::int64_t group_chat = -100;
constexpr std::int64_t command_message_id = 7;

// `/name` as Telegram sends it: a bot_command entity over the command word.
message command_in(std::int64_t chat_id, const std::string& text) {
  message m;
  m.message_id = command_message_id;
  m.date = 1;
  m.chat.id = chat_id;
  m.chat.type = chat_id > 0 ? "private" : "supergroup";
  user from;
  from.id = 42;
  from.first_name = "Анна";
  m.from = from;
  m.text = text;
  auto word = text.substr(0, text.find(' '));
  m.entities.push_back({"bot_command", 0, static_cast<std::int64_t>(word.size())});
  return m;
}

std::vector<outgoing_call> route(const message& m) {
  chat_memory memory;
  return route_message(m, "nocturna_bot", memory, 1'000'000);
}

// The router's one reply: `text` to the message's chat, a reply to it in a group.
std::string reply_body(const message& m, std::string_view text, bool html) {
  return send_message_body(m.chat.id, text, html, m.chat.is_private() ? 0 : m.message_id);
}

std::string menu_entry(const command_spec& spec) {
  return nocturna::json::object()
      .add("command", spec.name)
      .add("description", spec.menu_text)
      .str();
}

}  // namespace

TEST_CASE("command table: names unique, lower-case, each found by its own name") {
  std::set<std::string_view> names;
  for (const auto& spec : command_table) {
    CHECK(names.insert(spec.name).second);
    CHECK(&spec == &spec_of(spec.id));
    CHECK(find_command(spec.name) == &spec);
    for (char c : spec.name) CHECK(((c >= 'a' && c <= 'z') || c == '_'));
  }
  CHECK(names.size() == command_table.size());
  CHECK(find_command("unknown") == nullptr);
  CHECK(find_command("Transit") == nullptr);  // match_command lower-cases before the look-up
  CHECK(find_command("") == nullptr);
}

TEST_CASE("command table: the group menu and private-only rows do not overlap") {
  for (const auto& spec : command_table) {
    CAPTURE(spec.name);
    if (spec.in_group_menu) CHECK_FALSE(spec.private_only);
    if (spec.in_group_menu) CHECK_FALSE(spec.menu_text.empty());
  }
  CHECK(spec_of(command_id::start).menu_text.empty());  // Telegram's own button
}

TEST_CASE("command menu: every menu row in table order, the group scope with its rows only") {
  auto bodies = command_menu_bodies();
  REQUIRE(bodies.size() == 2);
  std::size_t private_at = 0;
  std::size_t group_at = 0;
  std::size_t private_rows = 0;
  std::size_t group_rows = 0;
  for (const auto& spec : command_table) {
    CAPTURE(spec.name);
    auto entry = menu_entry(spec);
    auto in_private = bodies[0].find(entry);
    auto in_group = bodies[1].find(entry);
    if (spec.menu_text.empty()) {
      CHECK(bodies[0].find("\"" + std::string(spec.name) + "\"") == std::string::npos);
      continue;
    }
    ++private_rows;
    REQUIRE(in_private != std::string::npos);
    CHECK(in_private >= private_at);  // table order
    private_at = in_private;
    if (!spec.in_group_menu) {
      CHECK(in_group == std::string::npos);
      continue;
    }
    ++group_rows;
    REQUIRE(in_group != std::string::npos);
    CHECK(in_group >= group_at);
    group_at = in_group;
  }
  CHECK(private_rows == 15);
  CHECK(group_rows == 5);
  CHECK(bodies[1].find(R"("scope":{"type":"all_group_chats"})") != std::string::npos);
  CHECK(bodies[0].find("scope") == std::string::npos);
}

TEST_CASE("router: every row in a private chat, private-only rows refused in a group") {
  for (const auto& spec : command_table) {
    CAPTURE(spec.name);
    auto text = "/" + std::string(spec.name);
    auto in_private = command_in(private_chat, text);
    auto in_group = command_in(group_chat, text);
    auto privately = route(in_private);
    auto grouped = route(in_group);
    switch (spec.id) {
      case command_id::start: {
        auto start = texts::start_text(*in_private.from);
        REQUIRE(privately.size() == 1);
        CHECK(privately[0].json_body == reply_body(in_private, start, true));
        REQUIRE(grouped.size() == 1);
        CHECK(grouped[0].json_body == reply_body(in_group, start, true));
        break;
      }
      case command_id::help:
        REQUIRE(privately.size() == 1);
        CHECK(privately[0].json_body == reply_body(in_private, texts::help, true));
        REQUIRE(grouped.size() == 1);
        CHECK(grouped[0].json_body == reply_body(in_group, texts::help, true));
        break;
      case command_id::transit:
      case command_id::transit_planets:
      case command_id::transit_aspects:
      case command_id::moon:
      case command_id::natal:
      case command_id::my_natal:
      case command_id::my_transit:
      case command_id::compat:
      case command_id::subscribe:
      case command_id::unsubscribe:
      case command_id::settings:
      case command_id::profile:
      case command_id::clear_profile:
      case command_id::cancel:
        // The session runs these; the router only refuses the private-only ones in a group.
        CHECK(privately.empty());
        if (spec.private_only) {
          REQUIRE(grouped.size() == 1);
          CHECK(grouped[0].method == "sendMessage");
          CHECK(grouped[0].json_body == reply_body(in_group, texts::private_only, false));
        } else {
          CHECK(grouped.empty());
        }
        break;
    }
  }
}

TEST_CASE("router: an unknown command privately, in a group only when it names this bot") {
  auto in_private = command_in(private_chat, "/horoscope");
  auto privately = route(in_private);
  REQUIRE(privately.size() == 1);
  CHECK(privately[0].json_body == reply_body(in_private, texts::unknown_command, false));
  CHECK(route(command_in(group_chat, "/horoscope")).empty());
  auto named = command_in(group_chat, "/horoscope@nocturna_bot");
  auto answered = route(named);
  REQUIRE(answered.size() == 1);
  CHECK(answered[0].json_body == reply_body(named, texts::unknown_command, false));
  CHECK(route(command_in(group_chat, "/natal@other_bot")).empty());
}
