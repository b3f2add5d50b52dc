// Throughput of the whole runtime against the sandbox when every Bot API call takes 50 ms
// (latency-bound, docs/telegram.md §6.1): replies per second with 1, 16 and 128 connections, side
// by side in one run.
#include <chrono>
#include <cstdio>
#include <string>

#include "tests/bench/bench.hpp"
#include "tests/e2e/harness.hpp"

namespace nocturna::bench {
namespace {

constexpr int chats = 100;
constexpr int messages_per_chat = 5;
constexpr int call_latency_ms = 50;

double replies_per_second(int connections) {
  testing::harness h;
  h.start_bot({{"TELEGRAM_CONNECTIONS", std::to_string(connections)}});
  // Warm-up: the bot is polling once its first reply arrives.
  h.control->send(1, "/help");
  h.wait_replies(1, 1, 20000);
  sandbox::fault slow;
  slow.method = "sendMessage";
  slow.count = 0;  // every call until cleared
  slow.error_code = 0;
  slow.delay_ms = call_latency_ms;
  h.control->add_fault(slow);
  sandbox::send_options group;
  group.chat_type = "group";
  auto started = std::chrono::steady_clock::now();
  for (int m = 0; m < messages_per_chat; ++m)
    for (int c = 0; c < chats; ++c) h.control->send(-2000 - c, "/help", group);
  for (int c = 0; c < chats; ++c) h.wait_replies(-2000 - c, messages_per_chat, 600000);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return chats * messages_per_chat / seconds;
}

}  // namespace

void run_runtime_bench() {
  std::printf("runtime: %d chats x %d messages, every sendMessage delayed %d ms by the sandbox\n",
              chats, messages_per_chat, call_latency_ms);
  double base = 0;
  for (int connections : {1, 16, 128}) {
    auto rate = replies_per_second(connections);
    if (connections == 1) base = rate;
    std::printf("  TELEGRAM_CONNECTIONS=%-3d %8.1f replies/s  (x%.1f vs 1 connection)\n",
                connections, rate, rate / base);
    std::fflush(stdout);
  }
}

}  // namespace nocturna::bench
