// /transit latency under a burst: 1,000 chats ask at once (embedded engine, the built-in
// interpreter, the hour's sky picture already drawn and cached, rate limits off). The latency of
// a chat is from its update reaching the sandbox to the sandbox answering the bot's text reply
// (the last message the user waits for), both on the sandbox's own clock; p50 and p99 over the
// chats.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "tests/bench/bench.hpp"
#include "tests/e2e/harness.hpp"

namespace nocturna::bench {
namespace {

constexpr int chats = 1000;
constexpr std::int64_t first_chat = 500000;

// The answered text replies (the second sendMessage of each chat: the first is the status line),
// as chat → end_ms.
std::map<std::int64_t, std::int64_t> text_replies(testing::harness& h) {
  std::map<std::int64_t, int> seen;
  std::map<std::int64_t, std::int64_t> done;
  for (const auto& c : h.control->calls(0, "sendMessage").calls) {
    if (!c.chat_id || c.status != 200 || *c.chat_id < first_chat) continue;
    if (++seen[*c.chat_id] == 2) done[*c.chat_id] = c.end_ms;
  }
  return done;
}

double percentile(std::vector<std::int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  const auto at = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return static_cast<double>(v[std::min(at, v.size() - 1)]);
}

}  // namespace

void run_transit_bench() {
  testing::harness h;
  h.start_bot({{"TELEGRAM_CONNECTIONS", "16"}});
  // Warm-up: the hour's sky is drawn once and its file_id cached, as in steady service.
  h.control->send(1, "/transit");
  testing::wait_until([&] { return h.control->calls(0, "deleteMessage", 1).calls.size() == 1; },
                      60000);
  // In steady service the gazetteer, built on a thread of its own after start-up, is ready: the
  // burst does not share the CPU with its build.
  testing::wait_until([&] { return !h.places_pending(); }, 120000);
  const int pid = h.bot->pid();
  const long cpu_before = testing::cpu_ticks(pid);
  std::map<std::int64_t, std::int64_t> sent_at;
  for (int i = 0; i < chats; ++i) {
    sent_at[first_chat + i] = h.sandbox_server->clock_ms();
    h.control->send(first_chat + i, "/transit");
  }
  std::map<std::int64_t, std::int64_t> done;
  testing::wait_until(
      [&] {
        done = text_replies(h);
        return done.size() == static_cast<std::size_t>(chats);
      },
      600000);
  const long cpu_used = testing::cpu_ticks(pid) - cpu_before;
  std::vector<std::int64_t> latency;
  for (const auto& [chat, end] : done) latency.push_back(end - sent_at[chat]);
  std::printf(
      "transit: %d chats send /transit at once (embedded engine, cached picture, %zu "
      "answered)\n",
      chats, latency.size());
  if (latency.empty()) return;
  std::printf("  latency p50 %.0f ms, p99 %.0f ms, max %.0f ms; all sent within %lld ms\n",
              percentile(latency, 0.5), percentile(latency, 0.99), percentile(latency, 1.0),
              static_cast<long long>(sent_at.rbegin()->second - sent_at.begin()->second));
  std::printf(
      "  bot CPU per /transit %.0f µs (user and system, all threads)\n",
      1e6 * static_cast<double>(cpu_used) / static_cast<double>(sysconf(_SC_CLK_TCK)) / chats);
  std::fflush(stdout);
}

}  // namespace nocturna::bench
