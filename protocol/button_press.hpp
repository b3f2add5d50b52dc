// Whether a button press can still be acted on, before its data is looked at.
#pragma once

#include "protocol/bot_types.hpp"

namespace nocturna::bot {

// A press on a message that is still accessible, in a private chat, by that chat's own user. Any
// other press is stale: answered with T_STALE and its keyboard removed (actors/session_profile.cpp
// answer_stale).
bool press_is_fresh(const callback_query& q);

}  // namespace nocturna::bot
