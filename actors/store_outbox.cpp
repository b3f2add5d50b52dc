#include "actors/store_outbox.hpp"

namespace nocturna::actors {

bool store_outbox::admit(bool* was_empty) {
  if (was_empty) *was_empty = waiting_.empty();
  return waiting_.done.size() + waiting_.sent.size() < limit_;
}

bool store_outbox::add_done(std::int64_t update_id, bool* was_empty) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (!admit(was_empty)) return false;
  waiting_.done.push_back(update_id);
  return true;
}

bool store_outbox::add_sent(store::store::sent_entry entry, bool* was_empty) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (!admit(was_empty)) return false;
  waiting_.sent.push_back(std::move(entry));
  return true;
}

store_outbox::batch store_outbox::take() {
  std::lock_guard<std::mutex> guard(mutex_);
  batch out = std::move(waiting_);
  waiting_ = {};
  return out;
}

void store_outbox::restore(batch b) {
  std::lock_guard<std::mutex> guard(mutex_);
  b.done.insert(b.done.end(), waiting_.done.begin(), waiting_.done.end());
  b.sent.insert(b.sent.end(), waiting_.sent.begin(), waiting_.sent.end());
  waiting_ = std::move(b);
}

void store_outbox::commit(store::store& db) {
  std::lock_guard<std::mutex> guard(commit_mutex_);
  commit_locked(db);
}

void store_outbox::commit_locked(store::store& db) {
  auto waiting = take();
  if (waiting.empty()) return;
  try {
    db.record_sent(waiting.sent);
    db.mark_done(waiting.done);
  } catch (...) {
    restore(std::move(waiting));
    throw;
  }
}

std::size_t store_outbox::size() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return waiting_.done.size() + waiting_.sent.size();
}

}  // namespace nocturna::actors
