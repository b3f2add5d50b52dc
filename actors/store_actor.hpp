// The store's actor: a detached owner of one store connection. Inbox `done` marks and sent-log
// entries are group-committed (one transaction per ≤ 5 ms batch, telegram.md §3.2).
//   (done, update_id)                      mark a row done (batched)
//   (dead, update_id, reason)              mark a row dead
//   (sent, update_id, seq, result_json)    sent-log entry (batched)
//   (sentlog, update_id) -> (seqs, results)
//   (attempt, update_id) -> attempts       count one more attempt
//   (job, store_job) -> bool               a session's read or write; false when it threw
#pragma once

#include <caf/all.hpp>

#include "actors/runtime.hpp"

namespace nocturna::actors {

struct store_state;
caf::behavior store_actor(caf::stateful_actor<store_state>* self, runtime_ptr rt);

// Spawns it from `parent` (detached + monitored).
caf::actor spawn_store_actor(caf::event_based_actor* parent, runtime_ptr rt);

}  // namespace nocturna::actors
