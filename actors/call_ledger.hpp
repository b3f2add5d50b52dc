// The process's record of Bot API calls made on behalf of an inbox row, keyed by (update_id,
// seq). It outlives the sender, its workers, the dispatcher and the sessions, so a call that a
// dead actor left in flight is made at most once however the update is re-run in this process:
// a second asker of the same key waits (asks again later) for the first one's answer instead of
// sending again.
// (Across a process crash the store's sent-log plays this part.) Thread-safe; bounded.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

#include "protocol/api_response.hpp"

namespace nocturna::actors {

class call_ledger {
 public:
  using key = std::pair<std::int64_t, int>;  // (update_id, seq)

  explicit call_ledger(std::size_t remembered = 16384) : capacity_(remembered) {}

  enum class claim {
    proceed,   // the caller now makes the call and must `finish` it
    answered,  // the call was already made: its answer is in `*answer`
    busy,      // another caller is making it: ask again later
  };
  // Called before making the call; never waits. `take_over`: the caller's deadline has come while
  // another caller was still busy with the call (stuck past it), so it makes the call itself.
  claim begin(key k, bot::api_response* answer, bool take_over = false);

  // The answer of a call begun with `begin`. Only an accepted call (ok, not modified, already
  // done) is remembered, as given: the sender hands over its digest (protocol/sent_result.hpp);
  // after a failure a waiter makes the call itself.
  void finish(key k, const bot::api_response& r);

  std::size_t remembered() const;

  // Forgets answers recorded before `before_ms` (steady ms): by then the store's sent-log has
  // them, so an idle process does not keep the last burst's answers for ever. Returns how many.
  std::size_t forget_before(std::int64_t before_ms);

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<key, bool> in_flight_;
  std::map<key, bot::api_response> done_;
  std::deque<std::pair<key, std::int64_t>> done_order_;  // (key, steady ms), oldest first
};

}  // namespace nocturna::actors
