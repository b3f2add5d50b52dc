// The commands a session runs beyond the quick replies of protocol/router (docs/behaviour.md §4),
// each handling one turn and calling end_turn when it is over.
#pragma once

#include "actors/session_state.hpp"
#include "protocol/button_press.hpp"
#include "protocol/command_table.hpp"
#include "protocol/commands.hpp"

namespace nocturna::actors {

// Heavy commands with the status-message pattern (docs/behaviour.md §1.5): session_heavy.cpp.
void run_transit(session_ptr self, const turn_ptr& t);
void run_transit_planets(session_ptr self, const turn_ptr& t);
void run_transit_aspects(session_ptr self, const turn_ptr& t);
void run_my_natal(session_ptr self, const turn_ptr& t);
void run_my_transit(session_ptr self, const turn_ptr& t);
// /moon [завтра | ДД.ММ.ГГГГ] (issue 21).
void run_moon(session_ptr self, const turn_ptr& t, const std::string& args);

// Stored data: session_profile.cpp.
void run_profile(session_ptr self, const turn_ptr& t);
void run_settings(session_ptr self, const turn_ptr& t);
void run_clear_profile(session_ptr self, const turn_ptr& t);
void run_subscribe(session_ptr self, const turn_ptr& t, const std::string& args);
void run_unsubscribe(session_ptr self, const turn_ptr& t);
void on_settings_button(session_ptr self, const turn_ptr& t);
void on_clear_button(session_ptr self, const turn_ptr& t);
void on_membership(session_ptr self, const turn_ptr& t);

// The /natal dialogue: session_dialogue.cpp. `command` is natal or cancel.
void run_dialogue_command(session_ptr self, const turn_ptr& t, bot::command_id command);
void on_private_message(session_ptr self, const turn_ptr& t);
void on_dialogue_button(session_ptr self, const turn_ptr& t);
// «Добавить партнёра»: the same dialogue about a partner (protocol/natal_dialogue start_partner).
void start_partner_dialogue(session_ptr self, const turn_ptr& t);

// /compat: session_compat.cpp. The list, its buttons (p:…) and the invitation's (i:…), the report
// of a saved partner, and `/start c_{code}` from an invitation link.
void run_compat(session_ptr self, const turn_ptr& t);
void on_compat_button(session_ptr self, const turn_ptr& t);
void run_partner_report(session_ptr self, const turn_ptr& t, std::int64_t partner_id);
void run_invite_start(session_ptr self, const turn_ptr& t, const std::string& payload);

// A command after a dialogue's expiry clears that dialogue silently, then runs (docs/behaviour.md
// §1.3).
void clear_expired_dialogue(session_ptr self, const turn_ptr& t, std::function<void()> k);

// A press that no longer applies (docs/behaviour.md §1.4): answered with T_STALE and its keyboard
// removed.
void answer_stale(session_ptr self, const turn_ptr& t, std::function<void()> k);
// Whether the turn's press passes the generic checks of protocol/button_press.hpp.
inline bool press_is_fresh(const turn_ptr& t) {
  return bot::press_is_fresh(*t->parsed.callback_query);
}
// Quick reply: exactly one sendMessage, then the turn ends.
void quick_reply(session_ptr self, const turn_ptr& t, std::string text, bool html,
                 std::string reply_markup = {});
// The quick replies of protocol/router for this update's message, then the turn ends.
void route_simply(session_ptr self, const turn_ptr& t);

}  // namespace nocturna::actors
