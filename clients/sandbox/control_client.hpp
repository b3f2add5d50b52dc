// A small client of the sandbox's control API (docs/sandbox.md), for end-to-end tests and the
// `inject` command. Thread-safe: every call opens its own connection. Failures (no connection,
// non-2xx) throw std::runtime_error.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clients/sandbox/chat_state.hpp"
#include "clients/sandbox/faults.hpp"

namespace nocturna::sandbox {

struct send_options {
  std::optional<user_info> from;  // default: the chat's user / "Sandbox User"
  std::string chat_type;          // default: private for positive ids, group/supergroup else
  std::string chat_title;
};

struct sent_message {
  std::int64_t update_id = 0;
  std::int64_t message_id = 0;
};

struct pressed_button {
  std::int64_t update_id = 0;
  std::string callback_query_id;
};

// POST /sandbox/inline's answer.
struct inline_asked {
  std::int64_t update_id = 0;
  std::string inline_query_id;
};

// GET /sandbox/inline_answers: what the bot answered (results as JSON).
struct inline_answer {
  bool answered = false;
  std::string results_json;
  std::int64_t cache_time = 0;
  bool is_personal = false;
};

struct inline_button {
  std::string text;
  std::string callback_data;
  std::string url;
};

struct transcript_message {
  std::int64_t message_id = 0;
  bool from_bot = false;
  std::optional<std::string> text;     // as sent (HTML source for parse_mode HTML)
  std::optional<std::string> caption;  // as sent
  std::string plain;                   // what the user sees (tags removed, entities decoded)
  std::string parse_mode;
  std::string photo_file_id;
  std::string reply_markup;  // compact JSON, "" = none
  std::optional<location_info> location;
  bool edited = false;
  std::int64_t date = 0;

  // The inline keyboard's rows (empty without one).
  std::vector<std::vector<inline_button>> keyboard() const;
  // callback_data of every inline button, in order.
  std::vector<std::string> button_data() const;
};

struct transcript {
  std::int64_t chat_id = 0;
  std::int64_t version = 0;
  bool timed_out = false;
  std::vector<transcript_message> messages;
  std::vector<transcript_message> bot_messages() const;
};

struct call_record {
  std::int64_t seq = 0;
  std::string method;
  std::optional<std::int64_t> chat_id;
  std::string params_json;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = -1;  // -1 while in flight
  int status = 0;            // 0 while in flight
  std::string description;

  std::optional<std::string> param_string(const std::string& name) const;
};

struct call_page {
  std::vector<call_record> calls;
  std::int64_t next = 0;
};

struct sandbox_stats {
  std::int64_t calls = 0;
  std::int64_t max_in_flight = 0;
  std::int64_t max_in_flight_per_chat = 0;
  std::int64_t pending_updates = 0;
  std::string webhook_url;
};

class control_client {
 public:
  explicit control_client(std::string base_url);  // e.g. "http://127.0.0.1:8090"

  sent_message send(std::int64_t chat_id, const std::string& text, const send_options& o = {});
  sent_message location(std::int64_t chat_id, double latitude, double longitude,
                        const send_options& o = {});
  pressed_button press(std::int64_t chat_id, std::int64_t message_id, const std::string& data,
                       bool force = false);
  std::int64_t edit(std::int64_t chat_id, std::int64_t message_id, const std::string& text);
  std::int64_t raw(const std::string& update_text);
  inline_asked inline_query(std::int64_t from_id, const std::string& query);
  inline_answer inline_answers(const std::string& inline_query_id);

  transcript get_transcript(std::int64_t chat_id);
  transcript wait(std::int64_t chat_id, std::size_t bot_messages,
                  std::chrono::milliseconds timeout);
  call_page calls(std::int64_t since = 0, const std::string& method = "",
                  std::optional<std::int64_t> chat_id = std::nullopt);
  sandbox_stats stats();

  void add_fault(const fault& f);
  void clear_faults();
  void reset();
  std::string photo(const std::string& file_id);

  // Low level: the body of a GET / POST answered with 2xx.
  std::string get(const std::string& path_and_query);
  std::string post(const std::string& path, const std::string& json_body);

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
};

// Parsers of the control API's answers (also used by `inject --json`).
transcript parse_transcript(const std::string& json);
call_page parse_calls(const std::string& json);

}  // namespace nocturna::sandbox
