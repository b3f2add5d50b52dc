// The message interface of each service actor as a CAF typed actor (the style of CAF's
// typed_calculator.cpp example): the compiler rejects a message the actor has no handler for, an
// answer of the wrong type, and a handler the interface does not list. A service is found by its
// interface, `find<store_api>(sys)`, never by a registry name at the call site.
//
// Every service also takes (crash), the fault injection of actors/crash_report.hpp, and
// messages it sends itself (timers) are part of its interface.
#pragma once

#include <caf/all.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/crash_report.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"
#include "actors/store_requests.hpp"

namespace nocturna::actors {

// The store (actors/store_actor.hpp): a detached owner of one store connection.
using store_api = caf::typed_actor<
    // housekeeping timer; a nudge after an outbox add; the group commit's timer
    caf::reacts_to<atoms::sweep>, caf::reacts_to<atoms::nudge>, caf::reacts_to<atoms::flush>,
    // mark an inbox row dead, with the reason
    caf::reacts_to<atoms::dead, std::int64_t, std::string>,
    // the calls an update already made: (seqs, results), the outbox's included
    caf::replies_to<atoms::sent_log, std::int64_t>::with<std::vector<std::int64_t>,
                                                         std::vector<std::string>>,
    // one more session the row crashed: the count
    caf::replies_to<atoms::attempt, std::int64_t>::with<int>,
    // The operations of actors/store_requests.hpp, each answered with an error when it threw. A
    // house system letter travels as std::int8_t: CAF stores a char of a message as one.
    // The user, birth data, settings, /clear_profile, the subscription:
    caf::replies_to<atoms::load_profile, std::int64_t>::with<msg::profile_data>,
    caf::replies_to<atoms::load_birth, std::int64_t>::with<msg::birth_settings>,
    caf::replies_to<atoms::load_houses, std::int64_t>::with<std::int8_t>,
    caf::replies_to<atoms::set_houses, std::int64_t, std::int8_t>::with<msg::house_change>,
    caf::replies_to<atoms::ask_clear, std::int64_t, store::clear_request>::with<bool>,
    caf::replies_to<atoms::clear_pending, std::int64_t, std::string, std::int64_t>::with<bool>,
    caf::reacts_to<atoms::drop_clear, std::int64_t>,
    caf::reacts_to<atoms::clear_user, std::int64_t>,
    caf::replies_to<atoms::subscribe, std::int64_t, std::string>::with<msg::subscription_change>,
    caf::replies_to<atoms::disable_sub, std::int64_t, std::string>::with<bool>,
    caf::replies_to<atoms::set_active, std::int64_t, bool>::with<bool>,
    // /compat: partners and invitations
    caf::replies_to<atoms::load_partners, std::int64_t>::with<msg::partner_list>,
    caf::replies_to<atoms::load_pair, std::int64_t, std::int64_t>::with<msg::pair_data>,
    caf::replies_to<atoms::delete_partner, std::int64_t, std::int64_t>::with<bool>,
    caf::reacts_to<atoms::save_invite, store::invite_record>,
    caf::replies_to<atoms::open_invite, std::string, std::int64_t,
                    std::int64_t>::with<msg::invite_view>,
    caf::replies_to<atoms::answer_invite, std::string, std::int64_t, std::string,
                    std::int64_t>::with<msg::invite_view>,
    // the /natal dialogue and what it saves
    caf::replies_to<atoms::load_dialogue, std::int64_t>::with<msg::dialogue_data>,
    caf::reacts_to<atoms::save_dialogue, std::int64_t, store::dialogue_record>,
    caf::reacts_to<atoms::delete_dialogue, std::int64_t>,
    // (clear_expired, user, now): whether a dialogue is still stored afterwards
    caf::replies_to<atoms::clear_expired, std::int64_t, std::int64_t>::with<bool>,
    caf::replies_to<atoms::save_birth, std::int64_t, store::birth_record>::with<msg::birth_saved>,
    caf::replies_to<atoms::save_partner, std::int64_t, store::partner_record,
                    std::int64_t>::with<msg::partner_saved>,
    // the natal cache, the process-wide caches, the daily LLM counter
    caf::replies_to<atoms::load_personal, std::int64_t>::with<msg::personal_data>,
    caf::replies_to<atoms::cache_natal, std::int64_t, std::int64_t, std::int8_t,
                    std::string>::with<bool>,
    caf::replies_to<atoms::natal_picture, std::int64_t, std::int64_t, std::int8_t,
                    std::string>::with<bool>,
    caf::replies_to<atoms::natal_text, std::int64_t, std::int64_t, std::int8_t, std::string,
                    std::string>::with<bool>,
    caf::replies_to<atoms::sky_picture, std::int64_t, std::int8_t>::with<msg::stored_text>,
    caf::reacts_to<atoms::save_sky_picture, std::int64_t, std::int8_t, std::string>,
    caf::replies_to<atoms::day_text, std::string, std::string, std::string>::with<msg::stored_text>,
    caf::reacts_to<atoms::save_day_text, std::string, std::string, std::string, std::string>,
    caf::replies_to<atoms::count_llm, std::int64_t, std::string, std::int64_t>::with<int>,
    // the forecast scheduler
    caf::replies_to<atoms::due_subs, std::int64_t>::with<std::vector<store::due_subscription>>,
    caf::reacts_to<atoms::next_due, std::int64_t, store::subscription_record, std::int64_t>,
    caf::replies_to<atoms::claim_forecast, std::int64_t, store::subscription_record, std::string,
                    std::int64_t>::with<msg::forecast_claim>,
    // the inbox and chats: (owner, lease_s, after update_id, page) claims pending rows for this
    // process, after committing the outbox; a group's rows move to its supergroup (rows moved)
    caf::replies_to<atoms::claim_rows, std::string, std::int64_t, std::int64_t,
                    std::uint64_t>::with<std::vector<store::inbox_row>>,
    caf::replies_to<atoms::move_chat, std::int64_t, std::int64_t>::with<std::uint64_t>,
    // several instances sharing the inbox (actors/chat_leases.hpp): (owner, lease_s, limit)
    // claims the pending rows of the chats this instance holds or may take now; (owner, after
    // update_id, page) pages through the rows this instance claimed and (chat, owner) gives an
    // idle chat back, both after committing the outbox
    caf::replies_to<atoms::claim_chats, std::string, std::int64_t,
                    std::uint64_t>::with<std::vector<store::inbox_row>>,
    caf::replies_to<atoms::own_rows, std::string, std::int64_t,
                    std::uint64_t>::with<std::vector<store::inbox_row>>,
    caf::reacts_to<atoms::release_chat, std::int64_t, std::string>, caf::reacts_to<crash_atom>>;

// The sender (actors/sender.hpp): every Bot API call but the poller's getUpdates.
using sender_api =
    caf::typed_actor<caf::replies_to<msg::bot_call>::with<bot::api_response>,
                     // answered once nothing is queued
                     caf::replies_to<atoms::drain>::with<caf::ok_atom>,
                     // a call's answer, from the Bot API loop's thread
                     caf::reacts_to<atoms::answer, std::uint64_t, bot::api_response>,
                     // its own timers: the queue's next due call, a back-off's end
                     caf::reacts_to<atoms::tick, std::int64_t>,
                     caf::reacts_to<atoms::retry, std::uint64_t>, caf::reacts_to<crash_atom>>;

// The dispatcher (actors/dispatcher.hpp): chat id → session (session_api below), spawned and
// watched by the dispatcher alone.
using dispatcher_api = caf::typed_actor<
    // an update for its chat's session (from the intake, or a re-run)
    caf::reacts_to<msg::update>,
    // a session finished (chat_id, update_id)
    caf::reacts_to<atoms::done, std::int64_t, std::int64_t>,
    // a group became a supergroup (from, to): its session serves the new id
    caf::reacts_to<atoms::chat_moved, std::int64_t, std::int64_t>,
    // a session ended (the chat it was spawned for, its actor id, the exit reason)
    caf::reacts_to<atoms::ended, std::int64_t, caf::actor_id, caf::error>,
    // the bot's @username, from the intake's getMe
    caf::reacts_to<atoms::identity, std::string>,
    // answered once no update is in flight
    caf::replies_to<atoms::drain>::with<caf::ok_atom>,
    // fault injection into one chat's session: false when the chat has none
    caf::replies_to<crash_atom, std::int64_t>::with<bool>,
    // its own timers: getMe after `failures` failures, the inbox takeover, eviction, heap trim
    caf::reacts_to<atoms::identity, int>, caf::reacts_to<atoms::takeover>,
    caf::reacts_to<atoms::sweep>, caf::reacts_to<atoms::trim>, caf::reacts_to<crash_atom>,
    // several webhook instances: pick up this instance's rows now (the receiver leased a chat),
    // and the periodic pick-up of rows other instances stored
    caf::reacts_to<atoms::claim>, caf::reacts_to<atoms::claim, atoms::tick>>;

// One chat's session (actors/session.hpp), spawned and watched by the dispatcher, never
// registered.
using session_api = caf::typed_actor<
    // an update of its chat
    caf::reacts_to<msg::update>,
    // its group became a supergroup (from, to)
    caf::reacts_to<atoms::chat_moved, std::int64_t, std::int64_t>,
    // (the dispatcher ends an idle one by an exit message: one handler less in every session's
    // behaviour, which then fits a smaller allocation; docs/benchmarks.md, per-session memory)
    // its own timers: the next "typing…" of a generation, the sender's next try
    caf::reacts_to<atoms::typing, std::uint64_t>, caf::reacts_to<atoms::next>,
    caf::reacts_to<crash_atom>>;

// The calculations gateway (actors/calc_gateway.hpp).
using calc_api =
    caf::typed_actor<caf::replies_to<atoms::calc, msg::chart_query>::with<msg::chart_answer>,
                     caf::replies_to<atoms::moon, msg::moon_query>::with<msg::moon_answer>,
                     caf::reacts_to<crash_atom>>;
// One of its detached workers, private to it (actors/worker_pool.hpp): the same questions.
using calc_worker_api =
    caf::typed_actor<caf::replies_to<atoms::calc, msg::chart_query>::with<msg::chart_answer>,
                     caf::replies_to<atoms::moon, msg::moon_query>::with<msg::moon_answer>>;

// The renderer (actors/renderer.hpp): an empty `png` means "send no picture".
using renderer_api =
    caf::typed_actor<caf::replies_to<atoms::render, msg::picture_query>::with<msg::picture_answer>,
                     caf::reacts_to<crash_atom>>;
// One of its detached workers, private to it.
using picture_worker_api =
    caf::typed_actor<caf::replies_to<atoms::render, msg::picture_query>::with<msg::picture_answer>>;

// The LLM actor (actors/llm_actor.hpp), only running when OPENROUTER_API_KEY is set.
using llm_api =
    caf::typed_actor<caf::replies_to<atoms::interpret, msg::llm_query>::with<msg::llm_answer>,
                     caf::reacts_to<crash_atom>>;
// One of its detached workers (one blocking OpenRouter call at a time), private to it.
using llm_worker_api =
    caf::typed_actor<caf::replies_to<atoms::interpret, msg::llm_query>::with<msg::llm_answer>>;

// The inline answerer (actors/inline_answerer.hpp): an inline query's update, answered once.
using inline_api = caf::typed_actor<caf::reacts_to<msg::update>, caf::reacts_to<crash_atom>>;

// The forecast scheduler (actors/forecast_scheduler.hpp): only its own 30-s check timer.
using scheduler_api = caf::typed_actor<caf::reacts_to<atoms::tick>, caf::reacts_to<crash_atom>>;

// The poll watchdog (actors/poll_watchdog.hpp): only its own 5-s timer, (poll), that checks the
// poller's call in flight. (Not (tick): two interfaces of the same messages would be one type.)
using watchdog_api = caf::typed_actor<caf::reacts_to<atoms::poll>, caf::reacts_to<crash_atom>>;

// The poller (actors/poller.hpp), the intake in polling mode: (stop) ends it after the final
// confirming getUpdates; its own timers: start-up (getMe) again, the next getUpdates.
using poller_api = caf::typed_actor<caf::reacts_to<atoms::stop>, caf::reacts_to<atoms::identity>,
                                    caf::reacts_to<atoms::poll>, caf::reacts_to<crash_atom>>;

// The webhook receiver's own timer: getWebhookInfo every 60 s.
using webhook_info_atom = caf::atom_constant<caf::atom("whinfo")>;

// The webhook receiver (actors/webhook_receiver.hpp), the intake in webhook mode: (stop) closes
// its server; its own timers: start-up (getMe, setWebhook) again, getWebhookInfo.
using webhook_api = caf::typed_actor<caf::reacts_to<atoms::stop>, caf::reacts_to<atoms::identity>,
                                     caf::reacts_to<webhook_info_atom>, caf::reacts_to<crash_atom>>;

// The registry name each interface's service is registered under by the supervisor
// (actors/supervisor.cpp).
template <class Api>
struct service_name;
template <>
struct service_name<store_api> : services::store {};
template <>
struct service_name<sender_api> : services::sender {};
template <>
struct service_name<dispatcher_api> : services::dispatcher {};
template <>
struct service_name<calc_api> : services::calc {};
template <>
struct service_name<renderer_api> : services::renderer {};
template <>
struct service_name<llm_api> : services::llm {};
template <>
struct service_name<inline_api> : services::inline_answers {};
// Either intake is registered under the poller's name: one of them runs, by BOT_MODE.
template <>
struct service_name<poller_api> : services::poller {};
template <>
struct service_name<webhook_api> : services::poller {};
template <>
struct service_name<scheduler_api> : services::scheduler {};
template <>
struct service_name<watchdog_api> : services::watchdog {};

// The running service of interface `Api`; an invalid handle while it restarts (or, for the LLM
// actor, when it is not configured). Looked up at each use, so a restarted service is found.
template <class Api>
Api find(caf::actor_system& sys) {
  return sys.registry().get<Api>(service_name<Api>::value);
}

}  // namespace nocturna::actors
