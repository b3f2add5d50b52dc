#include "app/run.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "actors/fault_injection.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "actors/supervisor.hpp"
#include "app/instance_heartbeat.hpp"
#include "app/options.hpp"
#include "app/polling_leadership.hpp"
#include "app/stop_signals.hpp"
#include "clients/geo/gazetteer_loader.hpp"
#include "clients/health/health_server.hpp"
#include "clients/health/heap.hpp"
#include "clients/interpret/meanings.hpp"
#include "clients/logging.hpp"
#include "clients/nocturna/token_check.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "clients/store/store.hpp"
#include "clients/telegram/bot_api_loop.hpp"

namespace nocturna {
namespace {

constexpr int graceful_stop_budget_ms = 2000;
constexpr int hard_stop_ms = 4000;

// Waits for SIGINT/SIGTERM (blocked in every thread, see main) or an exit request.
int wait_for_stop(const runtime& rt) {
  while (!rt.control->exit_requested()) {
    if (int sig = wait_for_stop_signal(100)) {
      spdlog::info("[main] signal {}: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
      return 0;
    }
  }
  return rt.control->exit_code();
}

// A second signal, or a stop that overruns, ends the process at once: the inbox and the offset
// are durable, so nothing is lost.
void arm_hard_stop(int code) {
  std::thread([code] {
    int sig = wait_for_stop_signal(hard_stop_ms);
    flush_logs();
    if (sig > 0) std::fprintf(stderr, "second signal: exiting now\n");
    _exit(sig > 0 ? 130 : code);
  }).detach();
}

// Asks the service of interface `Api` to drain and waits at most `ms`; true when it answered ok.
template <class Api>
bool drain(caf::actor_system& sys, int ms) {
  auto target = actors::find<Api>(sys);
  if (!target || ms <= 0) return false;
  caf::scoped_actor self{sys};
  bool ok = false;
  self->request(target, std::chrono::milliseconds(ms), atoms::drain::value)
      .receive([&](caf::ok_atom) { ok = true; }, [&](caf::error&) {});
  return ok;
}

// Sends (stop) to the intake of interface `Api` when it runs.
template <class Api>
void stop_intake(caf::actor_system& sys) {
  if (auto intake = actors::find<Api>(sys)) caf::anon_send(intake, atoms::stop::value);
}

void graceful_stop(caf::actor_system& sys, const runtime& rt, const caf::actor& sup, int code) {
  auto started = steady_ms();
  auto left = [&] { return graceful_stop_budget_ms - static_cast<int>(steady_ms() - started); };
  rt.control->stopping = true;
  arm_hard_stop(code);
  // 1. abort the long poll; the poller confirms the last batch and quits.
  rt.poll->abort_all();
  if (rt.options.supervisor.mode == bot_mode::webhook)
    stop_intake<actors::webhook_api>(sys);
  else
    stop_intake<actors::poller_api>(sys);
  while (!rt.poll->finished && left() > 1200)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // 2. sessions get up to 1 s; unfinished updates stay pending in the inbox.
  spdlog::debug("[main] poller stopped after {} ms", steady_ms() - started);
  if (!drain<actors::dispatcher_api>(sys, std::min(1000, left() - 300)))
    spdlog::warn("[main] sessions still busy at stop: their updates re-run at next start");
  // 3. the sender flushes what it can.
  drain<actors::sender_api>(sys, left() - 100);
  rt.bot_api->stop();
  spdlog::debug("[main] sessions and sender drained after {} ms", steady_ms() - started);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

}  // namespace

int run_bot(const config& cfg) {
  // A remote backend with an expired service token cannot answer anyone: refuse to start
  // (docs/calculations.md §7.3).
  if (cfg.remote_calc() && !remote::check_service_token(remote_options_of(cfg))) return 2;
  auto rt = std::make_shared<runtime>();
  rt->cfg = product_options_of(cfg);
  rt->options = tree_options_of(cfg);
  try {
    auto started = steady_ms();
    rt->meanings = std::make_shared<interpret::meanings>(interpret::meanings::load(cfg.share_dir));
    // The alias file is read here, so that a bad one still stops the start; the index itself,
    // ~1 s of CPU, is built in the background while the bot already polls (docs/benchmarks.md).
    auto aliases = geo::load_aliases(cfg.share_dir + "/" + geo::alias_file_name);
    rt->gazetteer = geo::load_gazetteer_in_background(
        std::move(aliases),
        [control = rt->control](const std::string& error) {
          spdlog::critical("[main] cannot build the gazetteer: {}", error);
          control->request_exit(2);
        },
        "/proc/self/exe");
    spdlog::info("[main] meanings and place aliases loaded in {} ms", steady_ms() - started);
  } catch (const std::exception& e) {
    spdlog::critical("[main] cannot load the assets under {}: {}", cfg.share_dir, e.what());
    return 2;
  }
  // Create the schema and switch SQLite to WAL once, here, before the poller, the store actor
  // and the sessions open their own connections: on a fresh database they would otherwise race
  // for the exclusive lock that the journal-mode change and the migrations take.
  try {
    store::open_store(rt->options.store);
  } catch (const std::exception& e) {
    spdlog::critical("[main] cannot open the store: {}", e.what());
    return 2;
  }
  std::unique_ptr<sandbox::server> embedded;
  if (cfg.sandbox_embedded()) {
    embedded = std::make_unique<sandbox::server>(sandbox_options_of(cfg));
    auto port = embedded->start();
    rt->api_url = embedded->base_url();
    rt->token = embedded->token();
    spdlog::info("[main] no TELEGRAM_BOT_TOKEN: embedded sandbox on 127.0.0.1:{}", port);
    std::printf("Sandbox chat page: %s/  (inject: build/nocturna-bot inject --sandbox %s /start)\n",
                embedded->base_url().c_str(), embedded->base_url().c_str());
    std::fflush(stdout);
  } else {
    rt->api_url = cfg.telegram_api_url;
    rt->token = cfg.telegram_bot_token;
    rt->ca_file = cfg.telegram_ca_file;
  }
  add_secret(rt->token);
  rt->bot_api = std::make_shared<bot::bot_api_loop>(
      bot::bot_api_loop::options{rt->api_url, rt->token, rt->options.sender.connections,
                                 rt->options.sender.max_idle, rt->ca_file});
  rt->health = std::make_shared<health::state>(std::string(bot_mode_name(cfg.bot_mode)));
  rt->health->set_instance(rt->instance_id);
  rt->health->set_role(cfg.bot_mode == bot_mode::webhook ? "webhook" : "single");
  if (!cfg.llm_enabled()) rt->health->set_upstream("llm", "disabled");
  // Counters of rare events are in /metrics from the start, at 0.
  for (const char* counter :
       {"nocturna_updates_received_total", "nocturna_flood_waits_total",
        "nocturna_bot_api_retries_total", "nocturna_poll_watchdog_aborts_total",
        "nocturna_lease_takeovers_total"})
    rt->metrics->add(counter, "", 0);
  health::server health_server(rt->health, rt->metrics);
  auto faults = std::make_shared<actors::fault_injector>();
  if (cfg.fault_injection) {
    spdlog::warn("[main] FAULT_INJECTION=on: POST /debug/crash is open (test only)");
    health_server.enable_fault_injection(
        [faults](const std::string& a) { return faults->crash(a); });
  }
  auto health_port = health_server.start(cfg.health_host, cfg.health_port);
  spdlog::info("[main] health and metrics on http://{}:{}/health", cfg.health_host, health_port);

  // On a shared PostgreSQL in polling mode only the lease holder polls; the others wait here,
  // their health server up, their actors not started.
  std::unique_ptr<polling_leadership> leadership;
  if (polling_leadership::needed(cfg)) {
    leadership = std::make_unique<polling_leadership>(cfg, *rt);
    if (!leadership->wait_until_leader()) {
      health_server.stop();
      flush_logs();
      return 0;
    }
    leadership->keep();
  }
  // Webhook instances sharing the inbox: heartbeats and chat leases (released at the stop).
  std::unique_ptr<instance_heartbeat> heartbeat;
  if (instance_heartbeat::needed(*rt)) heartbeat = std::make_unique<instance_heartbeat>(*rt);

  int exit_code = 0;
  {
    caf::actor_system_config caf_cfg;
    // One shared job queue whose idle workers sleep on a condition variable. CAF's default,
    // work stealing, keeps idle workers polling (and waking every 50 µs) for a while after each
    // message, which at a few hundred updates a second burned most of the bot's CPU
    // (docs/benchmarks.md: 248 -> 180 µs of CPU per update at 0 ms, 1,052 -> 405 µs at 50 ms).
    caf_cfg.set("scheduler.policy", caf::atom("sharing"));
    caf_cfg.set("scheduler.max-threads",
                static_cast<std::size_t>(std::max(2u, std::thread::hardware_concurrency())));
    caf::actor_system sys{caf_cfg};
    runtime_ptr shared = rt;
    auto children = actors::bot_services(shared);
    std::vector<std::pair<std::string, caf::atom_value>> labels;
    for (const auto& s : children) labels.emplace_back(s.label, s.name);
    faults->attach(&sys, std::move(labels));
    auto sup = actors::spawn_supervisor(sys, shared, std::move(children));
    spdlog::info("[main] bot running: mode={} connections={} rate_limits={} heap={}",
                 bot_mode_name(cfg.bot_mode), cfg.telegram_connections,
                 cfg.telegram_rate_limits ? "on" : "off", health::heap_allocator());
    exit_code = wait_for_stop(*rt);
    faults->detach();
    graceful_stop(sys, *rt, sup, exit_code);
    sup = nullptr;
  }
  heartbeat.reset();   // the chats go only after the sessions stopped and the done marks are in
  leadership.reset();  // the lease goes only after the final getUpdates confirmed the offset
  health_server.stop();
  if (embedded) embedded->stop();
  spdlog::info("[main] stopped, exit code {}", exit_code);
  flush_logs();
  return exit_code;
}

}  // namespace nocturna
