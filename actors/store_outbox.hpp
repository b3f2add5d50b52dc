// Done marks and sent-log entries on their way to the store, held by the process rather than by
// the store actor: a session or the sender adds to it directly, so nothing is lost while the
// store actor restarts, and the next store actor commits whatever it finds
// (actors/store_actor.cpp). Thread-safe; bounded (an entry over the bound is refused and logged by
// the caller: a lost done mark only re-runs the update at the next start, a lost sent entry is kept
// by the call ledger).
//
// Committing goes through the outbox too (`commit`, `after_commit`), under one lock that every
// writer of the inbox in this process takes: on SQLite a writer that finds the database locked
// sleeps and polls, so the store actor lost every race against the webhook's threads, each
// inserting one update, and thousands of sent entries waited uncommitted in a burst — a kill -9
// then answered them all again. Under the lock the webhook's insert commits what waits first, and
// a sent-log lookup can never miss entries another thread has taken but not yet committed.
#pragma once

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "clients/store/store.hpp"

namespace nocturna::actors {

class store_outbox {
 public:
  explicit store_outbox(std::size_t limit = 100000) : limit_(limit) {}

  // False when the outbox is full. `*was_empty` tells whether the store needs a nudge.
  bool add_done(std::int64_t update_id, bool* was_empty = nullptr);
  bool add_sent(store::store::sent_entry entry, bool* was_empty = nullptr);

  struct batch {
    std::vector<std::int64_t> done;
    std::vector<store::store::sent_entry> sent;
    bool empty() const { return done.empty() && sent.empty(); }
  };
  // Everything waiting, oldest first; the outbox is empty afterwards.
  batch take();
  // Puts a batch that could not be committed back in front of newer entries.
  void restore(batch b);
  std::size_t size() const;

  // Commits everything waiting to `db`: the sent-log first (a row marked done must never lose the
  // record of what it sent), then the done marks. On failure the batch goes back and the error is
  // rethrown: both writes are idempotent, the next commit tries again.
  void commit(store::store& db);

  // Commits what waits, then runs `write(db)` under the same lock (an inbox insert, a sent-log
  // lookup that must see every entry) and returns its result.
  template <typename Write>
  auto after_commit(store::store& db, Write&& write) {
    std::lock_guard<std::mutex> guard(commit_mutex_);
    commit_locked(db);
    return std::forward<Write>(write)(db);
  }

 private:
  bool admit(bool* was_empty);
  void commit_locked(store::store& db);

  std::size_t limit_;
  mutable std::mutex mutex_;
  std::mutex commit_mutex_;  // held across take and commit: see the file comment
  batch waiting_;
};

}  // namespace nocturna::actors
