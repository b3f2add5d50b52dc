// The store actor's requests (store_api in actors/interfaces.hpp): one atom per store operation an
// actor needs, its arguments plain values or the store's own records (clients/store/records.hpp),
// its answer one of the types below. Operations that read or write several records for one
// decision (subscribe, claim a forecast, answer an invitation) are one request, so no other
// request runs between their store calls. A request whose store calls threw is answered with an
// error (`store_failure`), which the asking actor logs with its chat id and treats as it treated a
// failed write before.
//
// The operations themselves are functions of a store (declared at the end, defined in
// actors/store_requests_*.cpp by concern); the store actor (actors/store_actor.cpp) runs them on
// its own thread, so no closure ever crosses an actor boundary.
#pragma once

#include <caf/all.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/store_record_inspect.hpp"
#include "clients/store/store.hpp"

namespace nocturna::atoms {

// ---- the user, birth data, settings, /clear_profile, the subscription
using load_profile = caf::atom_constant<caf::atom("ldprofile")>;
using load_birth = caf::atom_constant<caf::atom("ldbirth")>;
using load_houses = caf::atom_constant<caf::atom("ldhouses")>;
using set_houses = caf::atom_constant<caf::atom("sethouses")>;
using ask_clear = caf::atom_constant<caf::atom("askclear")>;
using clear_pending = caf::atom_constant<caf::atom("clearpend")>;
using drop_clear = caf::atom_constant<caf::atom("dropclear")>;
using clear_user = caf::atom_constant<caf::atom("clearuser")>;
using subscribe = caf::atom_constant<caf::atom("subscribe")>;
using disable_sub = caf::atom_constant<caf::atom("disablesub")>;
using set_active = caf::atom_constant<caf::atom("setactive")>;
// ---- /compat: partners and invitations
using load_partners = caf::atom_constant<caf::atom("ldpartners")>;
using load_pair = caf::atom_constant<caf::atom("ldpair")>;
using delete_partner = caf::atom_constant<caf::atom("delpartner")>;
using save_invite = caf::atom_constant<caf::atom("saveinvite")>;
using open_invite = caf::atom_constant<caf::atom("openinvite")>;
using answer_invite = caf::atom_constant<caf::atom("answerinv")>;
// ---- the /natal dialogue and what it saves
using load_dialogue = caf::atom_constant<caf::atom("lddialogue")>;
using save_dialogue = caf::atom_constant<caf::atom("svdialogue")>;
using delete_dialogue = caf::atom_constant<caf::atom("deldialog")>;
using clear_expired = caf::atom_constant<caf::atom("clearexp")>;
using save_birth = caf::atom_constant<caf::atom("svbirth")>;
using save_partner = caf::atom_constant<caf::atom("svpartner")>;
// ---- the natal cache and the process-wide caches
using load_personal = caf::atom_constant<caf::atom("ldpersonal")>;
using cache_natal = caf::atom_constant<caf::atom("cachenatal")>;
using natal_picture = caf::atom_constant<caf::atom("natalpic")>;
using natal_text = caf::atom_constant<caf::atom("nataltext")>;
using sky_picture = caf::atom_constant<caf::atom("skypic")>;
using save_sky_picture = caf::atom_constant<caf::atom("svskypic")>;
using day_text = caf::atom_constant<caf::atom("daytext")>;
using save_day_text = caf::atom_constant<caf::atom("svdaytext")>;
using count_llm = caf::atom_constant<caf::atom("countllm")>;
// ---- the forecast scheduler
using due_subs = caf::atom_constant<caf::atom("duesubs")>;
using next_due = caf::atom_constant<caf::atom("nextdue")>;
using claim_forecast = caf::atom_constant<caf::atom("claimfc")>;
// ---- the inbox and chats
using claim_rows = caf::atom_constant<caf::atom("claimrows")>;
using move_chat = caf::atom_constant<caf::atom("movechat")>;
// ---- several instances sharing the inbox (actors/chat_leases.hpp)
using claim_chats = caf::atom_constant<caf::atom("claimchats")>;
using own_rows = caf::atom_constant<caf::atom("ownrows")>;
using release_chat = caf::atom_constant<caf::atom("relchat")>;

}  // namespace nocturna::atoms

