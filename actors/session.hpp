// One chat's session: handles that chat's updates strictly one after another (docs/behaviour.md
// §1.1). Receives msg::update from the dispatcher, answers it through the sender, then reports
// (done, chat_id, update_id) to the dispatcher and the store. (stop) ends it when idle.
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct session_state;
// The bot's @username, one copy for all sessions.
using shared_username = std::shared_ptr<const std::string>;

session_api::behavior_type session(session_api::stateful_pointer<session_state> self,
                                   runtime_ptr rt, std::int64_t chat_id,
                                   shared_username bot_username);

// Spawns it from `parent`, the dispatcher, which gets (ended, chat_id, actor id, reason) when the
// session is gone.
session_api spawn_session(caf::local_actor* parent, runtime_ptr rt, std::int64_t chat_id,
                          shared_username bot_username);

}  // namespace nocturna::actors
