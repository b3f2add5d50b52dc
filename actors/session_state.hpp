// A session's state and the one update it is handling (a "turn"). Shared by the session's files:
// session.cpp (queue, backlog), session_io.cpp (the calls a turn makes) and the command files.
#pragma once

#include <caf/all.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/messages.hpp"
#include "protocol/router.hpp"

namespace nocturna::actors {

// One update being handled: its deadline, the Bot API calls it made so far (numbered, so a re-run
// after a crash skips the ones Telegram already accepted), and the status message of a command.
struct turn {
  msg::update u;
  bot::update parsed;
  std::int64_t started_ms = 0;
  std::int64_t deadline_ms = 0;  // steady-clock ms: the command deadline (docs/behaviour.md §1.5)
  int next_seq = 0;
  std::map<int, std::string> already_sent;  // seq → result JSON of a previous run
  std::int64_t reply_to = 0;                // the command's message in a group, else 0
  std::int64_t status_id = 0;               // S of a heavy command (docs/behaviour.md §1.5)
  bool text_delivered = false;

  std::int64_t chat_id() const { return u.chat_id; }
  const bot::message* message() const { return parsed.message ? &*parsed.message : nullptr; }
  std::int64_t user_id() const;
};
using turn_ptr = std::shared_ptr<turn>;

struct session_state {
  runtime_ptr rt;
  std::int64_t chat_id = 0;
  std::shared_ptr<const std::string> bot_username;  // never null
  // A list, not a deque: an empty std::deque still holds a 512-byte block, and most of the
  // sessions alive at any time are idle (docs/benchmarks.md, per-session memory).
  std::list<msg::update> queue;
  bool busy = false;
  bot::chat_memory memory;
  // The store said this private chat's user has no /natal dialogue: the commands and texts that
  // follow skip asking again (a store round trip each, 11 % of a /start's CPU: docs/benchmarks.md)
  // until this session saves one. A user's dialogue is written by this session only: /natal is
  // private-only, and one session serves a chat at a time (several instances: its lease,
  // docs/architecture.md).
  bool dialogue_absent = false;
  std::int64_t last_busy_notice_ms = -1;
  // The chat action shown while a heavy command works (docs/behaviour.md §1.5): renewed every 4.5 s
  // until the generation changes.
  std::uint64_t typing_generation = 0;
  std::string typing_action;
  // Steps waiting for something outside, retried at each (next): Bot API calls for a restarted
  // sender (actors/session_io.cpp), place lookups for the gazetteer still being built
  // (actors/session_dialogue.cpp).
  std::vector<std::function<void()>> waiting;
  static inline const char* name = "session";

  // A new dispatcher re-runs its dead predecessor's rows only once no session of it is left.
  ~session_state() {
    if (rt) --rt->tree->live_sessions;
  }
};

using session_ptr = session_api::stateful_pointer<session_state>;

}  // namespace nocturna::actors
