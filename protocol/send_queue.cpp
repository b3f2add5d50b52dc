#include "protocol/send_queue.hpp"

#include <algorithm>
#include <iterator>

#include "protocol/send_policy.hpp"
#include "protocol/sparse_map.hpp"

namespace nocturna::bot {

send_item make_send_item(std::uint64_t id, const msg::bot_call& call) {
  send_item item;
  item.id = id;
  item.chat_id = call.chat_id;
  item.lane = call.lane;
  item.in_chat_fifo = call.chat_id != 0 && !skips_chat_fifo(call.method);
  item.is_message = call.chat_id != 0 && counts_per_chat(call.method);
  return item;
}

const char* admission_name(admission a) {
  switch (a) {
    case admission::queued:
      return "queued";
    case admission::chat_full:
      return "chat_full";
    case admission::broadcast_full:
      return "broadcast_full";
    case admission::queue_full:
      return "queue_full";
  }
  return "unknown";
}

// ---- send_window

void send_window::expire(clock_ms now) {
  while (!recent_.empty() && recent_.front() <= now) recent_.pop_front();
}

bool send_window::open(clock_ms now) {
  expire(now);
  return in_flight_ + static_cast<int>(recent_.size()) < limit_;
}

std::optional<clock_ms> send_window::opens_at(clock_ms now) {
  if (open(now)) return now;
  // This many counted calls must stop counting before one more fits.
  const auto excess = in_flight_ + static_cast<std::ptrdiff_t>(recent_.size()) - limit_ + 1;
  if (excess > static_cast<std::ptrdiff_t>(recent_.size())) return std::nullopt;
  return recent_[static_cast<std::size_t>(excess - 1)];
}

void send_window::sent(clock_ms now) {
  if (until_answered_)
    ++in_flight_;
  else
    recent_.push_back(now + span_);
}

void send_window::answered(clock_ms now) {
  if (!until_answered_) return;
  if (in_flight_ > 0) --in_flight_;
  auto until = now + clock_ms{1} + span_;
  // Answers of one window come in time order; keep the deque sorted all the same.
  if (!recent_.empty() && recent_.back() > until) until = recent_.back();
  recent_.push_back(until);
}

bool send_window::active(clock_ms now) {
  expire(now);
  return in_flight_ > 0 || !recent_.empty();
}

void send_window::merge(const send_window& other) {
  in_flight_ += other.in_flight_;
  std::deque<clock_ms> all;
  std::merge(recent_.begin(), recent_.end(), other.recent_.begin(), other.recent_.end(),
             std::back_inserter(all));
  recent_ = std::move(all);
}

// ---- send_queue

send_queue::send_queue(send_limits limits)
    : limits_(limits),
      overall_(limits.overall_per_second, clock_ms{1000}, true),
      broadcast_(limits.broadcast_per_second, clock_ms{1000}, false) {}

void send_queue::share_limits(int instances) {
  instances = std::max(1, instances);
  if (instances == sharing_instances_) return;
  sharing_instances_ = instances;
  overall_.set_limit(std::max(1, limits_.overall_per_second / instances));
  broadcast_.set_limit(std::max(1, limits_.broadcast_per_second / instances));
}

std::deque<send_queue::ring_entry>& send_queue::ring(msg::send_lane lane) {
  return lane == msg::send_lane::broadcast ? broadcast_ring_ : interactive_ring_;
}

send_queue::chat_state& send_queue::chat(std::int64_t id) {
  auto [it, fresh] = chats_.try_emplace(id);
  if (fresh && id < 0 && limits_.enabled)
    it->second.group.emplace(limits_.group_per_window, limits_.group_window, true);
  return it->second;
}

void send_queue::count_queued(const send_item& item, int delta) {
  queued_ += delta;
  if (item.lane == msg::send_lane::broadcast) broadcast_queued_ += delta;
}

admission send_queue::push(const send_item& item) {
  if (queued_ >= limits_.queue_limit) return admission::queue_full;
  if (item.lane == msg::send_lane::broadcast && broadcast_queued_ >= limits_.broadcast_limit)
    return admission::broadcast_full;
  if (!item.in_chat_fifo) {
    direct_.push_back(item);
    count_queued(item, +1);
    return admission::queued;
  }
  auto& c = chat(item.chat_id);
  if (c.fifo.size() >= limits_.chat_queue_limit) return admission::chat_full;
  c.fifo.push_back(item);
  count_queued(item, +1);
  schedule(item.chat_id, now_);
  return admission::queued;
}

// When the chat's front call may go by the chat's own limits: per chat a burst of `chat_burst`,
// then one per `chat_interval` (a token bucket written as a virtual schedule, GCRA), and per group
// `group_per_window` in any `group_window`.
clock_ms send_queue::ready_at(chat_state& c, const send_item& front, clock_ms now) {
  if (!limits_.enabled || !front.is_message) return now;
  auto at = std::max(now, c.tat - limits_.chat_interval * (limits_.chat_burst - 1));
  if (c.group) {
    // A group with its own call in flight (only after two chats merged) waits a whole window.
    auto opens = c.group->opens_at(now).value_or(now + limits_.group_window);
    at = std::max(at, opens);
  }
  return at;
}

void send_queue::schedule(std::int64_t id, clock_ms now) {
  auto it = chats_.find(id);
  if (it == chats_.end()) return;
  auto& c = it->second;
  if (c.busy > 0 || c.fifo.empty() || c.where != place::none) return;
  if (first_ && first_->in_chat_fifo && first_->chat_id == id) return;
  c.ticket = next_ticket_++;
  auto at = ready_at(c, c.fifo.front(), now);
  if (at <= now) {
    c.where = place::ring;
    ring(c.fifo.front().lane).push_back({id, c.ticket});
  } else {
    c.where = place::timer;
    timers_.push({at, id, c.ticket});
  }
}

void send_queue::promote_due(clock_ms now) {
  while (!timers_.empty() && timers_.top().at <= now) {
    auto e = timers_.top();
    timers_.pop();
    auto it = chats_.find(e.chat);
    if (it == chats_.end() || it->second.where != place::timer || it->second.ticket != e.ticket)
      continue;  // superseded
    auto& c = it->second;
    c.where = place::ring;
    c.ticket = next_ticket_++;
    ring(c.fifo.front().lane).push_back({e.chat, c.ticket});
  }
}

bool send_queue::overall_blocks(const send_item& item, clock_ms now,
                                std::optional<clock_ms>& wake) {
  if (!limits_.enabled || !item.is_message || overall_.open(now)) return false;
  auto at = overall_.opens_at(now);
  if (at && (!wake || *at < *wake)) wake = at;
  return true;
}

void send_queue::take(send_item& item, clock_ms now) {
  ++in_flight_;
  if (!limits_.enabled || !item.is_message) return;
  overall_.sent(now);
  if (item.lane == msg::send_lane::broadcast) broadcast_.sent(now);
  if (item.in_chat_fifo) {
    auto& c = chat(item.chat_id);
    if (c.group) c.group->sent(now);
  }
}

send_queue::next send_queue::pick(clock_ms now) {
  now = std::max(now, now_);
  now_ = now;
  prune(now);
  if (now < frozen_until_) return {std::nullopt, frozen_until_};
  promote_due(now);
  std::optional<clock_ms> wake;
  if (first_) {
    // Nothing overtakes the call that got a 429: Telegram answers the next one alike otherwise.
    auto item = *first_;
    auto at = item.in_chat_fifo ? ready_at(chat(item.chat_id), item, now) : now;
    if (at > now) return {std::nullopt, at};
    if (overall_blocks(item, now, wake)) return {std::nullopt, wake};
    first_.reset();
    count_queued(item, -1);
    take(item, now);
    return {item, std::nullopt};
  }
  if (!direct_.empty() && !overall_blocks(direct_.front(), now, wake)) {
    auto item = direct_.front();
    direct_.pop_front();
    count_queued(item, -1);
    take(item, now);
    return {item, std::nullopt};
  }
  for (auto lane : {msg::send_lane::interactive, msg::send_lane::broadcast}) {
    auto& r = ring(lane);
    while (!r.empty()) {
      auto e = r.front();
      auto it = chats_.find(e.chat);
      if (it == chats_.end() || it->second.where != place::ring || it->second.ticket != e.ticket) {
        r.pop_front();  // superseded
        continue;
      }
      auto& c = it->second;
      auto item = c.fifo.front();
      if (limits_.enabled && item.is_message && lane == msg::send_lane::broadcast &&
          !broadcast_.open(now)) {
        auto at = broadcast_.opens_at(now);
        if (at && (!wake || *at < *wake)) wake = at;
        break;
      }
      if (overall_blocks(item, now, wake)) break;
      r.pop_front();
      c.where = place::none;
      c.fifo.pop_front();
      ++c.busy;
      count_queued(item, -1);
      take(item, now);
      return {item, std::nullopt};
    }
  }
  if (!timers_.empty() && (!wake || timers_.top().at < *wake)) wake = timers_.top().at;
  return {std::nullopt, wake};
}

void send_queue::answered(const send_item& item, clock_ms now) {
  now = std::max(now, now_);
  now_ = now;
  if (in_flight_ > 0) --in_flight_;
  if (!item.in_chat_fifo) {
    if (limits_.enabled && item.is_message) overall_.answered(now);
    return;
  }
  auto& c = chat(item.chat_id);
  c.last_answer = now;
  if (limits_.enabled && item.is_message) {
    overall_.answered(now);
    c.tat = std::max(c.tat, now + clock_ms{1}) + limits_.chat_interval;
    if (c.group) c.group->answered(now);
  }
  auto keep =
      limits_.enabled
          ? std::max(limits_.chat_interval * limits_.chat_burst, limits_.group_window) + clock_ms{2}
          : clock_ms{0};
  forget_at_.emplace_back(now + keep, item.chat_id);
}

void send_queue::release(const send_item& item) {
  if (!item.in_chat_fifo) return;
  auto it = chats_.find(item.chat_id);
  if (it == chats_.end()) return;
  if (it->second.busy > 0) --it->second.busy;
  schedule(item.chat_id, now_);
}

void send_queue::requeue_front(const send_item& item) {
  count_queued(item, +1);
  if (!item.in_chat_fifo) {
    direct_.push_front(item);
    return;
  }
  auto& c = chat(item.chat_id);
  c.fifo.push_front(item);
  if (c.busy > 0) --c.busy;
  c.where = place::none;  // its front changed: any ring or timer entry is superseded
  schedule(item.chat_id, now_);
}

void send_queue::requeue_first(const send_item& item, clock_ms until) {
  if (first_) {
    // Two calls hit the limit at once: the earlier one keeps its turn in its chat.
    auto earlier = *first_;
    first_.reset();
    count_queued(earlier, -1);
    requeue_front(earlier);
  }
  frozen_until_ = std::max(frozen_until_, until);
  first_ = item;
  count_queued(item, +1);
  if (item.in_chat_fifo) {
    // The chat stays busy until its call goes, so none of its others overtakes it.
    auto& c = chat(item.chat_id);
    c.where = place::none;
  }
}

std::vector<std::uint64_t> send_queue::drop_chat(std::int64_t id) {
  std::vector<std::uint64_t> dropped;
  if (first_ && first_->in_chat_fifo && first_->chat_id == id) {
    dropped.push_back(first_->id);
    count_queued(*first_, -1);
    first_.reset();
    if (auto it = chats_.find(id); it != chats_.end() && it->second.busy > 0) --it->second.busy;
  }
  auto it = chats_.find(id);
  if (it == chats_.end()) return dropped;
  auto& c = it->second;
  for (const auto& item : c.fifo) {
    dropped.push_back(item.id);
    count_queued(item, -1);
  }
  c.fifo.clear();
  c.where = place::none;
  forget_if_unused(id);
  return dropped;
}

std::vector<std::uint64_t> send_queue::move_chat(std::int64_t from, std::int64_t to) {
  std::vector<std::uint64_t> moved;
  if (first_ && first_->chat_id == from) {
    first_->chat_id = to;
    moved.push_back(first_->id);
  }
  auto it = chats_.find(from);
  if (from == to || it == chats_.end()) return moved;
  auto source = std::move(it->second);
  chats_.erase(it);
  for (auto& item : source.fifo) {
    item.chat_id = to;
    moved.push_back(item.id);
  }
  auto& target = chat(to);
  // The moved calls are older than any the new id has: they go first.
  target.fifo.insert(target.fifo.begin(), source.fifo.begin(), source.fifo.end());
  target.busy += source.busy;
  target.tat = std::max(target.tat, source.tat);
  target.last_answer = std::max(target.last_answer, source.last_answer);
  if (source.group) {
    if (target.group)
      target.group->merge(*source.group);
    else
      target.group = std::move(source.group);
  }
  target.where = place::none;
  schedule(to, now_);
  return moved;
}

void send_queue::forget_if_unused(std::int64_t id) {
  auto it = chats_.find(id);
  if (it == chats_.end()) return;
  auto& c = it->second;
  if (!c.fifo.empty() || c.busy > 0 || c.where != place::none) return;
  if (first_ && first_->in_chat_fifo && first_->chat_id == id) return;
  if (c.tat > now_ || (c.group && c.group->active(now_))) return;
  chats_.erase(it);
}

void send_queue::prune(clock_ms now) {
  bool forgot = false;
  while (!forget_at_.empty() && forget_at_.front().first <= now) {
    auto id = forget_at_.front().second;
    forget_at_.pop_front();
    forget_if_unused(id);
    forgot = true;
  }
  if (!forgot) return;
  // After a burst over many chats: give back the bucket array and the timer heap's vector.
  shrink_if_sparse(chats_);
  if (timers_.empty()) timers_ = {};
}

}  // namespace nocturna::bot
