#include "actors/store_actor.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/blocking_spawn.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "actors/store_requests.hpp"
#include "clients/store/chat_moves.hpp"
#include "clients/store/store.hpp"

namespace nocturna::actors {

struct store_state {
  runtime_ptr rt;
  std::unique_ptr<store::store> db;
  bool flush_scheduled = false;
  static inline const char* name = "store";

  void flush() {
    flush_scheduled = false;
    rt->outbox->commit(*db);
  }

  // Whatever is waiting is committed before the actor goes, also when it stops or fails.
  ~store_state() {
    if (!db) return;
    try {
      flush();
    } catch (const std::exception& e) {
      spdlog::error("[store] final flush failed: {}", e.what());
    }
  }
};

namespace {

using self_ptr = store_api::stateful_pointer<store_state>;

constexpr auto group_commit_window = std::chrono::milliseconds(5);
constexpr auto housekeeping_interval = std::chrono::minutes(10);
constexpr std::int64_t inbox_retention_s = 48 * 3600;  // docs/telegram.md §3.1
constexpr std::size_t max_batch = 512;

void schedule_flush(self_ptr self) {
  auto& st = self->state;
  if (st.rt->outbox->size() >= max_batch) {
    st.flush();
  } else if (!st.flush_scheduled) {
    st.flush_scheduled = true;
    self->delayed_send(self, group_commit_window, atoms::flush::value);
  }
}

// Old inbox rows and sent-log entries, abandoned dialogues, expired questions and stale caches
// go; a failure is logged and tried again next time.
void housekeeping(self_ptr self) {
  try {
    auto now = static_cast<std::int64_t>(std::time(nullptr));
    self->state.db->purge(inbox_retention_s);
    self->state.db->purge_expired(now);
  } catch (const std::exception& e) {
    spdlog::error("[store] housekeeping failed: {}", e.what());
  }
  self->delayed_send(self, housekeeping_interval, atoms::sweep::value);
}

// The handler of request `Atom`: runs `op` against the store; an exception becomes the error the
// request is answered with (the asking actor logs it).
template <class Atom, class Answer, class... Args>
auto serve(self_ptr self, Answer (*op)(store::store&, Args...)) {
  return [=](Atom, message_type<Args>... args) -> caf::result<message_type<Answer>> {
    try {
      if constexpr (std::is_void_v<Answer>) {
        op(*self->state.db, std::move(args)...);
        return caf::unit;
      } else {
        return op(*self->state.db, std::move(args)...);
      }
    } catch (const std::exception& e) {
      return store_failure(e.what());
    }
  };
}

// Pending rows claimed for `owner` (actors/dispatcher.cpp's takeover), after the outbox's done
// marks are committed: rows finished a moment ago are not pending any more.
std::vector<store::inbox_row> claim_rows(self_ptr self, const std::string& owner,
                                         std::int64_t lease_s, std::int64_t after,
                                         std::uint64_t page) {
  return self->state.rt->outbox->after_commit(*self->state.db, [&](store::store& db) {
    auto lease_until = static_cast<std::int64_t>(std::time(nullptr)) + lease_s;
    return db.claim_pending(owner, lease_until, true, after, page);
  });
}

// The pending rows of the chats this instance holds or may take now (several instances sharing
// the inbox, actors/chat_leases.hpp), oldest first.
std::vector<store::inbox_row> claim_chat_rows(self_ptr self, const std::string& owner,
                                              std::int64_t lease_s, std::uint64_t limit) {
  const auto now = now_utc();
  return self->state.db->claim_chat_rows(owner, now, now + lease_s, limit);
}

// A page of the pending rows `owner` claimed (a restarted dispatcher's takeover), after the
// outbox's done marks are committed: rows finished a moment ago are not pending any more.
std::vector<store::inbox_row> own_rows(self_ptr self, const std::string& owner, std::int64_t after,
                                       std::uint64_t page) {
  return self->state.rt->outbox->after_commit(
      *self->state.db, [&](store::store& db) { return db.claimed_rows(owner, after, page); });
}

// serve() for the operations that need the actor's outbox too: `op(self, args...)`.
template <class Atom, class Answer, class... Args>
auto serve_here(self_ptr self, Answer (*op)(self_ptr, Args...)) {
  return [=](Atom, Args... args) -> caf::result<Answer> {
    try {
      return op(self, args...);
    } catch (const std::exception& e) {
      return store_failure(e.what());
    }
  };
}

void nudge(caf::actor_system& sys, bool was_empty) {
  if (!was_empty) return;  // a flush is already due
  if (auto store = find<store_api>(sys)) caf::anon_send(store, atoms::nudge::value);
}

}  // namespace

void queue_done(caf::actor_system& sys, const runtime& rt, std::int64_t update_id) {
  bool was_empty = false;
  if (!rt.outbox->add_done(update_id, &was_empty))
    spdlog::error("[store] update={} done mark refused: outbox full", update_id);
  nudge(sys, was_empty);
}

void queue_sent(caf::actor_system& sys, const runtime& rt, std::int64_t update_id, int seq,
                std::string result_json) {
  bool was_empty = false;
  if (!rt.outbox->add_sent({update_id, seq, std::move(result_json)}, &was_empty))
    spdlog::error("[store] update={} sent-log entry {} refused: outbox full", update_id, seq);
  nudge(sys, was_empty);
}

store_api::behavior_type store_actor(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "store_actor");
  report_crashes(self, rt, "store");
  self->state.rt = rt;
  self->state.db = store::open_store(rt->options.store);
  housekeeping(self);
  // What a dead predecessor left in the outbox.
  schedule_flush(self);
  return {
      [=](atoms::sweep) { housekeeping(self); },
      [=](atoms::nudge) { schedule_flush(self); },
      [=](atoms::flush) { self->state.flush(); },
      [=](atoms::dead, std::int64_t update_id, const std::string& reason) {
        self->state.db->mark_dead(update_id, reason);
      },
      [=](atoms::sent_log, std::int64_t update_id) {
        // Entries still waiting in the outbox, or being committed by another thread, count too.
        auto sent = self->state.rt->outbox->after_commit(
            *self->state.db, [&](store::store& db) { return db.sent_for(update_id); });
        std::vector<std::int64_t> seqs;
        std::vector<std::string> results;
        for (auto& [seq, result] : sent) {
          seqs.push_back(seq);
          results.push_back(result);
        }
        return std::make_tuple(std::move(seqs), std::move(results));
      },
      [=](atoms::attempt, std::int64_t update_id) {
        return self->state.db->add_attempt(update_id);
      },
      serve<atoms::load_profile>(self, store_requests::load_profile),
      serve<atoms::load_birth>(self, store_requests::load_birth),
      serve<atoms::load_houses>(self, store_requests::load_houses),
      serve<atoms::set_houses>(self, store_requests::set_houses),
      serve<atoms::ask_clear>(self, store_requests::ask_clear),
      serve<atoms::clear_pending>(self, store_requests::clear_pending),
      serve<atoms::drop_clear>(self, store_requests::drop_clear),
      serve<atoms::clear_user>(self, store_requests::clear_user),
      serve<atoms::subscribe>(self, store_requests::subscribe),
      serve<atoms::disable_sub>(self, store_requests::disable_sub),
      serve<atoms::set_active>(self, store_requests::set_active),
      serve<atoms::load_partners>(self, store_requests::load_partners),
      serve<atoms::load_pair>(self, store_requests::load_pair),
      serve<atoms::delete_partner>(self, store_requests::delete_partner),
      serve<atoms::save_invite>(self, store_requests::save_invite),
      serve<atoms::open_invite>(self, store_requests::open_invite),
      serve<atoms::answer_invite>(self, store_requests::answer_invite),
      serve<atoms::load_dialogue>(self, store_requests::load_dialogue),
      serve<atoms::save_dialogue>(self, store_requests::save_dialogue),
      serve<atoms::delete_dialogue>(self, store_requests::delete_dialogue),
      serve<atoms::clear_expired>(self, store_requests::clear_expired),
      serve<atoms::save_birth>(self, store_requests::save_birth),
      serve<atoms::save_partner>(self, store_requests::save_partner),
      serve<atoms::load_personal>(self, store_requests::load_personal),
      serve<atoms::cache_natal>(self, store_requests::cache_natal),
      serve<atoms::natal_picture>(self, store_requests::natal_picture),
      serve<atoms::natal_text>(self, store_requests::natal_text),
      serve<atoms::sky_picture>(self, store_requests::sky_picture),
      serve<atoms::save_sky_picture>(self, store_requests::save_sky_picture),
      serve<atoms::day_text>(self, store_requests::day_text),
      serve<atoms::save_day_text>(self, store_requests::save_day_text),
      serve<atoms::count_llm>(self, store_requests::count_llm),
      serve<atoms::due_subs>(self, store_requests::due_subs),
      serve<atoms::next_due>(self, store_requests::next_due),
      serve<atoms::claim_forecast>(self, store_requests::claim_forecast),
      serve<atoms::move_chat>(self, store::move_chat),
      serve_here<atoms::claim_rows>(self, claim_rows),
      serve_here<atoms::claim_chats>(self, claim_chat_rows),
      serve_here<atoms::own_rows>(self, own_rows),
      [=](atoms::release_chat, std::int64_t chat_id, const std::string& owner) {
        // Its done marks first: a chat whose rows all finished is really released.
        try {
          self->state.rt->outbox->after_commit(
              *self->state.db, [&](store::store& db) { db.release_chat(chat_id, owner); });
        } catch (const std::exception& e) {
          spdlog::error("[store] chat={} release failed: {}", chat_id, e.what());
        }
      },
      crash_handler("store"),
  };
}

caf::error store_failure(const std::string& what) {
  return caf::make_error(caf::sec::runtime_error, what);
}

std::string store_failure_reason(caf::actor_system& sys, const caf::error& e) {
  if (e.category() == caf::atom("system") &&
      e.code() == static_cast<std::uint8_t>(caf::sec::runtime_error) &&
      e.context().match_elements<std::string>())
    return e.context().get_as<std::string>(0);
  return sys.render(e);
}

caf::actor spawn_store_actor(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(spawn_blocking<caf::monitored>(parent, store_actor, rt));
}

}  // namespace nocturna::actors
