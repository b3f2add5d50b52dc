// The fixture of the actor tests: the bot's own actors on CAF's deterministic test coordinator
// (caf/test/dsl.hpp), so a test decides which actor handles its next message and can crash one
// at an exact point of an update. Real parts around them: the sandbox Bot API on loopback (an
// ephemeral port), real SQLite in a temporary directory behind the real store actor.
//
// Why the store actor and the Bot API workers run on the coordinator: in the bot they are
// detached (they block in I/O), and a detached actor runs on a thread of its own that the test
// coordinator neither schedules nor waits for. actors/blocking_spawn.hpp schedules them normally
// under the coordinator, so their blocking calls run on the test's thread, one step at a time.
// The poller is not started: it long-polls. The fixture reads the sandbox's updates itself with
// the real Telegram client and stores them in the inbox as the poller does (actors/intake.hpp).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "clients/sandbox/control_client.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "clients/store/store.hpp"
#include "clients/telegram/telegram_client.hpp"
#include "protocol/messages.hpp"
#include "tests/support/bot_process.hpp"

// Last: CAF's test DSL defines function-like macros (`allow`, `expect`, …) that would rewrite
// methods of the same names in the project's headers included after it.
#include <caf/test/dsl.hpp>

namespace nocturna::testing {

struct actor_fixture : test_coordinator_fixture<> {
  actor_fixture();
  // Every actor of the test is killed and the coordinator run until they are gone: the periodic
  // timers of the dispatcher and the store would keep the base fixture's run() going forever.
  ~actor_fixture() override;

  // The store, sender and dispatcher under their registry names, as the supervisor starts them.
  void start_store();
  void start_sender();
  // Also runs the coordinator until the dispatcher knows the bot's name and took over the inbox.
  void start_dispatcher();

  // A user writes `text` in `chat_id` (a group for negative ids): the sandbox queues the update,
  // the fixture fetches it by getUpdates, stores it in the inbox and returns it as the poller
  // hands it to the dispatcher.
  msg::update user_writes(std::int64_t chat_id, const std::string& text);

  // Runs the coordinator's queued messages (never its timers) until `stop()` or none is left.
  template <class Predicate>
  void run_until(Predicate stop) {
    while (!stop() && sched.try_run_once()) {
    }
  }
  // Runs every queued message except those of `held` (they stay in its mailbox).
  void run_all_but(const caf::actor& held);
  // Runs the queued messages of `actor` alone.
  void run_only(caf::resumable* actor);
  void run_only(const caf::actor& actor);
  // The actor whose message was queued last (one the test cannot name, such as a session).
  caf::resumable* last_job();

  // What the sandbox saw: the bot's messages in a chat, the Bot API calls of a method to a chat.
  std::vector<std::string> bot_texts(std::int64_t chat_id);
  std::size_t api_calls(const std::string& method, std::int64_t chat_id);
  // Every sendMessage the sandbox received, in order: (chat id, text as sent).
  std::vector<std::pair<std::int64_t, std::string>> sent_messages();
  // The inbox row of an update, read through the test's own connection.
  store::inbox_row inbox(std::int64_t update_id);
  // The answers the test's own actor (`self`) got so far.
  std::vector<bot::api_response> answers();

  temp_dir dir;
  std::unique_ptr<sandbox::server> api;
  std::unique_ptr<sandbox::control_client> control;
  std::shared_ptr<runtime> rt;
  std::unique_ptr<store::store> db;  // the test's connection (the store actor has its own)
  std::unique_ptr<bot::telegram_client> updates_client;
  std::int64_t next_offset = 0;
  caf::actor store, sender, dispatcher;
};

// A sendMessage call to `chat_id`, as a session numbers it for update `update_id` (seq < 0: a
// call outside any update).
msg::bot_call send_message_call(std::int64_t chat_id, const std::string& text,
                                std::int64_t update_id = 0, int seq = -1);

}  // namespace nocturna::testing
