// protocol/send_queue: per-chat FIFOs, the ready ring, lanes, Telegram's flood limits, 429s,
// gone and migrated chats, bounded memory. Time is a parameter: no clocks, no actors.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <queue>
#include <random>
#include <set>

#include "protocol/send_queue.hpp"

using nocturna::clock_ms;
using nocturna::bot::admission;
using nocturna::bot::send_item;
using nocturna::bot::send_limits;
using nocturna::bot::send_queue;
using nocturna::msg::send_lane;

namespace {

std::uint64_t next_id = 1;

send_item message(std::int64_t chat, send_lane lane = send_lane::interactive) {
  send_item i;
  i.id = next_id++;
  i.chat_id = chat;
  i.lane = lane;
  return i;
}

send_limits no_limits() {
  send_limits l;
  l.enabled = false;
  return l;
}

// Picks one call at `now`, answers and releases it at once; its chat, or 0 when none may go.
std::int64_t send_one(send_queue& q, clock_ms now) {
  auto n = q.pick(now);
  if (!n.item) return 0;
  q.answered(*n.item, now);
  q.release(*n.item);
  return n.item->chat_id;
}

// Sends everything that may go at `now`, each answered at once; returns the chats in order.
std::vector<std::int64_t> send_all(send_queue& q, clock_ms now) {
  std::vector<std::int64_t> chats;
  while (auto chat = send_one(q, now)) chats.push_back(chat);
  return chats;
}

}  // namespace

TEST_CASE("send queue: one call in flight per chat, in order") {
  send_queue q(no_limits());
  auto a = message(1), b = message(1), c = message(2);
  REQUIRE(q.push(a) == admission::queued);
  REQUIRE(q.push(b) == admission::queued);
  REQUIRE(q.push(c) == admission::queued);
  auto first = q.pick(clock_ms{0});
  REQUIRE(first.item);
  CHECK(first.item->id == a.id);
  auto second = q.pick(clock_ms{0});
  REQUIRE(second.item);
  CHECK(second.item->id == c.id);  // chat 1 is busy: its second call waits
  auto none = q.pick(clock_ms{0});
  CHECK_FALSE(none.item);
  CHECK_FALSE(none.wake_at);  // only an answer can free a chat
  q.answered(*first.item, clock_ms{5});
  CHECK_FALSE(q.pick(clock_ms{5}).item);  // answered but not released: still busy
  q.release(*first.item);
  auto third = q.pick(clock_ms{5});
  REQUIRE(third.item);
  CHECK(third.item->id == b.id);
  CHECK(q.queued() == 0);
  CHECK(q.in_flight() == 2);
}

TEST_CASE("send queue: chats take turns in the ready ring") {
  send_queue q(no_limits());
  for (int round = 0; round < 2; ++round)
    for (std::int64_t chat : {5, 6, 7}) REQUIRE(q.push(message(chat)) == admission::queued);
  CHECK(send_all(q, clock_ms{0}) == std::vector<std::int64_t>{5, 6, 7, 5, 6, 7});
  CHECK(q.idle());
}

TEST_CASE("send queue: interactive calls go before broadcast ones") {
  send_queue q(no_limits());
  REQUIRE(q.push(message(1, send_lane::broadcast)) == admission::queued);
  REQUIRE(q.push(message(2, send_lane::broadcast)) == admission::queued);
  REQUIRE(q.push(message(3)) == admission::queued);
  CHECK(send_all(q, clock_ms{0}) == std::vector<std::int64_t>{3, 1, 2});
}

TEST_CASE("send queue: calls outside chat FIFOs do not wait for the chat") {
  send_queue q;
  auto text = message(1);
  auto action = message(1);
  action.in_chat_fifo = false;
  action.is_message = false;
  REQUIRE(q.push(text) == admission::queued);
  auto busy = q.pick(clock_ms{0});
  REQUIRE(busy.item);
  REQUIRE(q.push(action) == admission::queued);
  auto n = q.pick(clock_ms{0});
  REQUIRE(n.item);
  CHECK(n.item->id == action.id);
}

