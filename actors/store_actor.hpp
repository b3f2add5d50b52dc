// The store's actor: a detached owner of one store connection (blocking SQL stays off the CAF
// scheduler). Done marks and sent-log entries reach it through the process's outbox
// (actors/store_outbox.hpp) and are group-committed (one transaction per ≤ 5 ms batch); the outbox
// outlives the actor, so a restart loses none of them. Its interface is store_api
// (actors/interfaces.hpp):
//   (flush)                                 commit what the outbox holds (a nudge after an add)
//   (dead, update_id, reason)               mark a row dead
//   (sentlog, update_id) -> (seqs, results) the calls already made, the outbox's included
//   (attempt, update_id) -> attempts        count one more session the row crashed
//   (load_profile, user) -> profile_data, (save_birth, user, birth) -> birth_saved, …
//                                           one typed request per store operation an actor
//                                           needs (actors/store_requests.hpp, run by
//                                           actors/store_requests_*.cpp); a request whose store
//                                           calls threw is answered with an error carrying the
//                                           store's text, logged by the asker
//                                           (actors/ask_store.hpp)
//   (claimrows, owner, lease_s, after, page) -> rows   the dispatcher's takeover, after the outbox
//                                           is committed
//   (crash)                                 fault injection: throws (actors/fault_injection.hpp)
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct store_state;
store_api::behavior_type store_actor(store_api::stateful_pointer<store_state> self, runtime_ptr rt);

// Spawns it from `parent` (detached + monitored; actors/blocking_spawn.hpp).
caf::actor spawn_store_actor(caf::event_based_actor* parent, runtime_ptr rt);

// Adds a done mark / sent-log entry to the outbox and nudges the store when it was empty.
void queue_done(caf::actor_system& sys, const runtime& rt, std::int64_t update_id);
void queue_sent(caf::actor_system& sys, const runtime& rt, std::int64_t update_id, int seq,
                std::string result_json);

}  // namespace nocturna::actors
