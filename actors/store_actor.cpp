#include "actors/store_actor.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/blocking_spawn.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
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
      [=](atoms::job, msg::store_job& job) {
        try {
          if (job.flush_first) {
            self->state.rt->outbox->after_commit(*self->state.db, job.run);
          } else {
            job.run(*self->state.db);
          }
          return true;
        } catch (const std::exception& e) {
          spdlog::error("[store] {} failed: {}", job.what, e.what());
          return false;
        }
      },
      crash_handler("store"),
  };
}

caf::actor spawn_store_actor(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(spawn_blocking<caf::monitored>(parent, store_actor, rt));
}

}  // namespace nocturna::actors
