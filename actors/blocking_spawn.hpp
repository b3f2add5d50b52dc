// Spawning an actor that blocks in I/O (a store connection, a Bot API connection): it gets a
// thread of its own (caf::detached) so that it never blocks the CAF scheduler.
//
// The one exception is CAF's deterministic test coordinator (scheduler.policy "testing", used by
// tests/actors/): it steps only the actors it schedules, and a detached actor would answer from
// its own thread at an unknown moment. There the actor is scheduled like any other, and its
// blocking call (to a real loopback server, to real SQLite) runs on the test's thread when the
// test lets it run.
#pragma once

#include <caf/all.hpp>
#include <utility>

namespace nocturna::actors {

inline bool runs_on_test_coordinator(const caf::actor_system& sys) {
  return caf::get_or(sys.config(), "scheduler.policy", caf::atom("stealing")) ==
         caf::atom("testing");
}

// parent->spawn<Os + caf::detached>(fun, xs...), scheduled instead under the test coordinator.
template <caf::spawn_options Os = caf::no_spawn_options, class Parent, class F, class... Ts>
auto spawn_blocking(Parent* parent, F fun, Ts&&... xs) {
  if (runs_on_test_coordinator(parent->system()))
    return parent->template spawn<Os>(fun, std::forward<Ts>(xs)...);
  return parent->template spawn<Os + caf::detached>(fun, std::forward<Ts>(xs)...);
}

}  // namespace nocturna::actors
