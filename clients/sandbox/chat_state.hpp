// The sandbox's world: chats, their users and messages (as they stand after edits and deletes),
// and the callback queries awaiting an answer. One lock guards it all; waiters are woken on every
// change.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nocturna::sandbox {

struct user_info {
  std::int64_t id = 0;
  std::string first_name;
  std::string last_name;
  std::string username;
  std::string language_code;
};

struct bot_identity {
  std::int64_t id = 0;
  std::string first_name;
  std::string username;
};

struct chat_info {
  std::int64_t id = 0;
  std::string type = "private";  // private, group, supergroup, channel
  std::string title;             // groups
  user_info user;                // private chats: the other party
};

struct photo_size {
  std::string file_id;
  std::string file_unique_id;
  int width = 0;
  int height = 0;
  std::int64_t file_size = 0;
};

struct location_info {
  double latitude = 0;
  double longitude = 0;
};

struct stored_message {
  std::int64_t message_id = 0;
  std::int64_t date = 0;
  std::int64_t edit_date = 0;  // 0 = never edited
  bool from_bot = false;
  user_info from;                      // user messages
  std::optional<std::string> text;     // as sent: HTML source when parse_mode is HTML
  std::optional<std::string> caption;  // as sent
  std::string parse_mode;              // of text or caption; empty = plain
  std::string entities_json;           // user messages: detected entities, "" = none
  std::vector<photo_size> photo;       // smallest first, like Telegram
  std::string reply_markup;            // compact JSON, "" = none
  std::optional<location_info> location;
  std::optional<std::int64_t> reply_to_message_id;
  bool edited() const { return edit_date != 0; }
};

struct chat_record {
  chat_info info;
  std::int64_t next_message_id = 1;
  std::int64_t version = 0;  // bumped on every change of the chat's messages
  std::map<std::int64_t, stored_message> messages;
};

// An inline query the sandbox made (POST /sandbox/inline) and what the bot answered.
struct inline_record {
  std::int64_t from_id = 0;
  bool answered = false;
  std::string results_json = "[]";
  std::int64_t cache_time = 300;  // Telegram's default
  bool is_personal = false;
};

// The inline queries the sandbox remembers; the oldest are forgotten beyond it.
constexpr std::size_t inline_record_limit = 1000;

struct chat_world {
  std::map<std::int64_t, chat_record> chats;
  std::map<std::string, std::int64_t> open_queries;  // callback_query_id → chat id
  std::int64_t next_query = 1;
  // inline_query_id → its record; ids grow with equal width, so the map's order is their age.
  std::map<std::string, inline_record> inline_queries;
};

// Chat type for an id when nothing says otherwise: positive = private, -100… = supergroup.
std::string default_chat_type(std::int64_t chat_id);

chat_record* find_chat(chat_world& w, std::int64_t chat_id);
const chat_record* find_chat(const chat_world& w, std::int64_t chat_id);
// Creates the chat, or refreshes its user/title from `info`.
chat_record& ensure_chat(chat_world& w, const chat_info& info);
stored_message* find_message(chat_record& c, std::int64_t message_id);
// Gives `m` the chat's next message_id and stores it.
stored_message& append_message(chat_record& c, stored_message m);
std::size_t bot_message_count(const chat_record& c);

class chat_store {
 public:
  // Runs f(world) under the lock and wakes every waiter afterwards.
  template <class F>
  decltype(auto) modify(F&& f) {
    struct notify_on_exit {
      std::condition_variable& cv;
      ~notify_on_exit() { cv.notify_all(); }
    } notify{cv_};
    std::lock_guard<std::mutex> lock(mu_);
    return f(world_);
  }

  template <class F>
  decltype(auto) read(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    return f(static_cast<const chat_world&>(world_));
  }

  // Waits until `pred` holds (checked on every change), the timeout passes or stop() is called.
  bool wait_for(const std::function<bool(const chat_world&)>& pred,
                std::chrono::milliseconds timeout);

  void reset();
  void stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  chat_world world_;
  bool stopping_ = false;
};

}  // namespace nocturna::sandbox
