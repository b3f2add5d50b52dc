#include "actors/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <list>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "actors/chat_leases.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/intake.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/sender.hpp"
#include "actors/session.hpp"
#include "clients/health/heap.hpp"
#include "clients/store/store.hpp"
#include "protocol/bot_types.hpp"
#include "protocol/recent_ids.hpp"
#include "protocol/sparse_map.hpp"

namespace nocturna::actors {

struct chat_entry {
  session_api session;
  std::int64_t last_active_ms = 0;
};

// The updates routed to a chat's session and not done yet. A list: an empty std::deque still
// holds a 512-byte block.
using routed_updates = std::list<msg::update>;

struct dispatcher_state {
  runtime_ptr rt;
  std::uint64_t generation = 0;
  shared_username username;  // null until getMe answered
  bool taken_over = false;   // the inbox's pending rows are claimed and the first page queued
  // Pending rows are re-run in pages of INTAKE_BACKLOG_LIMIT: the next page is read once the
  // updates in flight fall to half the limit. `page_after` is the last update_id read.
  std::optional<std::int64_t> page_after;
  bool page_in_progress = false;
  // Several webhook instances (actors/chat_leases.hpp): a pick-up of this instance's rows runs
  // (`claiming`); another was asked meanwhile (`claim_again`); the periodic pick-up is started.
  bool claiming = false, claim_again = false, claim_timer = false;
  std::size_t routed = 0;  // updates in sessions' `in_flight` queues, all chats
  std::int64_t takeover_since_ms = 0;
  std::int64_t last_trim_ms = 0;  // steady ms when the sweep last asked for a heap trim
  std::vector<msg::update> held;  // until the identity is known and the takeover is done
  std::unordered_map<std::int64_t, chat_entry> chats;
  // Only the chats with updates in flight: most sessions are idle, and an empty list in every
  // chat's entry cost each of them 32 bytes more (docs/benchmarks.md, per-session memory).
  std::unordered_map<std::int64_t, routed_updates> in_flight;
  std::map<std::int64_t, int> crashes;  // update_id → sessions it took down
  // Exactly one runner per row: a row is routed once while it runs (`running`) and not again
  // soon after it finished (`finished`, the last few thousand): the intake and the takeover may
  // both hand over the same row.
  std::unordered_set<std::int64_t> running;
  bot::recent_ids finished{8192};
  std::vector<caf::response_promise> drain_waiters;
  static inline const char* name = "dispatcher";

