#include "actors/store_actor.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "clients/store/store.hpp"

namespace nocturna::actors {

struct store_state {
  std::unique_ptr<store::store> db;
  std::vector<std::int64_t> done;
  std::vector<store::store::sent_entry> sent;
  bool flush_scheduled = false;
  static inline const char* name = "store";

  void flush() {
    flush_scheduled = false;
    // The sent-log first: a row marked done must never lose the record of what it sent.
    if (!sent.empty()) {
      db->record_sent(sent);
      sent.clear();
    }
    if (!done.empty()) {
      db->mark_done(done);
      done.clear();
    }
  }

  // Whatever is buffered is committed before the actor goes, also when it stops or fails.
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

constexpr auto group_commit_window = std::chrono::milliseconds(5);
constexpr auto housekeeping_interval = std::chrono::minutes(10);
constexpr std::int64_t inbox_retention_s = 48 * 3600;  // telegram.md §3.1
constexpr std::size_t max_batch = 512;

void schedule_flush(caf::stateful_actor<store_state>* self) {
  auto& st = self->state;
  if (st.done.size() + st.sent.size() >= max_batch) {
    st.flush();
  } else if (!st.flush_scheduled) {
    st.flush_scheduled = true;
    self->delayed_send(self, group_commit_window, atoms::flush::value);
  }
}

// Old inbox rows and sent-log entries, abandoned dialogues, expired questions and stale caches
// go; a failure is logged and tried again next time.
void housekeeping(caf::stateful_actor<store_state>* self) {
  try {
    auto now = static_cast<std::int64_t>(std::time(nullptr));
    self->state.db->purge(inbox_retention_s);
    self->state.db->purge_expired(now);
  } catch (const std::exception& e) {
    spdlog::error("[store] housekeeping failed: {}", e.what());
  }
  self->delayed_send(self, housekeeping_interval, atoms::sweep::value);
}

}  // namespace

caf::behavior store_actor(caf::stateful_actor<store_state>* self, runtime_ptr rt) {
  replace_printing_handlers(self, "store_actor");
  self->state.db = store::open_store({rt->cfg.data_dir, rt->cfg.database_url});
  housekeeping(self);
  return {
      [=](atoms::sweep) { housekeeping(self); },
      [=](atoms::done, std::int64_t update_id) {
        self->state.done.push_back(update_id);
        schedule_flush(self);
      },
      [=](atoms::sent, std::int64_t update_id, int seq, std::string& result) {
        self->state.sent.push_back({update_id, seq, std::move(result)});
        schedule_flush(self);
      },
      [=](atoms::flush) { self->state.flush(); },
      [=](atoms::dead, std::int64_t update_id, const std::string& reason) {
        self->state.db->mark_dead(update_id, reason);
      },
      [=](atoms::sent_log, std::int64_t update_id) {
        std::vector<std::int64_t> seqs;
        std::vector<std::string> results;
        for (auto& [seq, result] : self->state.db->sent_for(update_id)) {
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
          job.run(*self->state.db);
          return true;
        } catch (const std::exception& e) {
          spdlog::error("[store] {} failed: {}", job.what, e.what());
          return false;
        }
      },
  };
}

caf::actor spawn_store_actor(caf::event_based_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::detached + caf::monitored>(store_actor, rt);
}

}  // namespace nocturna::actors
