// What every actor of one bot process shares: its options (actors/options.hpp), the process-level
// controls (exit requests, poll abort) and the names under which the supervisor registers its
// children.
#pragma once

#include <atomic>
#include <caf/all.hpp>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "actors/call_ledger.hpp"
#include "actors/options.hpp"
#include "actors/store_outbox.hpp"
#include "clients/health/health_state.hpp"
#include "clients/health/metrics.hpp"

namespace nocturna {

namespace bot {
class bot_api_loop;
class telegram_client;
}  // namespace bot
namespace geo {
class gazetteer_loader;
}
namespace interpret {
class meanings;
}

// Lets any thread ask the process to stop (a signal, a fatal error, an escalated restart loop).
class process_control {
 public:
  // The first request wins; later ones keep the first exit code.
  void request_exit(int code);
  bool exit_requested() const { return exit_code_.load() >= 0; }
  int exit_code() const { return exit_code_.load(); }
  // Waits up to `ms` for an exit request; true when one came.
  bool wait_for_exit(int ms);
  std::atomic<bool> stopping{false};  // graceful stop in progress: no new polls

 private:
  std::atomic<int> exit_code_{-1};
  std::mutex mutex_;
  std::condition_variable cv_;
};

// The HTTP clients of detached actors, so a stop can abort their blocking calls from another
// thread (httplib's stop() is thread-safe) instead of waiting out a 25 s long poll.
class call_aborter {
 public:
  void attach(bot::telegram_client* client);
  void detach(bot::telegram_client* client);
  void abort_all();
  std::atomic<bool> finished{false};  // poller: the final confirming getUpdates was made

 private:
  std::mutex mutex_;
  std::set<bot::telegram_client*> clients_;
};

// What the poll watchdog (docs/telegram.md §2.6) sees of the poller.
struct poll_status {
  std::atomic<std::int64_t> in_flight_since_ms{0};  // steady ms; 0 = no getUpdates in flight
  std::atomic<bool> replace_client{false};          // set by the watchdog after an abort
};

// What outlives any one actor of the tree, so a restarted actor finds where its predecessor was.
struct tree_status {
  std::atomic<int> live_sessions{0};                    // a new dispatcher waits until it is 0
  std::atomic<std::uint64_t> dispatcher_generation{0};  // counts dispatcher starts
  // Updates handed to the dispatcher and not yet handled (held or queued in a session): the
  // intake stops taking more above INTAKE_BACKLOG_LIMIT.
  std::atomic<std::int64_t> updates_in_flight{0};
  // Instances alive on the shared database (this one included), from the heartbeat table: the
  // sender takes its share of Telegram's overall limit. 1 when the instance runs alone.
  std::atomic<int> live_instances{1};
};

// A random id of this process, the owner written on the inbox rows it claims.
std::string make_instance_id();

struct runtime {
  product_options cfg;           // read by the sessions, the scheduler and the inline answerer
  actors::tree_options options;  // one struct per actor
  std::string api_url;           // the effective Bot API base (the embedded sandbox when no token)
  std::string token;
  std::string
      ca_file;  // TELEGRAM_CA_FILE: trusted certificates for the Bot API; empty: the system's
  std::shared_ptr<process_control> control = std::make_shared<process_control>();
  std::shared_ptr<call_aborter> poll = std::make_shared<call_aborter>();
  // Every Bot API call but the long poll (clients/telegram/bot_api_loop.hpp); outlives the
  // sender, so a call a dead sender left in flight still ends in the call ledger.
  std::shared_ptr<bot::bot_api_loop> bot_api;
  std::shared_ptr<poll_status> poll_watch = std::make_shared<poll_status>();
  std::shared_ptr<health::state> health = std::make_shared<health::state>("polling");
  std::shared_ptr<metrics::registry> metrics = std::make_shared<metrics::registry>();
  std::shared_ptr<actors::call_ledger> ledger = std::make_shared<actors::call_ledger>();
  std::shared_ptr<actors::store_outbox> outbox = std::make_shared<actors::store_outbox>();
  std::shared_ptr<tree_status> tree = std::make_shared<tree_status>();
  std::string instance_id = make_instance_id();
  // Immutable assets loaded once at start-up and read by every session. The gazetteer is built in
  // the background: a place lookup before it is ready waits for it (actors/session_dialogue.cpp).
  std::shared_ptr<const geo::gazetteer_loader> gazetteer;
  std::shared_ptr<const interpret::meanings> meanings;
};

using runtime_ptr = std::shared_ptr<const runtime>;

// Registry names of the supervised services; actors look them up at use, so a restarted service
// is found under the same name.
namespace services {
using sender = caf::atom_constant<caf::atom("sender")>;
using store = caf::atom_constant<caf::atom("store")>;
using dispatcher = caf::atom_constant<caf::atom("dispatch")>;
using poller = caf::atom_constant<caf::atom("poller")>;
using calc = caf::atom_constant<caf::atom("calc")>;
using renderer = caf::atom_constant<caf::atom("renderer")>;
using llm = caf::atom_constant<caf::atom("llm")>;
using scheduler = caf::atom_constant<caf::atom("scheduler")>;
using watchdog = caf::atom_constant<caf::atom("watchdog")>;
using inline_answers = caf::atom_constant<caf::atom("inline")>;

inline caf::actor find(caf::actor_system& sys, caf::atom_value name) {
  return sys.registry().get<caf::actor>(name);
}
}  // namespace services

// Milliseconds of the steady clock, the time base of deadlines inside the process.
std::int64_t steady_ms();

// Seconds since the epoch by the wall clock: the time of dates, forecasts and stored moments.
std::int64_t now_utc();

}  // namespace nocturna
