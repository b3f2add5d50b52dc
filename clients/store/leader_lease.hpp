// The polling leader lease. Several instances of one bot may share a PostgreSQL database; in
// polling mode exactly one of them may call getUpdates, because Telegram ends one poll with a
// 409 whenever another starts. The lease is a session-level advisory lock on a connection of its
// own: PostgreSQL keeps it exactly as long as that connection lives, so it is released the moment
// a killed leader's connection closes, and TCP keepalives and user timeouts on both ends bound how
// long a leader that vanished without closing keeps it (docs/deployment.md, "Several instances").
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

typedef struct pg_conn PGconn;

namespace nocturna::store {

class leader_lease {
 public:
  // `lease_s` bounds how long a dead holder's lock outlives it (the keepalive budget).
  leader_lease(std::string database_url, std::int64_t key, int lease_s);
  ~leader_lease();
  leader_lease(const leader_lease&) = delete;
  leader_lease& operator=(const leader_lease&) = delete;

  // Tries once, without waiting, to take the lease (connecting first when needed); true when this
  // process holds it. Never throws: a database that cannot be reached just means "not now".
  bool try_acquire();
  // The holder's check: true while the lease's connection still answers. A lost connection is
  // never re-opened behind the caller's back: the lock went with it.
  bool still_held();
  bool held() const { return held_; }
  // Records on the lease's connection that `instance_id` is alive in `role` now (table
  // `instances`, clients/store/sql_store_instances.cpp) and returns the instances alive within
  // the last lease, this one included, as (instance id, role). Nothing when the database cannot
  // be reached.
  std::vector<std::pair<std::string, std::string>> beat(const std::string& instance_id,
                                                        const std::string& role);
  // Removes the heartbeat of an instance that stops cleanly.
  void forget(const std::string& instance_id);
  // Why the last try or check failed, with the URL's password removed (for the log).
  const std::string& last_error() const { return last_error_; }

 private:
  bool connect();
  void drop();
  // Runs `sql`; the first two columns of every row go to `rows` when given. False on failure;
  // a broken connection is then dropped (the lock went with it).
  bool run(const std::string& sql, std::vector<std::pair<std::string, std::string>>* rows = nullptr,
           const std::vector<std::string>& params = {});

  std::string url_;
  std::int64_t key_;
  int lease_s_;
  PGconn* conn_ = nullptr;
  bool held_ = false;
  std::string last_error_;
};

// The lock key of the polling lease of the bot whose token is `token`: derived from the bot's
// numeric id (the token's part before ':', public), so bots sharing a database never block each
// other and the secret part never leaves the process.
std::int64_t polling_lease_key(const std::string& token);

}  // namespace nocturna::store
