#include "actors/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <deque>
#include <map>
#include <unordered_map>

#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "actors/session.hpp"

namespace nocturna::actors {

struct chat_entry {
  caf::actor session;
  std::deque<msg::update> in_flight;
  std::int64_t last_active_ms = 0;
};

struct dispatcher_state {
  runtime_ptr rt;
  std::optional<std::string> username;
  std::vector<msg::update> held;  // before the identity is known
  std::unordered_map<std::int64_t, chat_entry> chats;
  std::map<caf::actor_addr, std::int64_t> chat_of;
  std::map<std::int64_t, int> crashes;  // update_id → sessions it took down
  std::vector<caf::response_promise> drain_waiters;
  static inline const char* name = "dispatcher";

  // Sessions end with the dispatcher (they are monitored, not linked, so that a crashing session
  // does not take the dispatcher down).
  ~dispatcher_state() {
    for (auto& [chat, e] : chats)
      if (e.session) caf::anon_send_exit(e.session, caf::exit_reason::user_shutdown);
  }
};

namespace {

using self_ptr = caf::stateful_actor<dispatcher_state>*;

constexpr int max_crashes_per_update = 2;

void report_sessions(self_ptr self) {
  auto n = static_cast<int>(self->state.chats.size());
  self->state.rt->health->set_sessions(n);
  self->state.rt->metrics->set("nocturna_sessions_alive", "", n);
}

caf::actor session_for(self_ptr self, std::int64_t chat_id) {
  auto& st = self->state;
  auto& entry = st.chats[chat_id];
  if (!entry.session) {
    entry.session = spawn_session(self, st.rt, chat_id, st.username.value_or(""));
    st.chat_of[entry.session.address()] = chat_id;
    report_sessions(self);
  }
  return entry.session;
}

void route(self_ptr self, msg::update u) {
  auto chat_id = u.chat_id;
  auto target = session_for(self, chat_id);
  auto& entry = self->state.chats[chat_id];
  entry.in_flight.push_back(u);
  entry.last_active_ms = steady_ms();
  self->send(target, std::move(u));
}

std::size_t in_flight_total(self_ptr self) {
  std::size_t n = 0;
  for (auto& [chat, e] : self->state.chats) n += e.in_flight.size();
  return n;
}

void notify_drained(self_ptr self) {
  if (self->state.drain_waiters.empty() || in_flight_total(self) != 0) return;
  for (auto& rp : self->state.drain_waiters) rp.deliver(caf::ok_atom::value);
  self->state.drain_waiters.clear();
}

void on_session_down(self_ptr self, const caf::down_msg& dm) {
  auto& st = self->state;
  auto it = st.chat_of.find(dm.source);
  if (it == st.chat_of.end()) return;
  auto chat_id = it->second;
  st.chat_of.erase(it);
  auto entry_it = st.chats.find(chat_id);
  if (entry_it == st.chats.end()) return;
  auto pending = std::move(entry_it->second.in_flight);
  st.chats.erase(entry_it);
  if (pending.empty()) return;
  auto reason = self->system().render(dm.reason);
  auto culprit = pending.front().update_id;
  int crashes = ++st.crashes[culprit];
  spdlog::error("[dispatcher] chat={} session crashed on update {} ({}), crash {} of {}", chat_id,
                culprit, reason, crashes, max_crashes_per_update);
  if (crashes >= max_crashes_per_update) {
    if (auto store = services::find(self->system(), services::store::value))
      self->send(store, atoms::dead::value, culprit, "crashed its session: " + reason);
    spdlog::error("[dispatcher] chat={} update {} marked dead", chat_id, culprit);
    st.crashes.erase(culprit);
    pending.pop_front();
  }
  // The chat's remaining updates run again, in order, in a fresh session.
  for (auto& u : pending) {
    u.rerun = true;
    route(self, std::move(u));
  }
  notify_drained(self);
}

void sweep(self_ptr self) {
  auto& st = self->state;
  auto idle_ms = static_cast<std::int64_t>(st.rt->cfg.session_idle_s) * 1000;
  auto now = steady_ms();
  for (auto it = st.chats.begin(); it != st.chats.end();) {
    auto& e = it->second;
    if (e.in_flight.empty() && now - e.last_active_ms >= idle_ms) {
      self->send(e.session, atoms::stop::value);
      st.chat_of.erase(e.session.address());
      it = st.chats.erase(it);
    } else {
      ++it;
    }
  }
  report_sessions(self);
  auto period = std::chrono::milliseconds(std::max<std::int64_t>(1000, idle_ms / 2));
  self->delayed_send(self, period, atoms::sweep::value);
}

}  // namespace

caf::behavior dispatcher(caf::stateful_actor<dispatcher_state>* self, runtime_ptr rt) {
  replace_printing_handlers(self, "dispatcher");
  self->state.rt = std::move(rt);
  self->set_down_handler([=](caf::down_msg& dm) { on_session_down(self, dm); });
  self->send(self, atoms::sweep::value);
  return {
      [=](atoms::identity, std::string& username) {
        auto& st = self->state;
        st.username = std::move(username);
        auto held = std::move(st.held);
        st.held.clear();
        for (auto& u : held) route(self, std::move(u));
      },
      [=](msg::update& u) {
        if (!self->state.username) {
          self->state.held.push_back(std::move(u));
          return;
        }
        route(self, std::move(u));
      },
      [=](atoms::done, std::int64_t chat_id, std::int64_t update_id) {
        auto& st = self->state;
        auto it = st.chats.find(chat_id);
        if (it != st.chats.end()) {
          auto& q = it->second.in_flight;
          for (auto u = q.begin(); u != q.end(); ++u) {
            if (u->update_id == update_id) {
              q.erase(u);
              break;
            }
          }
          it->second.last_active_ms = steady_ms();
        }
        st.crashes.erase(update_id);
        notify_drained(self);
      },
      [=](atoms::sweep) { sweep(self); },
      [=](atoms::drain) {
        auto rp = self->make_response_promise();
        self->state.drain_waiters.push_back(rp);
        notify_drained(self);
        return rp;
      },
  };
}

caf::actor spawn_dispatcher(caf::event_based_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::monitored>(dispatcher, rt);
}

}  // namespace nocturna::actors
