// The store calls of several webhook instances sharing one inbox (docs/architecture.md "Several
// instances"), one function per call: the receiver leases the chat of an update it stored, the
// dispatcher picks up its chats' rows and gives an idle chat back. The jobs run on the store
// actor's connection (actors/store_actor.hpp); the receiver's lease runs on its own connection,
// on the HTTP thread that stored the row.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "clients/store/store.hpp"

namespace nocturna::actors {

// Leases `chat_id` to this instance unless a live one holds it; true when this instance serves
// it (then its dispatcher picks the row up at once). Throws what the store throws.
bool lease_received_chat(store::store& db, const runtime& rt, std::int64_t chat_id);

// Claims into `rows` at most `limit` pending rows of the chats this instance holds, after taking
// the chats with pending rows that no live instance holds (store::claim_chat_rows).
msg::store_job claim_chat_rows_job(const runtime& rt, std::size_t limit,
                                   std::shared_ptr<std::vector<store::inbox_row>> rows);

// Reads into `rows` a page of the pending rows this instance claimed (a restarted dispatcher's
// takeover; store::claimed_rows).
msg::store_job claimed_rows_job(const runtime& rt, std::int64_t after_update_id, std::size_t limit,
                                std::shared_ptr<std::vector<store::inbox_row>> rows);

// Gives an idle chat back (its session was evicted); its done marks are committed first, so a
// chat whose rows all finished is really released (store::release_chat).
msg::store_job release_chat_job(const runtime& rt, std::int64_t chat_id);

}  // namespace nocturna::actors
