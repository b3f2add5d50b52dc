// The control API's handlers (control_user.cpp: the user's side; control_inspect.cpp: looking at
// the chat and the bot's calls, faults, reset) and the helpers they share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "clients/sandbox/json_util.hpp"
#include "clients/sandbox/sandbox_state.hpp"

namespace httplib {
struct Request;
}

namespace nocturna::sandbox {

struct control_reply {
  int status = 200;
  std::string body;
};

control_reply ok_json(std::string body);
// {"ok":false,"error":…} with `status`.
control_reply fail(int status, const std::string& error);

// A request body parsed as JSON; `ok` when it is an object (an empty body counts as {}).
struct json_body {
  simdjson::dom::parser parser;
  jsonu::element doc;
  bool ok = false;
  explicit json_body(const std::string& text);
};

// An integer query parameter; nothing when absent or malformed.
std::optional<std::int64_t> query_int(const httplib::Request& req, const char* name);

// control_user.cpp
control_reply send(sandbox_state& s, const httplib::Request& req);
control_reply location(sandbox_state& s, const httplib::Request& req);
control_reply press(sandbox_state& s, const httplib::Request& req);
control_reply edit(sandbox_state& s, const httplib::Request& req);
control_reply raw(sandbox_state& s, const httplib::Request& req);

// control_inline.cpp (issue 21)
control_reply inline_query(sandbox_state& s, const httplib::Request& req);
control_reply inline_answers(sandbox_state& s, const httplib::Request& req);

// control_inspect.cpp
control_reply transcript(sandbox_state& s, const httplib::Request& req);
control_reply wait(sandbox_state& s, const httplib::Request& req);
control_reply calls(sandbox_state& s, const httplib::Request& req);
control_reply stats(sandbox_state& s, const httplib::Request& req);
control_reply chats(sandbox_state& s, const httplib::Request& req);
control_reply commands(sandbox_state& s, const httplib::Request& req);
control_reply add_fault(sandbox_state& s, const httplib::Request& req);
control_reply clear_faults(sandbox_state& s, const httplib::Request& req);
control_reply reset(sandbox_state& s, const httplib::Request& req);

}  // namespace nocturna::sandbox
