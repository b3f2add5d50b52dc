// The supervisor: starts the services (store, sender, dispatcher, poller), registers each under
// its name, and restarts a failed one (one-for-one) with exponential backoff. More than
// RESTART_LIMIT restarts within RESTART_WINDOW_S escalates: an error line and a process exit with
// code 1, so systemd or Docker restarts the whole bot. It does nothing else.
#pragma once

#include <caf/all.hpp>
#include <functional>

#include "actors/runtime.hpp"
#include "protocol/restart_policy.hpp"

namespace nocturna::actors {

struct child_spec {
  caf::atom_value name;
  std::string label;
  // Spawns the child monitored and linked by `self`.
  std::function<caf::actor(caf::event_based_actor* self)> spawn;
};

// The bot's services in start order.
std::vector<child_spec> bot_services(runtime_ptr rt);

struct supervisor_state;
caf::behavior supervisor(caf::stateful_actor<supervisor_state>* self, runtime_ptr rt,
                         std::vector<child_spec> children);

// Spawns the supervisor at the top of the actor tree.
caf::actor spawn_supervisor(caf::actor_system& sys, runtime_ptr rt,
                            std::vector<child_spec> children);

}  // namespace nocturna::actors
