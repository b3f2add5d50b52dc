// Chats that are gone or moved: a user who blocked the bot is marked inactive with the
// subscription off (logged once, however many calls fail); a group that became a supergroup takes
// its stored inbox rows to the new id.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <ctime>

#include "clients/store/store.hpp"
#include "tests/e2e/harness.hpp"
#include "tests/e2e/subscribers.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

// The first row of `sql` (one integer parameter) in the bot's SQLite store, its columns joined by
// '|', once it equals `expect` (read-only, as the bot keeps writing; "" when there is no row).
std::string store_row(harness& h, const char* sql, std::int64_t param, const std::string& expect,
                      int timeout_ms = 10000) {
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  const std::string path = h.dir.path() + "/data/nocturna.db";
  for (;;) {
    std::string row;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 2000);
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, param);
        if (sqlite3_step(st) == SQLITE_ROW)
          for (int i = 0; i < sqlite3_column_count(st); ++i) {
            const auto* text = sqlite3_column_text(st, i);
            row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "");
          }
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (row == expect || std::chrono::steady_clock::now() > until) return row;
    sleep_ms(50);
  }
}

std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + what.size()))
    ++n;
  return n;
}

std::string lines_with(const std::string& text, const std::string& what) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    if (line.find(what) != std::string::npos) out += line + '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("e2e chats: a blocked user is marked inactive, subscription off, logged once") {
  const std::int64_t user = 7201;
  harness h;
  {
    auto db = store::open_sqlite(h.dir.path() + "/data");
    add_subscriber(*db, user, static_cast<std::int64_t>(std::time(nullptr)) + 12 * 3600);
  }
  h.start_bot();
  h.control->send(user, "/help");
  REQUIRE(h.wait_replies(user, 1).bot_messages().size() == 1);
  sandbox::fault blocked;
  blocked.method = "sendMessage";
  blocked.chat_id = user;
  blocked.count = 0;  // every call until cleared
  blocked.error_code = 403;
  blocked.description = "Forbidden: bot was blocked by the user";
  h.control->add_fault(blocked);
  h.control->send(user, "/help");
  h.control->send(user, "/help");
  CHECK(store_row(h,
                  "SELECT u.active, s.active, s.disabled_reason FROM users u "
                  "JOIN subscriptions s ON s.user_id = u.user_id WHERE u.user_id = ?",
                  user, "0|0|blocked") == "0|0|blocked");
  auto calls = h.answered_calls("sendMessage", user, 3);
  std::size_t refused = 0;
  for (const auto& c : calls) refused += c.status == 403;
  CHECK(refused == 2);
  const auto log = h.log_file();
  INFO("the bot's log lines of the chat:\n" << lines_with(log, "chat=7201"));
  CHECK(count_of(log, "chat=7201 /bot***/sendMessage chat is gone") == 1);
}

TEST_CASE("e2e chats: a migrated group's inbox rows move to the supergroup's id") {
  harness h;
  h.start_bot();
  sandbox::send_options supergroup;
  supergroup.chat_type = "supergroup";
  // The new chat exists; plain text gets no reply. Its session is idle before the group migrates.
  auto hello = h.control->send(-1011, "hello", supergroup);
  REQUIRE(h.wait_handled(hello.update_id));
  sandbox::fault moved;
  moved.method = "sendMessage";
  moved.chat_id = -1010;
  moved.count = 0;
  moved.error_code = 400;
  moved.description = "Bad Request: group chat was upgraded to a supergroup chat";
  moved.migrate_to_chat_id = -1011;
  h.control->add_fault(moved);
  sandbox::send_options group;
  group.chat_type = "group";
  auto sent = h.control->send(-1010, "/help", group);
  REQUIRE(h.wait_replies(-1011, 1).bot_messages().size() == 1);
  CHECK(store_row(h, "SELECT chat_id FROM inbox WHERE update_id = ?", sent.update_id, "-1011") ==
        "-1011");
  CHECK(h.log_file().find("chat migrated to -1011") != std::string::npos);
  // The group's session serves the supergroup now, and its next command is answered there.
  CHECK(wait_until([&] {
    return h.log_file().find("[dispatcher] chat=-1010 session moved to chat -1011") !=
           std::string::npos;
  }));
  h.control->send(-1011, "/help", supergroup);
  CHECK(h.wait_replies(-1011, 2).bot_messages().size() == 2);
}
