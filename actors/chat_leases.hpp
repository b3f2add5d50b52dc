// The store calls of several webhook instances sharing one inbox (docs/architecture.md "Several
// instances"): the receiver leases the chat of an update it stored, on its own connection, on
// the HTTP thread that stored the row. The dispatcher's pick-up of its chats' rows, its paging
// through the rows it claimed and its giving back of an idle chat are store requests
// (claim_chats, own_rows, release_chat in actors/interfaces.hpp) on the store actor's connection.
#pragma once

#include <cstdint>

#include "actors/runtime.hpp"
#include "clients/store/store.hpp"

namespace nocturna::actors {

// Leases `chat_id` to this instance unless a live one holds it; true when this instance serves
// it (then its dispatcher picks the row up at once). Throws what the store throws.
bool lease_received_chat(store::store& db, const runtime& rt, std::int64_t chat_id);

}  // namespace nocturna::actors
