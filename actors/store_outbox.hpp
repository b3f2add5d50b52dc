// Done marks and sent-log entries on their way to the store, held by the process rather than by
// the store actor: a session or the sender adds to it directly, so nothing is lost while the
// store actor restarts, and the next store actor commits whatever it finds
// (actors/store_actor.cpp). Thread-safe; bounded (an entry over the bound is refused and logged by
// the caller: a lost done mark only re-runs the update at the next start, a lost sent entry is kept
// by the call ledger).
#pragma once

#include <cstdint>
#include <mutex>
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

 private:
  bool admit(bool* was_empty);

  std::size_t limit_;
  mutable std::mutex mutex_;
  batch waiting_;
};

}  // namespace nocturna::actors