TEST_CASE("send queue: a chat gets a burst of 3, then one message per second") {
  send_queue q;
  for (int i = 0; i < 6; ++i) REQUIRE(q.push(message(42)) == admission::queued);
  const clock_ms t0{100'000};
  // Each call is answered 5 ms after it went.
  auto step = [&](clock_ms at) {
    auto n = q.pick(at);
    if (n.item) {
      q.answered(*n.item, at + clock_ms{5});
      q.release(*n.item);
    }
    return n;
  };
  CHECK(step(t0).item);
  CHECK(step(t0 + clock_ms{5}).item);
  CHECK(step(t0 + clock_ms{10}).item);
  auto n = step(t0 + clock_ms{15});
  CHECK_FALSE(n.item);
  REQUIRE(n.wake_at);
  // The first answer came at t0 + 5 ms (counted as + 6: the clock is whole milliseconds): the
  // bucket of 3 is empty and refills one per second from there.
  CHECK(*n.wake_at == t0 + clock_ms{1006});
  CHECK_FALSE(step(t0 + clock_ms{1005}).item);
  CHECK(step(t0 + clock_ms{1006}).item);
  auto next = step(t0 + clock_ms{1011});
  CHECK_FALSE(next.item);
  REQUIRE(next.wake_at);
  CHECK(*next.wake_at == t0 + clock_ms{2006});
}

TEST_CASE("send queue: a group gets at most 20 messages in any 60 s, never a 21st at 3 s") {
  send_queue q;
  const std::int64_t group = -1001;
  for (int i = 0; i < 40; ++i) REQUIRE(q.push(message(group)) == admission::queued);
  std::vector<clock_ms> sent;
  for (clock_ms t{0}; t <= clock_ms{130'000}; t += clock_ms{1}) {
    for (auto chat = send_one(q, t); chat; chat = send_one(q, t)) sent.push_back(t);
  }
  REQUIRE(sent.size() == 40);
  for (std::size_t i = 20; i < sent.size(); ++i)
    CHECK(sent[i] - sent[i - 20] > clock_ms{60'000});  // no 21 within one 60 s window
  // The burst and then one per second: the 20th goes at 17 s; the 21st waits for the first's
  // minute to pass (answered at 0, counted as 1 ms), not 3 s as a refilling bucket would allow.
  CHECK(sent[19] < clock_ms{20'000});
  CHECK(sent[20] == sent[0] + clock_ms{60'001});
}

TEST_CASE("send queue: 30 messages per second overall, counted until answered") {
  send_queue q;
  for (std::int64_t chat = 1; chat <= 40; ++chat)
    REQUIRE(q.push(message(chat)) == admission::queued);
  const clock_ms t0{0};
  std::vector<send_item> out;
  while (auto n = q.pick(t0).item) out.push_back(*n);
  CHECK(out.size() == 30);
  auto blocked = q.pick(t0);
  CHECK_FALSE(blocked.item);
  CHECK_FALSE(blocked.wake_at);  // all 30 in flight: only an answer opens the window
  q.answered(out[0], clock_ms{200});
  q.release(out[0]);
  blocked = q.pick(clock_ms{200});
  CHECK_FALSE(blocked.item);
  REQUIRE(blocked.wake_at);
  CHECK(*blocked.wake_at == clock_ms{1201});
  CHECK(q.pick(clock_ms{1201}).item);
}

TEST_CASE("send queue: three instances sharing the bot take 10 a second each, 6 broadcast") {
  send_queue q;
  q.share_limits(3);
  for (std::int64_t chat = 1; chat <= 40; ++chat)
    REQUIRE(q.push(message(chat, chat <= 20 ? send_lane::broadcast : send_lane::interactive)) ==
            admission::queued);
  auto first = send_all(q, clock_ms{0});
  CHECK(first.size() == 10);
  // Interactive calls go first; once the interactive lane is empty only 6 broadcasts a second.
  CHECK(send_all(q, clock_ms{1001}).size() == 10);
  CHECK(send_all(q, clock_ms{2002}).size() == 6);
  // One instance left: the whole limits again.
  q.share_limits(1);
  CHECK(send_all(q, clock_ms{3003}).size() == 14);
}

TEST_CASE("send queue: the broadcast lane takes at most 20 per second") {
  send_queue q;
  for (std::int64_t chat = 1; chat <= 45; ++chat)
    REQUIRE(q.push(message(chat, send_lane::broadcast)) == admission::queued);
  CHECK(send_all(q, clock_ms{0}).size() == 20);
  auto n = q.pick(clock_ms{10});
  REQUIRE(n.wake_at);
  CHECK(*n.wake_at == clock_ms{1000});
  CHECK(send_all(q, clock_ms{999}).empty());
  CHECK(send_all(q, clock_ms{1001}).size() == 20);
  // Interactive replies still have the rest of the overall 30.
  REQUIRE(q.push(message(100)) == admission::queued);
  CHECK(send_all(q, clock_ms{1002}) == std::vector<std::int64_t>{100});
}

TEST_CASE("send queue: after a 429 nothing goes until retry_after, then the same call first") {
  send_queue q;
  auto a = message(1);
  REQUIRE(q.push(a) == admission::queued);
  auto n = q.pick(clock_ms{0});
  REQUIRE(n.item);
  for (std::int64_t chat = 2; chat <= 5; ++chat)
    REQUIRE(q.push(message(chat)) == admission::queued);
  q.answered(*n.item, clock_ms{10});
  q.requeue_first(*n.item, clock_ms{3010});
  auto frozen = q.pick(clock_ms{1000});
  CHECK_FALSE(frozen.item);
  REQUIRE(frozen.wake_at);
  CHECK(*frozen.wake_at == clock_ms{3010});
  auto again = q.pick(clock_ms{3010});
  REQUIRE(again.item);
  CHECK(again.item->id == a.id);
  q.answered(*again.item, clock_ms{3020});
  q.release(*again.item);
  CHECK(send_all(q, clock_ms{3020}) == std::vector<std::int64_t>{2, 3, 4, 5});
}

TEST_CASE("send queue: a rewritten or retried call goes before the chat's others") {
  send_queue q(no_limits());
  auto a = message(1), b = message(1);
  REQUIRE(q.push(a) == admission::queued);
  REQUIRE(q.push(b) == admission::queued);
  auto n = q.pick(clock_ms{0});
  REQUIRE(n.item);
  q.answered(*n.item, clock_ms{1});
  q.requeue_front(*n.item);
  auto again = q.pick(clock_ms{1});
  REQUIRE(again.item);
  CHECK(again.item->id == a.id);
}

TEST_CASE("send queue: a gone chat's waiting calls are dropped") {
  send_queue q;
  auto a = message(9), b = message(9), c = message(9), other = message(10);
  for (auto& i : {a, b, c, other}) REQUIRE(q.push(i) == admission::queued);
  auto n = q.pick(clock_ms{0});
  REQUIRE(n.item);
  REQUIRE(n.item->id == a.id);
  q.answered(*n.item, clock_ms{1});
  CHECK(q.drop_chat(9) == std::vector<std::uint64_t>{b.id, c.id});
  q.release(*n.item);
  CHECK(q.queued() == 1);
  CHECK(send_all(q, clock_ms{2}) == std::vector<std::int64_t>{10});
}

TEST_CASE("send queue: a migrated group's calls and limits move to the new id") {
  send_queue q;
  const std::int64_t old_id = -5, new_id = -1005;
  std::vector<send_item> calls;
  for (int i = 0; i < 22; ++i) {
    calls.push_back(message(old_id));
    REQUIRE(q.push(calls.back()) == admission::queued);
  }
  // 19 go over 17 s; the 20th is answered "migrated".
  clock_ms t{0};
  int sent = 0;
  for (; sent < 19; t += clock_ms{1}) sent += static_cast<int>(send_all(q, t).size());
  auto n = q.pick(clock_ms{30'000});
  REQUIRE(n.item);
  q.answered(*n.item, clock_ms{30'000});
  auto moved = q.move_chat(old_id, new_id);
  CHECK(moved == std::vector<std::uint64_t>{calls[20].id, calls[21].id});
  auto resent = *n.item;
  resent.chat_id = new_id;
  q.requeue_front(resent);
  // The window moved along: 20 answers in it (the refused one counted too), so the resent call
  // waits for the first one's minute.
  auto wait = q.pick(clock_ms{30'000});
  CHECK_FALSE(wait.item);
  REQUIRE(wait.wake_at);
  CHECK(*wait.wake_at == clock_ms{60'001});
  auto again = q.pick(clock_ms{60'001});
  REQUIRE(again.item);
  CHECK(again.item->id == resent.id);
  CHECK(again.item->chat_id == new_id);
  q.answered(*again.item, clock_ms{60'001});
  q.release(*again.item);
  CHECK(send_all(q, clock_ms{60'001}) == std::vector<std::int64_t>{new_id});
  CHECK(send_all(q, clock_ms{60'002}) == std::vector<std::int64_t>{new_id});
}

TEST_CASE("send queue: bounds refuse what does not fit") {
  send_limits l;
  l.chat_queue_limit = 2;
  l.broadcast_limit = 3;
  l.queue_limit = 6;
  send_queue q(l);
  CHECK(q.push(message(1)) == admission::queued);
  CHECK(q.push(message(1)) == admission::queued);
  CHECK(q.push(message(1)) == admission::chat_full);
  for (std::int64_t chat = 2; chat <= 4; ++chat)
    CHECK(q.push(message(chat, send_lane::broadcast)) == admission::queued);
  CHECK(q.push(message(5, send_lane::broadcast)) == admission::broadcast_full);
  CHECK(q.push(message(6)) == admission::queued);
  CHECK(q.push(message(7)) == admission::queue_full);
  CHECK(q.queued() == 6);
  CHECK(q.broadcast_queued() == 3);
}

TEST_CASE("send queue: idle chats' limits are forgotten once they no longer matter") {
  send_queue q;
  clock_ms t{0};
  for (std::int64_t chat = 1; chat <= 2000; ++chat) {
    REQUIRE(q.push(message(chat % 2 ? chat : -chat)) == admission::queued);
    t += clock_ms{40};
    while (!send_all(q, t).empty()) {
    }
  }
  CHECK(q.idle());
  CHECK(q.chats_tracked() > 1000);
  // An idle sender is told when to pick again for that (actors/sender.cpp), the first chat's due.
  REQUIRE(q.next_forget());
  CHECK(*q.next_forget() > clock_ms{60'000});
  CHECK(*q.next_forget() < t + clock_ms{59'000});  // the oldest chats', due before the rest
  q.pick(t + clock_ms{59'000});
  CHECK(q.chats_tracked() > 0);  // groups' windows still count
  q.pick(t + clock_ms{60'010});
  CHECK(q.chats_tracked() == 0);
  CHECK_FALSE(q.next_forget());
  // Without limits nothing is kept after the answer.
  send_queue unlimited(no_limits());
  for (std::int64_t chat = 1; chat <= 100; ++chat)
    REQUIRE(unlimited.push(message(chat)) == admission::queued);
  send_all(unlimited, clock_ms{0});
  unlimited.pick(clock_ms{0});
  CHECK(unlimited.chats_tracked() == 0);
}

// A simulated server that checks Telegram's limits at the moment each request reaches it: a
// per-chat bucket (3, 1/s), 30/s overall (bucket), 20 in any 60 s per group. Requests reach it at
// a random moment between dispatch and answer, as over a real network.
TEST_CASE("send queue: the server never sees a limit broken, whatever the network delays") {
  std::mt19937 rng(20261206);
  send_queue q;
  struct bucket {
    double tokens, capacity, rate;
    double last = -1;
    bool take(double t) {
      if (last >= 0) tokens = std::min(capacity, tokens + (t - last) * rate);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    }
  };
  bucket overall{30, 30, 30};
  std::map<std::int64_t, bucket> chats;
  std::map<std::int64_t, std::deque<double>> groups;
  int violations = 0, answered = 0;
  std::vector<std::pair<double, std::int64_t>> arrivals;
  auto arrive = [&](std::int64_t chat, double t) {
    if (!overall.take(t)) ++violations;
    if (!chats.try_emplace(chat, bucket{3, 3, 1}).first->second.take(t)) ++violations;
    if (chat < 0) {
      auto& w = groups[chat];
      while (!w.empty() && w.front() <= t - 60.0) w.pop_front();
      if (w.size() >= 20) ++violations;
      w.push_back(t);
    }
  };
  // 300 private chats with a forecast each, 5 busy groups, 50 chats talking.
  for (std::int64_t chat = 1; chat <= 300; ++chat)
    REQUIRE(q.push(message(chat, send_lane::broadcast)) == admission::queued);
  for (std::int64_t g = -1; g >= -5; --g)
    for (int i = 0; i < 30; ++i) REQUIRE(q.push(message(g)) == admission::queued);
  for (std::int64_t chat = 1000; chat < 1050; ++chat)
    for (int i = 0; i < 6; ++i) REQUIRE(q.push(message(chat)) == admission::queued);
  const std::size_t total = q.queued();
  struct flight {
    clock_ms answer_at;
    send_item item;
    bool operator>(const flight& o) const { return answer_at > o.answer_at; }
  };
  std::priority_queue<flight, std::vector<flight>, std::greater<>> flights;
  std::uniform_int_distribution<int> latency(0, 80);
  std::uniform_real_distribution<double> share(0, 1);
  const std::size_t workers = 16;
  clock_ms now{0};
  while (!q.idle()) {
    std::optional<clock_ms> wake;
    for (;;) {
      if (flights.size() >= workers) break;
      auto n = q.pick(now);
      if (!n.item) {
        wake = n.wake_at;
        break;
      }
      auto answer_at = now + clock_ms{latency(rng)};
      // The request reaches the server somewhere in between (in seconds, sub-millisecond).
      double at = (static_cast<double>(now.count()) +
                   share(rng) * static_cast<double>((answer_at - now).count())) /
                  1000.0;
      arrivals.emplace_back(at, n.item->chat_id);
      flights.push({answer_at, *n.item});
    }
    clock_ms step = now + clock_ms{1000};
    if (wake) step = std::min(step, *wake);
    if (!flights.empty()) step = std::min(step, flights.top().answer_at);
    now = step;
    while (!flights.empty() && flights.top().answer_at <= now) {
      auto f = flights.top();
      flights.pop();
      q.answered(f.item, f.answer_at);
      q.release(f.item);
      ++answered;
    }
  }
  std::sort(arrivals.begin(), arrivals.end());
  for (auto& [t, chat] : arrivals) arrive(chat, t);
  CHECK(violations == 0);
  CHECK(static_cast<std::size_t>(answered) == total);
  // 300 broadcasts at 20/s need 15 s; the groups' 30 each need a second minute.
  CHECK(now < clock_ms{125'000});
}