  // Sessions end with the dispatcher (not linked to it, so that a crashing session does not take
  // the dispatcher down; their end comes as an (ended) notice). The next dispatcher re-runs their
  // rows once they are gone.
  ~dispatcher_state() {
    for (auto& [chat, e] : chats)
      if (e.session) caf::anon_send_exit(e.session, caf::exit_reason::user_shutdown);
  }
};

namespace {

using self_ptr = dispatcher_api::stateful_pointer<dispatcher_state>;

constexpr int max_crashes_per_update = 2;
constexpr std::size_t held_limit = 50000;
constexpr auto takeover_poll = std::chrono::milliseconds(20);
constexpr std::int64_t old_sessions_wait_ms = 5000;
constexpr std::int64_t claim_lease_s = 600;
constexpr std::int64_t ledger_keep_ms = 60 * 1000;
constexpr auto trim_delay = std::chrono::seconds(2);
constexpr std::int64_t max_sweep_period_ms = 30'000;
// How often an instance sharing the inbox looks for rows other instances stored for its chats:
// the delay a row received elsewhere waits at most, for one light query per instance.
constexpr auto pick_up_interval = std::chrono::milliseconds(100);

std::size_t in_flight_total(self_ptr self) {
  return self->state.held.size() + self->state.routed;
}

void report_in_flight(self_ptr self) {
  self->state.rt->tree->updates_in_flight = static_cast<std::int64_t>(in_flight_total(self));
}

// Empties SQLite's page caches, returns the allocator's free pages to the system and publishes
// the heap's figures, so an operator tells memory in use from memory kept by the
// allocator. Beside them, the call ledger's kept answers at that moment and a count of trims:
// a reader tells a trim that followed the ledger's forgetting from an earlier one.
void trim_heap(const runtime& rt) {
  store::release_sqlite_caches();
  const auto heap = health::release_free_heap();
  rt.metrics->set("nocturna_heap_in_use_bytes", "", heap.in_use_bytes);
  rt.metrics->set("nocturna_heap_free_bytes", "", heap.kept_bytes);
  rt.metrics->set("nocturna_call_ledger_answers", "", static_cast<double>(rt.ledger->remembered()));
  rt.metrics->add("nocturna_heap_trims_total");
}

void report_sessions(self_ptr self) {
  auto n = static_cast<int>(self->state.chats.size());
  self->state.rt->health->set_sessions(n);
  self->state.rt->metrics->set("nocturna_sessions_alive", "", n);
}

session_api session_for(self_ptr self, std::int64_t chat_id) {
  auto& st = self->state;
  auto& entry = st.chats[chat_id];
  if (!entry.session) {
    static const auto unknown = std::make_shared<const std::string>();
    entry.session = spawn_session(self, st.rt, chat_id, st.username ? st.username : unknown);
    report_sessions(self);
  }
  return entry.session;
}

// The dispatcher tells a session idle by its chat having no update in flight: no turn of it is
// running or queued, so it can end at once.
void stop_idle_session(const session_api& session) {
  caf::anon_send_exit(session, caf::exit_reason::user_shutdown);
}

// Sessions never answer the dispatcher through a message's sender: it reaches them by anon_send.
void route(self_ptr self, msg::update u) {
  auto chat_id = u.chat_id;
  auto target = session_for(self, chat_id);
  auto& entry = self->state.chats[chat_id];
  self->state.in_flight[chat_id].push_back(u);
  ++self->state.routed;
  entry.last_active_ms = steady_ms();
  caf::anon_send(target, std::move(u));
}

void remember_finished(self_ptr self, std::int64_t update_id) {
  auto& st = self->state;
  st.running.erase(update_id);
  st.crashes.erase(update_id);
  st.finished.insert(update_id);
}

// Routes a row unless it already runs here or finished a moment ago.
void accept(self_ptr self, msg::update u) {
  auto& st = self->state;
  if (st.running.count(u.update_id) || st.finished.contains(u.update_id)) {
    spdlog::debug("[dispatcher] chat={} update={} already handled here: not run twice", u.chat_id,
                  u.update_id);
    return;
  }
  st.running.insert(u.update_id);
  route(self, std::move(u));
  report_in_flight(self);
}

void release_held_when_ready(self_ptr self) {
  auto& st = self->state;
  if (!st.username || !st.taken_over) return;
  auto held = std::move(st.held);
  st.held.clear();
  // Per chat in update_id order, whichever way (takeover or intake) a row came.
  std::stable_sort(held.begin(), held.end(), [](const msg::update& a, const msg::update& b) {
    return a.update_id < b.update_id;
  });
  for (auto& u : held) accept(self, std::move(u));
}

void hold_or_accept(self_ptr self, msg::update u) {
  auto& st = self->state;
  if (st.username && st.taken_over) {
    accept(self, std::move(u));
    return;
  }
  if (st.held.size() >= held_limit) {
    // Stored pending: the next start re-runs it.
    spdlog::error("[dispatcher] chat={} update={} not held: {} updates wait already", u.chat_id,
                  u.update_id, st.held.size());
    return;
  }
  st.held.push_back(std::move(u));
  report_in_flight(self);
}

// The bot's @username, asked by this dispatcher itself: a restarted dispatcher must not wait for
// the intake, which asks only when it starts.
void ask_identity(self_ptr self, int failures) {
  auto retry = [self, failures](const std::string& why) {
    auto delay = std::chrono::milliseconds(std::min(5000, 200 << std::min(failures, 5)));
    spdlog::warn("[dispatcher] getMe failed ({}), retry in {} ms", why, delay.count());
    self->delayed_send(self, delay, atoms::identity::value, failures + 1);
  };
  auto sender = find<sender_api>(self->system());
  if (!sender) {
    retry("sender not running");
    return;
  }
  self->request(sender, sender_answer_timeout, chatless_call("getMe", "{}"))
      .then(
          [=](bot::api_response& r) {
            if (self->state.username) return;
            auto me = r.succeeded() ? bot::parse_user(r.result_json) : std::nullopt;
            if (!me) {
              retry(r.description.empty() ? "unreadable getMe result" : r.description);
              return;
            }
            self->state.username = std::make_shared<const std::string>(me->username);
            release_held_when_ready(self);
          },
          [=](caf::error& e) { retry(self->system().render(e)); });
}

void read_pending_page(self_ptr self, const store_api& store);
void read_next_page_if_room(self_ptr self);

// Claims the inbox's pending rows (left by an earlier process or by this one's dead dispatcher)
// once no session of a predecessor is left, so no row has two runners.
void take_over(self_ptr self) {
  auto& st = self->state;
  auto waited = steady_ms() - st.takeover_since_ms;
  if (st.rt->tree->live_sessions.load() > 0 && waited < old_sessions_wait_ms) {
    self->delayed_send(self, takeover_poll, atoms::takeover::value);
    return;
  }
  if (st.rt->tree->live_sessions.load() > 0)
    spdlog::warn("[dispatcher] {} sessions of the previous dispatcher still alive after {} ms",
                 st.rt->tree->live_sessions.load(), waited);
  auto store = find<store_api>(self->system());
  if (!store) {
    self->delayed_send(self, std::chrono::milliseconds(200), atoms::takeover::value);
    return;
  }
  read_pending_page(self, store);
}

// One page of the pending rows (all of them claimed for this process first), queued behind the
// identity like live updates. A page after the first is read once the sessions caught up, so a
// restart over a huge backlog never loads it whole.
void read_pending_page(self_ptr self, const store_api& store) {
  auto& st = self->state;
  st.page_in_progress = true;
  auto owner = st.rt->instance_id;
  auto after = st.page_after.value_or(0);
  auto page = st.rt->options.dispatcher.backlog_limit;
  // The store commits its outbox first: rows finished a moment ago are not pending any more.
  // Sharing the inbox, only this instance's own claimed rows (a restarted dispatcher's): the
  // other instances' rows are theirs, a dead one's come with its chats in the pick-up.
  auto request = st.rt->options.instances.shared
                     ? self->request(store, std::chrono::seconds(30), atoms::own_rows::value, owner,
                                     after, std::uint64_t{page})
                     : self->request(store, std::chrono::seconds(30), atoms::claim_rows::value,
                                     owner, claim_lease_s, after, std::uint64_t{page});
  std::move(request).then(
      [=](std::vector<store::inbox_row>& rows) {
        auto& st = self->state;
        st.page_in_progress = false;
        auto now = steady_ms();
        for (auto& row : rows) {
          if (!row.chat_id) continue;
          spdlog::info("[dispatcher] chat={} update={} re-running a pending row", *row.chat_id,
                       row.update_id);
          if (row.attempts > 0) st.crashes[row.update_id] = row.attempts;
          st.held.push_back(msg::update{row.update_id, *row.chat_id, row.json, true, now});
        }
        st.page_after.reset();
        if (rows.size() >= page) st.page_after = rows.back().update_id;
        st.taken_over = true;
        if (!rows.empty())
          spdlog::info("[dispatcher] generation {} took over {} pending rows{}", st.generation,
                       rows.size(), st.page_after ? " (one page, more follow)" : "");
        report_in_flight(self);
        release_held_when_ready(self);
        read_next_page_if_room(self);  // when this page had nothing left to run
        if (st.rt->options.instances.shared && !st.page_after && !st.claim_timer) {
          st.claim_timer = true;  // the pick-up starts once the own rows are all queued
          self->send(self, atoms::claim::value, atoms::tick::value);
        }
      },
      [=](caf::error& e) {
        spdlog::error("[dispatcher] claim pending rows failed: {}",
                      store_failure_reason(self->system(), e));
        self->state.page_in_progress = false;
        self->delayed_send(self, std::chrono::milliseconds(500), atoms::takeover::value);
      });
}

// The next page of pending rows once the updates in flight fell to half the limit.
void read_next_page_if_room(self_ptr self) {
  auto& st = self->state;
  if (!st.page_after || st.page_in_progress || !st.username) return;
  if (in_flight_total(self) * 2 > st.rt->options.dispatcher.backlog_limit) return;
  if (auto store = find<store_api>(self->system())) read_pending_page(self, store);
}

// Sharing the inbox: claims the rows of the chats this instance serves (received by any
// instance, or left by a dead one) and queues them like live updates. One pick-up at a time, in
// update_id order, so a chat's rows reach its session in order whichever instance stored them.
// Stops while the instance stops: the rows stay for the others.
void claim_round(self_ptr self) {
  auto& st = self->state;
  if (!st.rt->options.instances.shared || !st.taken_over || st.page_after ||
      st.rt->control->stopping)
    return;
  if (st.claiming) {
    st.claim_again = true;
    return;
  }
  const auto limit = st.rt->options.dispatcher.backlog_limit;
  if (in_flight_total(self) * 2 > limit) return;  // the periodic pick-up comes back
  auto store = find<store_api>(self->system());
  if (!store) return;
  st.claiming = true;
  st.claim_again = false;
  const auto room = limit - in_flight_total(self);
  self->request(store, std::chrono::seconds(30), atoms::claim_chats::value, st.rt->instance_id,
                static_cast<std::int64_t>(st.rt->options.instances.lease_s), std::uint64_t{room})
      .then(
          [=](std::vector<store::inbox_row>& rows) {
            auto& st = self->state;
            st.claiming = false;
            auto now = steady_ms();
            std::set<std::int64_t> chats_taken;
            for (auto& row : rows) {
              if (!row.chat_id) continue;
              if (row.taken_over) {
                spdlog::info("[dispatcher] chat={} update={} taken over from another instance",
                             *row.chat_id, row.update_id);
                chats_taken.insert(*row.chat_id);
              }
              if (row.attempts > 0) st.crashes[row.update_id] = row.attempts;
              hold_or_accept(self, msg::update{row.update_id, *row.chat_id, std::move(row.json),
                                               row.taken_over, now});
            }
            // Chats whose rows a dead (or stopped) instance left: its leases taken over.
            if (!chats_taken.empty())
              st.rt->metrics->add("nocturna_lease_takeovers_total", "",
                                  static_cast<double>(chats_taken.size()));
            if (st.claim_again || rows.size() >= room) claim_round(self);
          },
          [=](caf::error& e) {
            self->state.claiming = false;
            spdlog::error("[dispatcher] pick-up of this instance's chats failed: {}",
                          store_failure_reason(self->system(), e));
          });
}

void notify_drained(self_ptr self) {
  if (self->state.drain_waiters.empty() || in_flight_total(self) != 0) return;
  for (auto& rp : self->state.drain_waiters) rp.deliver(caf::ok_atom::value);
  self->state.drain_waiters.clear();
}

// A session ended (actors/session.cpp spawn_session). One that was stopped (evicted, or replaced
// by a moved chat's session) has no entry left, or a newer session has the chat: nothing to do.
// A session that crashed after its group moved to a new id is under that id.
void on_session_ended(self_ptr self, std::int64_t chat_id, caf::actor_id session,
                      const caf::error& reason) {
  auto& st = self->state;
  auto is_it = [session](const auto& chat) { return chat.second.session.id() == session; };
  auto entry_it = st.chats.find(chat_id);
  if (entry_it == st.chats.end() || !is_it(*entry_it)) {
    // A stopped session ends so; only a crash needs the walk over every chat.
    if (!reason || reason == caf::make_error(caf::exit_reason::user_shutdown)) return;
    entry_it = std::find_if(st.chats.begin(), st.chats.end(), is_it);
    if (entry_it == st.chats.end()) return;
    chat_id = entry_it->first;
  }
  routed_updates pending;
  if (auto queued = st.in_flight.find(chat_id); queued != st.in_flight.end()) {
    pending = std::move(queued->second);
    st.in_flight.erase(queued);
  }
  st.routed -= pending.size();
  st.chats.erase(entry_it);
  report_sessions(self);
  if (pending.empty()) return;
  auto why = describe_exit(reason);
  auto culprit = pending.front().update_id;
  int crashes = ++st.crashes[culprit];
  // Counted in the inbox too, so a restart does not forget it (the poison guard).
  if (auto store = find<store_api>(self->system()))
    caf::anon_send(store, atoms::attempt::value, culprit);  // the count comes back to nobody
  spdlog::error("[dispatcher] chat={} update={} session crashed ({}), crash {} of {}", chat_id,
                culprit, why, crashes, max_crashes_per_update);
  if (crashes >= max_crashes_per_update) {
    if (auto store = find<store_api>(self->system()))
      self->send(store, atoms::dead::value, culprit, "crashed its session: " + why);
    spdlog::error("[dispatcher] chat={} update={} marked dead", chat_id, culprit);
    remember_finished(self, culprit);
    pending.pop_front();
  }
  // The chat's remaining updates run again, in order, in a fresh session.
  for (auto& u : pending) {
    u.rerun = true;
    route(self, std::move(u));
  }
  report_in_flight(self);
  notify_drained(self);
}

// A group that became a supergroup: its session (and the updates queued in it) now serves the
// new id. An idle session the supergroup has already is stopped; a busy one keeps the new id (the
// old session then finishes its updates and is evicted when idle).
void move_session(self_ptr self, std::int64_t from, std::int64_t to) {
  auto& st = self->state;
  auto it = st.chats.find(from);
  if (it == st.chats.end()) {
    spdlog::debug("[dispatcher] chat={} moved to {}: no session here", from, to);
    return;
  }
  if (auto there = st.chats.find(to); there != st.chats.end()) {
    if (st.in_flight.count(to)) {
      spdlog::info("[dispatcher] chat={} moved to {}: the new chat's session is busy, both run",
                   from, to);
      return;
    }
    stop_idle_session(there->second.session);
    st.chats.erase(there);
    it = st.chats.find(from);
  }
  auto entry = std::move(it->second);
  st.chats.erase(it);
  if (auto queued = st.in_flight.find(from); queued != st.in_flight.end()) {
    auto updates = std::move(queued->second);
    st.in_flight.erase(queued);
    for (auto& u : updates) u.chat_id = to;
    st.in_flight.emplace(to, std::move(updates));
  }
  caf::anon_send(entry.session, atoms::chat_moved::value, from, to);
  st.chats.emplace(to, std::move(entry));
  spdlog::info("[dispatcher] chat={} session moved to chat {}", from, to);
}

void sweep(self_ptr self) {
  auto& st = self->state;
  auto idle_ms = static_cast<std::int64_t>(
      std::chrono::milliseconds(st.rt->options.dispatcher.session_idle).count());
  auto now = steady_ms();
  std::size_t evicted = 0;
  for (auto it = st.chats.begin(); it != st.chats.end();) {
    auto& e = it->second;
    if (!st.in_flight.count(it->first) && now - e.last_active_ms >= idle_ms) {
      stop_idle_session(e.session);
      if (st.rt->options.instances.shared)
        if (auto store = find<store_api>(self->system()))
          caf::anon_send(store, atoms::release_chat::value, it->first, st.rt->instance_id);
      it = st.chats.erase(it);
      ++evicted;
    } else {
      ++it;
    }
  }
  bot::shrink_if_sparse(st.chats);
  bot::shrink_if_sparse(st.in_flight);
  bot::shrink_if_sparse(st.running);
  report_sessions(self);
  // The call ledger's answers are in the store's sent-log long before this.
  auto forgotten = st.rt->ledger->forget_before(now - ledger_keep_ms);
  if (evicted > 0)
    spdlog::info("[dispatcher] {} idle sessions evicted, {} left", evicted, st.chats.size());
  // Memory freed later than evictions and the ledger's forgetting (the sender dropping idle
  // chats' limits, request timers running out) is handed back too: a trim at most every 30 s
  // while nothing is in flight. Freed pages left in the arenas would stay resident for good.
  const bool idle_trim = in_flight_total(self) == 0 && now - st.last_trim_ms >= max_sweep_period_ms;
  if (evicted > 0 || forgotten > 0 || idle_trim) {
    // After a burst the freed sessions' and answers' memory sits in malloc's arenas; it is
    // handed back to the system once the sessions have stopped, which they do on their own
    // threads after this.
    st.last_trim_ms = now;
    self->delayed_send(self, trim_delay, atoms::trim::value);
  }
  // At least every 30 s whatever SESSION_IDLE_S is: the call ledger's answers (~1 KB per update)
  // are then gone a minute or so after a burst, not up to half the idle time later.
  auto period =
      std::chrono::milliseconds(std::clamp<std::int64_t>(idle_ms / 2, 1000, max_sweep_period_ms));
  self->delayed_send(self, period, atoms::sweep::value);
}

}  // namespace

dispatcher_api::behavior_type dispatcher(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "dispatcher");
  report_crashes(self, rt, "dispatcher");
  auto& st = self->state;
  st.rt = std::move(rt);
  st.generation = ++st.rt->tree->dispatcher_generation;
  st.takeover_since_ms = steady_ms();
  report_in_flight(self);  // nothing yet: the dead predecessor's count does not stop the intake
  declare_crash_metric(*st.rt, "session");
  self->send(self, atoms::sweep::value);
  // The heap's figures from the start, to compare the later ones with.
  self->delayed_send(self, trim_delay, atoms::trim::value);
  self->send(self, atoms::identity::value, 0);
  self->send(self, atoms::takeover::value);
  return {
      [=](atoms::identity, int failures) {
        if (!self->state.username) ask_identity(self, failures);
      },
      [=](atoms::identity, std::string& username) {
        self->state.username = std::make_shared<const std::string>(std::move(username));
        release_held_when_ready(self);
      },
      [=](atoms::takeover) {
        // Also the retry of a page whose read failed.
        if (!self->state.taken_over)
          take_over(self);
        else
          read_next_page_if_room(self);
      },
      [=](msg::update& u) { hold_or_accept(self, std::move(u)); },
      [=](atoms::done, std::int64_t chat_id, std::int64_t update_id) {
        auto& st = self->state;
        if (auto queued = st.in_flight.find(chat_id); queued != st.in_flight.end()) {
          auto& q = queued->second;
          for (auto u = q.begin(); u != q.end(); ++u) {
            if (u->update_id == update_id) {
              q.erase(u);
              --st.routed;
              break;
            }
          }
          if (q.empty()) st.in_flight.erase(queued);
        }
        if (auto it = st.chats.find(chat_id); it != st.chats.end())
          it->second.last_active_ms = steady_ms();
        remember_finished(self, update_id);
        report_in_flight(self);
        read_next_page_if_room(self);
        notify_drained(self);
      },
      [=](atoms::chat_moved, std::int64_t from, std::int64_t to) { move_session(self, from, to); },
      [=](atoms::ended, std::int64_t chat_id, caf::actor_id session, caf::error& reason) {
        on_session_ended(self, chat_id, session, reason);
      },
      [=](atoms::claim) { claim_round(self); },
      [=](atoms::claim, atoms::tick) {
        claim_round(self);
        self->delayed_send(self, pick_up_interval, atoms::claim::value, atoms::tick::value);
      },
      [=](atoms::sweep) { sweep(self); },
      [=](atoms::trim) {
        // Walking a fragmented heap of hundreds of MiB takes milliseconds: not on the scheduler.
        self->spawn<caf::detached>([rt = self->state.rt] { trim_heap(*rt); });
      },
      [=](atoms::drain) -> caf::result<caf::ok_atom> {
        auto rp = self->make_response_promise();
        self->state.drain_waiters.push_back(rp);
        notify_drained(self);
        return rp;
      },
      // Fault injection into one chat's session: false when the chat has none.
      [=](crash_atom, std::int64_t chat_id) {
        auto it = self->state.chats.find(chat_id);
        if (it == self->state.chats.end() || !it->second.session) return false;
        caf::anon_send(it->second.session, crash_atom::value);
        return true;
      },
      crash_handler("dispatcher"),
  };
}

caf::actor spawn_dispatcher(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(dispatcher, rt));
}

}  // namespace nocturna::actors
