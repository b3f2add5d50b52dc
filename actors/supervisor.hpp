// The supervisor: starts the services, registers each under its name, and restarts a failed one
// with exponential backoff, together with the children that declared they depend on it
// (rest-for-one, protocol/supervision_plan.hpp). More than RESTART_LIMIT restarts of one child
// within RESTART_WINDOW_S escalates: a critical line and a process exit with code 1, so systemd
// or Docker restarts the whole bot. The tree and why each child restarts as it does:
// docs/architecture.md "Supervision".
#pragma once

#include <caf/all.hpp>
#include <functional>

#include "actors/runtime.hpp"
#include "protocol/restart_policy.hpp"

namespace nocturna::actors {

// permanent: restarted whatever the reason; transient: a normal exit is final (the intake ends
// normally after a graceful stop's last getUpdates), only a failure restarts it.
enum class restart_kind { permanent, transient };

struct child_spec {
  caf::atom_value name;
  std::string label;
  // Spawns the child monitored by `self`.
  std::function<caf::actor(caf::event_based_actor* self)> spawn;
  restart_kind restart = restart_kind::permanent;
  // Labels of children whose state this one shares: when one of them restarts, so does this one
  // (rest-for-one). Empty when the child rebuilds what it needs by itself.
  std::vector<std::string> depends_on;
  std::string why;  // the strategy's reason, for the start-up line and docs
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
