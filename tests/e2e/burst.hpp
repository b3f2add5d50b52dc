// A burst of numbered group commands and the tally of their replies, for the tests that crash or
// kill the bot mid-burst: replies are matched to commands through the group reply's quoted
// message, so "exactly once, in order" is checked per chat.
#pragma once

#include <atomic>
#include <cstdlib>
#include <map>
#include <thread>
#include <vector>

#include "tests/e2e/harness.hpp"

namespace nocturna::testing {

// NOCTURNA_SOAK=1 (`make soak`): the burst tests run at the issues' full sizes.
inline bool soak() {
  const char* v = std::getenv("NOCTURNA_SOAK");
  return v && std::string(v) == "1";
}

// A burst of group commands (/help) over `chats` chats, paced by `gap_ms`; the command message
// ids per chat, in order.
struct burst {
  std::map<std::int64_t, std::vector<std::int64_t>> sent;
  std::atomic<int> count{0};
  std::thread thread;

  burst(sandbox::control_client& control, int updates, int chats, int gap_ms,
        std::int64_t first_chat) {
    for (int c = 0; c < chats; ++c) sent[first_chat - c];
    thread = std::thread([&control, this, updates, chats, gap_ms, first_chat] {
      sandbox::send_options group;
      group.chat_type = "group";
      for (int i = 0; i < updates; ++i) {
        std::int64_t chat = first_chat - i % chats;
        sent[chat].push_back(control.send(chat, "/help", group).message_id);
        ++count;
        if (gap_ms > 0) sleep_ms(gap_ms);
      }
    });
  }
  void join() {
    if (thread.joinable()) thread.join();
  }
  ~burst() { join(); }
};

// Per chat: the commands each sendMessage answered, in call order.
inline std::map<std::int64_t, std::vector<std::int64_t>> answers(harness& h) {
  std::map<std::int64_t, std::vector<std::int64_t>> out;
  for (auto& c : h.control->calls(0, "sendMessage").calls)
    if (c.chat_id && c.status == 200) out[*c.chat_id].push_back(quoted_message(c));
  return out;
}

struct tally {
  int lost = 0, duplicates = 0, out_of_order_chats = 0;
};

inline tally compare(const std::map<std::int64_t, std::vector<std::int64_t>>& sent,
                     std::map<std::int64_t, std::vector<std::int64_t>> got) {
  tally t;
  for (auto& [chat, ids] : sent) {
    auto& answered = got[chat];
    std::map<std::int64_t, int> times;
    for (auto id : answered) ++times[id];
    for (auto id : ids) {
      if (times[id] == 0) ++t.lost;
      if (times[id] > 1) t.duplicates += times[id] - 1;
    }
    // Order: the first answer of each command comes in command order.
    std::vector<std::int64_t> first;
    std::map<std::int64_t, bool> seen;
    for (auto id : answered)
      if (!seen[id]) {
        seen[id] = true;
        first.push_back(id);
      }
    if (first != ids && t.lost == 0) ++t.out_of_order_chats;
  }
  return t;
}

inline bool all_answered(harness& h,
                         const std::map<std::int64_t, std::vector<std::int64_t>>& sent) {
  auto got = answers(h);
  for (auto& [chat, ids] : sent) {
    std::map<std::int64_t, bool> have;
    for (auto id : got[chat]) have[id] = true;
    for (auto id : ids)
      if (!have[id]) return false;
  }
  return true;
}

}  // namespace nocturna::testing
