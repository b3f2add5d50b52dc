// The sender's queue (actors/sender.cpp keeps only promises, workers and metrics): per-chat FIFOs
// with at most one call in flight per chat, a ready ring of chats per lane so the next call is
// found without walking every chat, the interactive lane before the broadcast lane, and Telegram's
// flood limits. Pure: time is a parameter, so it is tested without clocks or actors.
//
// The limits hold at the server, whatever the network delay: a request reaches the server some
// time between its dispatch and its answer, so a call counts in a limit from its dispatch until
// its answer and then as if it had arrived at the moment of its answer (see send_window).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "protocol/messages.hpp"
#include "protocol/rate_limit.hpp"

namespace nocturna::bot {

struct send_limits {
  bool enabled = true;                   // TELEGRAM_RATE_LIMITS
  int overall_per_second = 30;           // messages reaching the server in any 1 s, all chats
  int broadcast_per_second = 20;         // broadcast messages dispatched in any 1 s
  int chat_burst = 3;                    // per chat: a burst of 3, then one per chat_interval
  clock_ms chat_interval{1000};          //
  int group_per_window = 20;             // per group: at most 20 in any group_window
  clock_ms group_window{60'000};         //
  std::size_t chat_queue_limit = 50;     // calls waiting in one chat's FIFO
  std::size_t broadcast_limit = 10'000;  // broadcast calls waiting, all chats
  std::size_t queue_limit = 100'000;     // calls waiting, all chats and lanes
};

// What the queue knows of one call; the call itself stays with the caller, found by `id`.
struct send_item {
  std::uint64_t id = 0;
  std::int64_t chat_id = 0;
  msg::send_lane lane = msg::send_lane::interactive;
  bool in_chat_fifo = true;  // false: answerCallbackQuery, calls without a chat
  bool is_message = true;    // under the flood limits: sendMessage, sendPhoto, editMessage*
};

// The item for `call`, from the method's policy (protocol/send_policy.hpp).
send_item make_send_item(std::uint64_t id, const msg::bot_call& call);

enum class admission { queued, chat_full, broadcast_full, queue_full };
const char* admission_name(admission a);

// At most `limit` calls within any `span`. A call counts from sent() until answered(now), then
// until now + span (+1 ms: the clock is whole milliseconds, the answer may have come up to 1 ms
// later). With `until_answered` false a call counts only from its dispatch, for limits of our own.
class send_window {
 public:
  send_window(int limit, clock_ms span, bool until_answered)
      : limit_(limit), span_(span), until_answered_(until_answered) {}
  bool open(clock_ms now);
  // When the window opens again; nullopt when only an answer can open it (all slots in flight).
  std::optional<clock_ms> opens_at(clock_ms now);
  void sent(clock_ms now);
  void answered(clock_ms now);
  // Still counts anything at `now` (else it can be forgotten).
  bool active(clock_ms now);
  // Counts the calls of `other` too (two chats that became one).
  void merge(const send_window& other);
  // A new limit; the calls counted so far keep counting.
  void set_limit(int limit) { limit_ = limit; }

 private:
  void expire(clock_ms now);
  int limit_;
  clock_ms span_;
  bool until_answered_;
  int in_flight_ = 0;
  std::deque<clock_ms> recent_;  // when counted calls stop counting, oldest first
};

class send_queue {
 public:
  explicit send_queue(send_limits limits = {});

  admission push(const send_item& item);

  struct next {
    std::optional<send_item> item;    // now in flight: report it with answered()
    std::optional<clock_ms> wake_at;  // when nothing may go: ask again then (nullopt: after
                                      // the next answer or push)
  };
  next pick(clock_ms now);

  // The answer of a picked call came at `now`. Its chat stays busy until one of the three below.
  void answered(const send_item& item, clock_ms now);
  // The chat's next call may go.
  void release(const send_item& item);
  // The call goes again before the chat's other calls (a rewritten call, or after a retry delay).
  void requeue_front(const send_item& item);
  // A 429: nothing goes before `until`, then this call goes first.
  void requeue_first(const send_item& item, clock_ms until);

  // The chat's waiting calls, removed (a chat that is gone). Calls in flight stay with the caller.
  std::vector<std::uint64_t> drop_chat(std::int64_t chat);
  // The chat's waiting calls and limits moved to `to` (a group that became a supergroup); the
  // caller rewrites the moved calls. Returns their ids.
  std::vector<std::uint64_t> move_chat(std::int64_t from, std::int64_t to);

  // Several instances share one bot (docs/architecture.md "Several instances"): this one may
  // use its share, 1/`instances`, of the overall and broadcast limits (at least 1 a second).
  // Per-chat and per-group limits stay whole: only the instance serving a chat sends to it.
  void share_limits(int instances);

  std::size_t queued() const { return queued_; }
  std::size_t broadcast_queued() const { return broadcast_queued_; }
  std::size_t chats_tracked() const { return chats_.size(); }
  // When the next idle chat's limits may be forgotten (at a pick then or later); nullopt when no
  // chat waits for that. An idle sender picks then, or a burst's chats stay until the next call.
  std::optional<clock_ms> next_forget() const {
    if (forget_at_.empty()) return std::nullopt;
    return forget_at_.front().first;
  }
  std::size_t in_flight() const { return in_flight_; }
  bool idle() const { return queued_ == 0 && in_flight_ == 0; }

 private:
  enum class place { none, ring, timer };
  struct chat_state {
    // A list, not a deque: libstdc++'s empty deque already holds 576 bytes, and a burst tracks a
    // chat state for every chat it touches, most with one call or none waiting.
    std::list<send_item> fifo;
    int busy = 0;  // its calls picked and not yet released
    place where = place::none;
    std::uint64_t ticket = 0;  // the valid ring or timer entry
    clock_ms tat{0};           // per-chat limit as a virtual schedule (GCRA): next call's slot
    std::optional<send_window> group;
    std::optional<clock_ms> last_answer;
  };
  struct timer_entry {
    clock_ms at;
    std::int64_t chat;
    std::uint64_t ticket;
    bool operator>(const timer_entry& o) const { return at > o.at; }
  };
  struct ring_entry {
    std::int64_t chat;
    std::uint64_t ticket;
  };

  chat_state& chat(std::int64_t id);
  clock_ms ready_at(chat_state& c, const send_item& front, clock_ms now);
  void schedule(std::int64_t id, clock_ms now);
  void promote_due(clock_ms now);
  bool overall_blocks(const send_item& item, clock_ms now, std::optional<clock_ms>& wake);
  void take(send_item& item, clock_ms now);
  void count_queued(const send_item& item, int delta);
  void prune(clock_ms now);
  void forget_if_unused(std::int64_t id);
  std::deque<ring_entry>& ring(msg::send_lane lane);

  send_limits limits_;
  int sharing_instances_ = 1;
  std::unordered_map<std::int64_t, chat_state> chats_;
  std::deque<send_item> direct_;  // calls outside any chat FIFO, in order
  std::deque<ring_entry> interactive_ring_, broadcast_ring_;
  std::priority_queue<timer_entry, std::vector<timer_entry>, std::greater<>> timers_;
  std::optional<send_item> first_;  // the call that got a 429
  clock_ms frozen_until_{0};
  send_window overall_, broadcast_;
  std::deque<std::pair<clock_ms, std::int64_t>> forget_at_;  // chats' limit state to drop
  std::uint64_t next_ticket_ = 1;
  std::size_t queued_ = 0, broadcast_queued_ = 0, in_flight_ = 0;
  clock_ms now_{0};  // the latest time seen (time never runs backwards for the queue)
};

}  // namespace nocturna::bot
