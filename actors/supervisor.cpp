#include "actors/supervisor.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include "actors/calc_gateway.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/dispatcher.hpp"
#include "actors/forecast_scheduler.hpp"
#include "actors/inline_answerer.hpp"
#include "actors/llm_actor.hpp"
#include "actors/message_types.hpp"
#include "actors/poll_watchdog.hpp"
#include "actors/poller.hpp"
#include "actors/renderer.hpp"
#include "actors/sender.hpp"
#include "actors/store_actor.hpp"
#include "actors/webhook_receiver.hpp"
#include "protocol/supervision_plan.hpp"

namespace nocturna::actors {

struct supervisor_state {
  runtime_ptr rt;
  std::vector<child_spec> children;
  std::vector<caf::actor> running;  // by child index
  std::map<caf::actor_addr, std::size_t> index_of;
  std::map<std::size_t, restart_policy> policies;
  static inline const char* name = "supervisor";

  caf::actor_system* system = nullptr;

  // The children end with the supervisor. Their registry entries are strong references: a
  // detached child's thread (and so the actor system's shutdown) waits until they are gone.
  ~supervisor_state() {
    for (auto& child : running)
      if (child) caf::anon_send_exit(child, caf::exit_reason::user_shutdown);
    if (system)
      for (auto& spec : children) system->registry().erase(spec.name);
  }
};

namespace {

using self_ptr = caf::stateful_actor<supervisor_state>*;

void start_child(self_ptr self, std::size_t i) {
  auto& st = self->state;
  const auto& spec = st.children[i];
  auto child = spec.spawn(self);
  st.running[i] = child;
  st.index_of[child.address()] = i;
  // put() keeps an existing entry: the dead predecessor's name must be erased first.
  self->system().registry().erase(spec.name);
  self->system().registry().put(spec.name, child);
  st.rt->health->set_service(spec.label, true);
}

void on_child_down(self_ptr self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = st.index_of.find(dm.source);
  if (it == st.index_of.end()) return;  // stopped on purpose (a dependant being restarted)
  auto i = it->second;
  st.index_of.erase(it);
  st.running[i] = nullptr;
  const auto& spec = st.children[i];
  // Until the successor is registered nobody may send to the dead one: what would go there waits
  // in the inbox or the outbox, or its sender retries (docs/architecture.md "Supervision").
  self->system().registry().erase(spec.name);
  if (st.rt->control->stopping || st.rt->control->exit_requested()) return;
  if (dm.reason == caf::exit_reason::normal && spec.restart == restart_kind::transient) return;
  auto reason = describe_exit(dm.reason);
  auto& policy = st.policies
                     .try_emplace(i, st.rt->options.supervisor.restart_limit,
                                  st.rt->options.supervisor.restart_window_s * 1000LL)
                     .first->second;
  if (!policy.allow_restart(steady_ms())) {
    spdlog::critical(
        "[supervisor] actor={} failed {} times within {} s (last: {}): giving up, exiting",
        spec.label, policy.recent(), st.rt->options.supervisor.restart_window_s, reason);
    st.rt->control->request_exit(1);
    return;
  }
  // Rest-for-one: the children that depend on this one stop now and start again after it.
  std::vector<child_deps> deps;
  for (const auto& c : st.children) deps.push_back({c.label, c.depends_on});
  auto set = restart_set(deps, i);
  std::string with;
  for (std::size_t k = 1; k < set.size(); ++k) {
    auto d = set[k];
    with += (with.empty() ? "" : ",") + st.children[d].label;
    if (auto& child = st.running[d]) {
      st.index_of.erase(child.address());
      self->system().registry().erase(st.children[d].name);
      self->send_exit(child, caf::exit_reason::user_shutdown);
      child = nullptr;
    }
    st.rt->health->set_service(st.children[d].label, false);
  }
  auto delay = policy.backoff_ms();
  st.rt->health->set_service(spec.label, false);
  st.rt->metrics->add("nocturna_actor_restarts_total", "actor=\"" + spec.label + "\"");
  spdlog::error("[supervisor] actor={} restart={} reason=\"{}\" restarting in {} ms{}", spec.label,
                policy.recent(), reason, delay, with.empty() ? "" : " with its dependants " + with);
  for (auto k : set)
    self->delayed_send(self, std::chrono::milliseconds(delay), atoms::restart::value,
                       static_cast<std::uint64_t>(k));
}

}  // namespace

std::vector<child_spec> bot_services(runtime_ptr rt) {
  // Blocking I/O (SQLite, getUpdates) lives in detached actors; the sender's HTTP runs in its
  // detached workers.
  auto with = [rt](auto spawn) {
    return [rt, spawn](caf::event_based_actor* self) { return spawn(self, rt); };
  };
  const bool webhook = rt->options.supervisor.mode == bot_mode::webhook;
  // Start order is list order, as in an OTP supervisor: every service before the intake that
  // feeds it updates, the watchdog after the poller it watches. What happens when one of them
  // stops is declared on its spec (restart kind, dependencies), never read from its place.
  std::vector<child_spec> children = {
      {services::store::value,
       "store",
       with(spawn_store_actor),
       restart_kind::permanent,
       {},
       "done marks and sent entries wait in the process's outbox: nothing to rebuild"},
      {services::sender::value,
       "sender",
       with(spawn_sender),
       restart_kind::permanent,
       {},
       "its callers hand unanswered calls to the next sender; the call ledger stops doubles"},
      {services::calc::value,
       "calc_gateway",
       with(spawn_calc_gateway),
       restart_kind::permanent,
       {},
       "stateless: a caller that lost its answer reports the chart as unavailable"},
      {services::renderer::value,
       "renderer",
       with(spawn_renderer),
       restart_kind::permanent,
       {},
       "stateless: a caller that lost its answer goes without the picture"},
      {services::scheduler::value,
       "scheduler",
       with(spawn_forecast_scheduler),
       restart_kind::permanent,
       {},
       "due subscriptions are read from the store every 30 s"},
      {services::inline_answers::value,
       "inline",
       with(spawn_inline_answerer),
       restart_kind::permanent,
       {},
       "inline queries are answered once or dropped: Telegram forgets them within seconds"},
      {services::dispatcher::value,
       "dispatcher",
       with(spawn_dispatcher),
       restart_kind::permanent,
       {},
       "asks getMe itself and re-runs the rows its dead predecessor held"},
  };
  // Without a key no request is ever sent: the built-in interpreter answers (docs/behaviour.md
  // §7.2).
  if (rt->cfg.llm_enabled())
    children.push_back({services::llm::value,
                        "llm",
                        with(spawn_llm_actor),
                        restart_kind::permanent,
                        {},
                        "a caller that lost its answer uses the built-in text"});
  // The intake: getUpdates in polling mode, the webhook server in webhook mode. Transient: it
  // ends normally after a graceful stop's last getUpdates, and that end is final.
  if (webhook) {
    children.push_back({services::poller::value,
                        "webhook",
                        with(spawn_webhook_receiver),
                        restart_kind::transient,
                        {},
                        "rows are in the inbox before 200"});
  } else {
    children.push_back({services::poller::value,
                        "poller",
                        with(spawn_poller),
                        restart_kind::transient,
                        {},
                        "the offset is in the inbox"});
    // The watchdog judges the poller's call in flight (runtime poll_status): it starts afresh
    // with each poller, so it restarts with it.
    children.push_back({services::watchdog::value,
                        "watchdog",
                        with(spawn_poll_watchdog),
                        restart_kind::permanent,
                        {"poller"},
                        "restarted with the poller, whose call it watches"});
  }
  return children;
}

caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, runtime_ptr rt,
                         std::vector<child_spec> children) {
  replace_printing_handlers(self, "supervisor");
  auto& st = self->state;
  st.rt = std::move(rt);
  st.system = &self->system();
  st.children = std::move(children);
  st.running.resize(st.children.size());
  // Every counter is in /metrics from the start, not only after its first event.
  for (const auto& spec : st.children)
    st.rt->metrics->add("nocturna_actor_restarts_total", "actor=\"" + spec.label + "\"", 0);
  self->set_down_handler([=](caf::down_msg& dm) { on_child_down(self, dm); });
  for (std::size_t i = 0; i < st.children.size(); ++i) {
    const auto& spec = st.children[i];
    std::string deps;
    for (const auto& d : spec.depends_on) deps += (deps.empty() ? "" : ",") + d;
    spdlog::debug("[supervisor] actor={} restart={} depends_on={}: {}", spec.label,
                  spec.restart == restart_kind::transient ? "transient" : "permanent",
                  deps.empty() ? "-" : deps, spec.why);
    start_child(self, i);
  }
  return {
      [=](atoms::restart, std::uint64_t i) {
        auto& st = self->state;
        if (st.rt->control->stopping || st.rt->control->exit_requested()) return;
        if (st.running[i]) return;  // already running (a duplicate restart request)
        start_child(self, static_cast<std::size_t>(i));
        spdlog::info("[supervisor] actor={} restarted", st.children[i].label);
      },
  };
}

caf::actor spawn_supervisor(caf::actor_system& sys, runtime_ptr rt,
                            std::vector<child_spec> children) {
  return sys.spawn(supervisor, std::move(rt), std::move(children));
}

}  // namespace nocturna::actors
