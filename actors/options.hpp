// The settings each actor of the tree reads, one struct per actor (the clients' own option structs
// sit beside their clients: llm::openrouter_config, render::chart_service_config,
// remote::remote_options, store::store_options). app/ fills every one of them from its config,
// in one place (app/options.cpp), which is also where the defaults are (app/config.hpp); an actor
// never sees the whole configuration, and nothing below app/ includes it
// (tests/layers/check_layers.py).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "clients/llm/openrouter_client.hpp"
#include "clients/nocturna/remote_positions.hpp"
#include "clients/render/chart_service_client.hpp"
#include "clients/store/store.hpp"
#include "protocol/bot_mode.hpp"
#include "protocol/send_queue.hpp"

namespace nocturna {

// What the actors that answer users read: the sessions, the forecast scheduler and the inline
// answerer (runtime::cfg).
struct product_options {
  std::string timezone;        // TIMEZONE: dates, forecast hours and the shared sky
  std::string sky_place_name;  // where «Небо сейчас» and the day's sky are drawn for
  double sky_latitude = 0;
  double sky_longitude = 0;
  int dialogue_ttl_minutes = 0;  // an unfinished dialogue is forgotten after this
  int llm_daily_limit = 0;       // personal interpretations per user and day
  int chat_backlog_limit = 0;    // updates held per chat, 0 = unlimited
  int openrouter_timeout_s = 0;  // an interpretation's deadline
  int forecast_queue_limit = 0;  // due forecasts waiting in the scheduler
  bool llm_on = false;           // an OpenRouter key is set: the llm actor runs

  bool llm_enabled() const { return llm_on; }
};

namespace actors {

struct supervisor_options {
  bot_mode mode = bot_mode::polling;  // which intake runs: the poller or the webhook receiver
  // More than `restart_limit` restarts of one child within `restart_window_s` escalate.
  int restart_limit = 0;
  int restart_window_s = 0;
};

struct sender_options {
  int connections = 0;                    // HTTP workers, one keep-alive connection each
  std::chrono::milliseconds max_idle{0};  // an idler connection is reopened before a call
  bot::send_limits limits;                // flood limits and queue bounds
};

// Both intakes stop taking updates while more than `backlog_limit` are in flight.
struct poller_options {
  int poll_timeout_s = 0;  // getUpdates long-poll timeout; the watchdog judges a call by it
  bool drop_pending = false;
  std::chrono::milliseconds max_idle{0};
  std::int64_t backlog_limit = 0;
};

struct webhook_options {
  std::string url;  // WEBHOOK_URL; port 0 stands for the port the receiver bound
  std::string path;
  std::string host;
  int port = 0;
  std::string secret;
  int max_connections = 0;
  bool drop_pending = false;
  std::int64_t backlog_limit = 0;
};

struct dispatcher_options {
  std::size_t backlog_limit = 0;  // inbox rows claimed per page; sessions held beyond it wait
  std::chrono::seconds session_idle{0};  // an idle session is evicted after this
};

// Several webhook instances on one PostgreSQL (docs/architecture.md "Several instances"): the
// receiver leases the chats it receives, the dispatcher picks up its chats' rows from the inbox.
struct instances_options {
  bool shared = false;  // webhook mode on PostgreSQL; false: one instance, as always
  int lease_s = 15;     // INSTANCE_LEASE_S: a dead instance's chats are taken over after it
};

struct calc_options {
  std::optional<remote::remote_options> remote;  // nullopt: the embedded ephemeris
  std::size_t queue_limit = 0;
};

struct renderer_options {
  std::optional<render::chart_service_config> service;  // nullopt: only the built-in renderer
  std::size_t queue_limit = 0;
};

struct llm_options {
  llm::openrouter_config client;
  int workers = 0;  // requests in flight at once
  std::size_t queue_limit = 0;
  std::string share_dir;  // the system prompts under share/prompts_ru
};

// Every actor's options, held by the runtime.
struct tree_options {
  supervisor_options supervisor;
  store::store_options store;  // the store actor and both intakes open the store with it
  sender_options sender;
  poller_options poller;
  webhook_options webhook;
  dispatcher_options dispatcher;
  instances_options instances;
  calc_options calc;
  renderer_options renderer;
  llm_options llm;
};

}  // namespace actors
}  // namespace nocturna
