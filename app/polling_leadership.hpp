// Several instances polling one bot on one PostgreSQL: only the holder of the polling lease
// (clients/store/leader_lease.hpp) runs the bot; the others stand by, serve nothing and take the
// lease when its holder dies (docs/deployment.md, "Several instances").
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "actors/runtime.hpp"
#include "app/config.hpp"
#include "clients/store/leader_lease.hpp"

namespace nocturna {

class polling_leadership {
 public:
  // True when instances must coordinate: polling mode on PostgreSQL. Alone (SQLite), an instance
  // is its own leader; in webhook mode every instance serves.
  static bool needed(const config& cfg);

  polling_leadership(const config& cfg, runtime& rt);
  ~polling_leadership();

  // Blocks the main thread (the actor system has not started) until this instance holds the
  // lease. False when SIGINT or SIGTERM came first: the instance stops without having served.
  bool wait_until_leader();
  // From now on a thread checks the lease every third of INSTANCE_LEASE_S; when it is lost the
  // process stops with exit code 3, before the database can hand the lease to a standby.
  void keep();

 private:
  runtime& rt_;
  int lease_s_;
  store::leader_lease lease_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread keeper_;
};

}  // namespace nocturna
