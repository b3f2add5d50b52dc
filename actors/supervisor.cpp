#include "actors/supervisor.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include "actors/calc_gateway.hpp"
#include "actors/default_handlers.hpp"
#include "actors/dispatcher.hpp"
#include "actors/forecast_scheduler.hpp"
#include "actors/llm_actor.hpp"
#include "actors/message_types.hpp"
#include "actors/poll_watchdog.hpp"
#include "actors/poller.hpp"
#include "actors/renderer.hpp"
#include "actors/sender.hpp"
#include "actors/store_actor.hpp"
#include "actors/webhook_receiver.hpp"

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
  if (it == st.index_of.end()) return;
  auto i = it->second;
  st.index_of.erase(it);
  const auto& spec = st.children[i];
  if (st.rt->control->stopping || st.rt->control->exit_requested()) return;
  if (dm.reason == caf::exit_reason::normal && &spec == &st.children.back()) return;
  auto reason = self->system().render(dm.reason);
  auto& policy = st.policies
                     .try_emplace(i, st.rt->cfg.restart_limit,
                                  static_cast<std::int64_t>(st.rt->cfg.restart_window_s) * 1000)
                     .first->second;
  if (!policy.allow_restart(steady_ms())) {
    spdlog::critical(
        "[supervisor] actor={} failed {} times within {} s (last: {}): giving up, exiting",
        spec.label, policy.recent(), st.rt->cfg.restart_window_s, reason);
    st.rt->control->request_exit(1);
    return;
  }
  auto delay = policy.backoff_ms();
  st.rt->health->set_service(spec.label, false);
  st.rt->metrics->add("nocturna_actor_restarts_total", "actor=\"" + spec.label + "\"");
  spdlog::error("[supervisor] actor={} restart={} reason=\"{}\" restarting in {} ms", spec.label,
                policy.recent(), reason, delay);
  self->delayed_send(self, std::chrono::milliseconds(delay), atoms::restart::value,
                     static_cast<std::uint64_t>(i));
}

}  // namespace

std::vector<child_spec> bot_services(runtime_ptr rt) {
  // Blocking I/O (SQLite, getUpdates) lives in detached actors; the sender's HTTP runs in its
  // detached workers.
  auto with = [rt](auto spawn) {
    return [rt, spawn](caf::event_based_actor* self) { return spawn(self, rt); };
  };
  std::vector<child_spec> children = {
      {services::store::value, "store", with(spawn_store_actor)},
      {services::sender::value, "sender", with(spawn_sender)},
      {services::calc::value, "calc_gateway", with(spawn_calc_gateway)},
      {services::renderer::value, "renderer", with(spawn_renderer)},
      {services::scheduler::value, "scheduler", with(spawn_forecast_scheduler)},
      {services::dispatcher::value, "dispatcher", with(spawn_dispatcher)},
      // The intake: getUpdates in polling mode, the webhook server in webhook mode.
      rt->cfg.bot_mode == "webhook"
          ? child_spec{services::poller::value, "webhook", with(spawn_webhook_receiver)}
          : child_spec{services::poller::value, "poller", with(spawn_poller)},
  };
  if (rt->cfg.bot_mode != "webhook")
    children.push_back({services::watchdog::value, "watchdog", with(spawn_poll_watchdog)});
  // Without a key no request is ever sent: the built-in interpreter answers (bot.md §7.2).
  if (rt->cfg.llm_enabled())
    children.insert(children.end() - 1, {services::llm::value, "llm", with(spawn_llm_actor)});
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
  for (std::size_t i = 0; i < st.children.size(); ++i) start_child(self, i);
  return {
      [=](atoms::restart, std::uint64_t i) {
        auto& st = self->state;
        if (st.rt->control->stopping || st.rt->control->exit_requested()) return;
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
