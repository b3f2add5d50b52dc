// Several webhook instances on one PostgreSQL (docs/architecture.md "Several instances"): a
// thread of this instance writes its heartbeat, renews the leases of the chats it serves, and
// reads the live instances, every third of INSTANCE_LEASE_S. It runs on a store connection of its
// own, not through the store actor: a renewal must never wait behind the sessions' store work, or
// a busy instance would lose its chats to the others while it still serves them.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "actors/runtime.hpp"
#include "clients/store/store.hpp"

namespace nocturna {

class instance_heartbeat {
 public:
  // True when instances share the inbox: webhook mode on PostgreSQL (actors/options.hpp).
  static bool needed(const runtime& rt) { return rt.options.instances.shared; }

  // Writes the first heartbeat at once, so the sender's share of the limits is right from the
  // first call, then beats on a thread.
  explicit instance_heartbeat(runtime& rt);
  // Stops the thread and forgets this instance: its chats are released, so the others take them
  // (and whatever rows the stop left pending) at their next pick-up instead of after the lease.
  // Called after the actor tree has stopped.
  ~instance_heartbeat();

 private:
  void beat();

  runtime& rt_;
  std::unique_ptr<store::store> db_;
  std::size_t peers_seen_ = 0;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace nocturna