namespace nocturna::msg {

// (load_profile): /profile's data.
struct profile_data {
  std::optional<store::birth_record> birth;
  char system = 'P';
  std::optional<store::subscription_record> subscription;
  std::uint64_t partners = 0;
};

// (load_birth): the birth data and the house system.
struct birth_settings {
  std::optional<store::birth_record> birth;
  char system = 'P';
};

// (set_houses): the letter before, whether the chart has no time, whether the change was stored.
struct house_change {
  char before = 'P';
  bool time_unknown = false;
  bool changed = false;
};

// (subscribe): nothing stored when the user has no birth data.
struct subscription_change {
  bool has_birth = false;
  bool was_active = false;
  std::string time, zone;
};

// (load_partners)
struct partner_list {
  bool has_birth = false;
  std::vector<store::partner_record> partners;
};

// (load_pair): the user's side and the partner, for the /compat report.
struct pair_data {
  std::optional<store::birth_record> birth;
  char system = 'P';
  std::optional<store::partner_record> partner;
};

// (open_invite), (answer_invite): the invitation and both sides as far as they were read.
struct invite_view {
  std::optional<store::invite_record> invite;
  std::optional<store::birth_record> mine, theirs;
  char my_system = 'P', their_system = 'P';
  bool reserved = false, answered = false;
};

// (load_dialogue)
struct dialogue_data {
  std::optional<store::dialogue_record> dialogue;
  bool has_birth = false;
};

// (save_birth): the version now stored and the house system of its chart.
struct birth_saved {
  std::int64_t version = 0;
  char system = 'P';
};

// (save_partner): the partner's id; none when the user has store::store::max_partners already.
struct partner_saved {
  std::optional<std::int64_t> id;
};

// (load_personal): birth data, house system and the natal cache of that version and system.
struct personal_data {
  std::optional<store::birth_record> birth;
  char system = 'P';
  std::optional<store::natal_cache_record> cache;
};

// (sky_picture), (day_text): a cached text, when there is one.
struct stored_text {
  std::optional<std::string> text;
};

// (claim_forecast): `changed` when the subscription is not the one the check read.
struct forecast_claim {
  enum class result : std::uint8_t { changed, claimed, already };
  result value = result::changed;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, profile_data& x) {
  auto birth = optional_field(x.birth);
  auto subscription = optional_field(x.subscription);
  return f(caf::meta::type_name("profile_data"), birth, x.system, subscription, x.partners);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, birth_settings& x) {
  auto birth = optional_field(x.birth);
  return f(caf::meta::type_name("birth_settings"), birth, x.system);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, house_change& x) {
  return f(caf::meta::type_name("house_change"), x.before, x.time_unknown, x.changed);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscription_change& x) {
  return f(caf::meta::type_name("subscription_change"), x.has_birth, x.was_active, x.time, x.zone);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, partner_list& x) {
  return f(caf::meta::type_name("partner_list"), x.has_birth, x.partners);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, pair_data& x) {
  auto birth = optional_field(x.birth);
  auto partner = optional_field(x.partner);
  return f(caf::meta::type_name("pair_data"), birth, x.system, partner);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, invite_view& x) {
  auto invite = optional_field(x.invite);
  auto mine = optional_field(x.mine);
  auto theirs = optional_field(x.theirs);
  return f(caf::meta::type_name("invite_view"), invite, mine, theirs, x.my_system, x.their_system,
           x.reserved, x.answered);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, dialogue_data& x) {
  auto dialogue = optional_field(x.dialogue);
  return f(caf::meta::type_name("dialogue_data"), dialogue, x.has_birth);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, birth_saved& x) {
  return f(caf::meta::type_name("birth_saved"), x.version, x.system);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, partner_saved& x) {
  auto id = optional_field(x.id);
  return f(caf::meta::type_name("partner_saved"), id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, personal_data& x) {
  auto birth = optional_field(x.birth);
  auto cache = optional_field(x.cache);
  return f(caf::meta::type_name("personal_data"), birth, x.system, cache);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, stored_text& x) {
  auto text = optional_field(x.text);
  return f(caf::meta::type_name("stored_text"), text);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, forecast_claim& x) {
  return f(caf::meta::type_name("forecast_claim"), x.value);
}

}  // namespace nocturna::msg

namespace nocturna::actors {

// The type a value of type T has in a message: CAF 0.17 stores every integer as the fixed-width
// type of its size, so a char (a house system letter) travels as std::int8_t.
template <class T>
struct message_type_of {
  using type = typename caf::detail::strip_and_convert<T>::type;
};
template <>
struct message_type_of<void> {
  using type = void;
};
template <class T>
using message_type = typename message_type_of<T>::type;

// The error a request is answered with when its store calls threw; `what` is the exception's text.
caf::error store_failure(const std::string& what);
// Why a request failed, for a log line: the store's text, or CAF's rendering of the error (a
// timeout, the store gone).
std::string store_failure_reason(caf::actor_system& sys, const caf::error& e);

// The operations, one per request; the store actor runs them (actors/store_actor.cpp).
namespace store_requests {

// actors/store_requests_profile.cpp
msg::profile_data load_profile(store::store& db, std::int64_t user);
msg::birth_settings load_birth(store::store& db, std::int64_t user);
char load_houses(store::store& db, std::int64_t user);
msg::house_change set_houses(store::store& db, std::int64_t user, char letter);
// Stores the question when the user has something to delete; returns whether they have.
bool ask_clear(store::store& db, std::int64_t user, store::clear_request question);
// Whether the question with `nonce` is the user's pending one and unexpired at `now`.
bool clear_pending(store::store& db, std::int64_t user, std::string nonce, std::int64_t now);
void drop_clear(store::store& db, std::int64_t user);
void clear_user(store::store& db, std::int64_t user);
// `wanted` "HH:MM", or empty: the active subscription's time, else 09:00.
msg::subscription_change subscribe(store::store& db, std::int64_t user, std::string wanted);
bool disable_sub(store::store& db, std::int64_t user, std::string reason);
bool set_active(store::store& db, std::int64_t user, bool active);

// actors/store_requests_compat.cpp
msg::partner_list load_partners(store::store& db, std::int64_t user);
msg::pair_data load_pair(store::store& db, std::int64_t user, std::int64_t partner_id);
bool delete_partner(store::store& db, std::int64_t user, std::int64_t partner_id);
void save_invite(store::store& db, store::invite_record invite);
// Reserves the code for `user` when both the invitation and the user's birth data exist.
msg::invite_view open_invite(store::store& db, std::string code, std::int64_t user,
                             std::int64_t now);
// Records the answer ("yes"/"no"); once answered, both sides' data for the report.
msg::invite_view answer_invite(store::store& db, std::string code, std::int64_t user,
                               std::string answer, std::int64_t update_id);

// actors/store_requests_dialogue.cpp
msg::dialogue_data load_dialogue(store::store& db, std::int64_t user);
void save_dialogue(store::store& db, std::int64_t user, store::dialogue_record dialogue);
void delete_dialogue(store::store& db, std::int64_t user);
// Deletes the dialogue when it expired at `now`.
// Whether the user still has one afterwards.
bool clear_expired(store::store& db, std::int64_t user, std::int64_t now);
// Saves the birth data and ends the dialogue.
msg::birth_saved save_birth(store::store& db, std::int64_t user, store::birth_record birth);
// Adds the partner (once per update); the dialogue ends unless the partner was refused below
// the limit.
msg::partner_saved save_partner(store::store& db, std::int64_t user, store::partner_record partner,
                                std::int64_t update_id);

// actors/store_requests_caches.cpp
msg::personal_data load_personal(store::store& db, std::int64_t user);
bool cache_natal(store::store& db, std::int64_t user, std::int64_t version, char system,
                 std::string chart_json);
bool natal_picture(store::store& db, std::int64_t user, std::int64_t version, char system,
                   std::string file_id);
bool natal_text(store::store& db, std::int64_t user, std::int64_t version, char system,
                std::string text, std::string source);
msg::stored_text sky_picture(store::store& db, std::int64_t hour_utc, char system);
void save_sky_picture(store::store& db, std::int64_t hour_utc, char system, std::string file_id);
msg::stored_text day_text(store::store& db, std::string local_date, std::string place,
                          std::string model);
void save_day_text(store::store& db, std::string local_date, std::string place, std::string model,
                   std::string text);
int count_llm(store::store& db, std::int64_t user, std::string local_date, std::int64_t update_id);

// actors/store_requests_schedule.cpp
std::vector<store::due_subscription> due_subs(store::store& db, std::int64_t now);
// Stores `next` as the next due unless the subscription is no longer `seen`.
void next_due(store::store& db, std::int64_t user, store::subscription_record seen,
              std::int64_t next);
// Claims `local_date` and stores `next` as the next due, unless the subscription is no longer
// `seen`.
msg::forecast_claim claim_forecast(store::store& db, std::int64_t user,
                                   store::subscription_record seen, std::string local_date,
                                   std::int64_t next);

}  // namespace store_requests
}  // namespace nocturna::actors
