// A group that became a supergroup (migrate_to_chat_id): the rows keyed by its chat id move to the
// new id. Only the inbox is keyed by chat (its rows of the group's updates), so a re-run finds them
// under the chat that now receives the group's messages; per-user rows are keyed by user ids and
// stay. Returns how many rows moved. (A free function over the one store implementation, so the
// widely included store.hpp is unchanged; it can become a store method when that is next edited.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "clients/store/store.hpp"

namespace nocturna::store {

std::size_t move_chat(store& db, std::int64_t from_chat, std::int64_t to_chat);

}  // namespace nocturna::store
