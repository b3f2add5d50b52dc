// Memory soak (`make soak-memory`): the real bot against the sandbox, SOAK_UPDATES updates
// (default 200,000) over SOAK_CHATS private chats (default 20,000), then SOAK_AFTER_S seconds
// (default 900) of quiet in which idle sessions are evicted (SESSION_IDLE_S, default 600).
// Reports the bot's resident set before, at its peak and at the end, the lost and unanswered
// updates, and exits 1 when an update was lost or the end is more than 10 % above the start.
#include <httplib.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atol(v) : fallback;
}

double mib(long kib) {
  return kib / 1024.0;
}

// The bot's own account of its memory from /metrics: live sessions, heap in use and heap kept
// free by malloc (a resident set far above "in use" is the allocator's, not the bot's).
std::string heap_figures(int health_port) {
  std::string out;
  for (std::string name :
       {"nocturna_sessions_alive", "nocturna_heap_in_use_bytes", "nocturna_heap_free_bytes"}) {
    const double v = bot_metric(health_port, name);
    if (v < 0) continue;
    char value[32];
    std::snprintf(value, sizeof value, name == "nocturna_sessions_alive" ? "%.0f" : "%.1f MiB",
                  name == "nocturna_sessions_alive" ? v : v / 1048576);
    out += (out.empty() ? "" : ", ") + name + " " + value;
  }
  return out.empty() ? "metrics unavailable" : out;
}

// The resident set split as /proc/PID/status has it: anonymous pages (the heap, stacks) and
// pages of files (the program and its libraries, whose resident part grows as more of their code
// runs, not with the data the bot keeps).
std::string resident_parts(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  long anon = -1, file = -1;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("RssAnon:", 0) == 0) anon = std::stol(line.substr(8));
    if (line.rfind("RssFile:", 0) == 0) file = std::stol(line.substr(8));
  }
  char out[96];
  std::snprintf(out, sizeof out, "anonymous %.1f MiB, file-backed %.1f MiB", mib(anon), mib(file));
  return out;
}

}  // namespace

int main() {
  const long updates = env_long("SOAK_UPDATES", 200000);
  const long chats = std::max(1L, env_long("SOAK_CHATS", 20000));
  const long after_s = env_long("SOAK_AFTER_S", 900);
  const int senders = 8;

  harness h;
  std::map<std::string, std::string> env = {{"LOG_LEVEL", "info"}};
  for (const char* name : {"SESSION_IDLE_S", "MALLOC_CONF"})
    if (const char* value = std::getenv(name)) env[name] = value;
  h.start_bot(env);
  const int pid = h.bot->pid();
  // Started: the first reply is out (the identity known, the inbox open, the pools up).
  h.control->send(1, "/help");
  if (h.wait_replies(1, 1).bot_messages().size() != 1) {
    std::fprintf(stderr, "the bot did not answer its first message\n");
    return 2;
  }
  // Settled: the gazetteer, built on its own thread after start-up, is ready, and a heap trim
  // ran after that (the dispatcher's, at most 30 s apart while idle), so "before" does not
  // depend on how far that build had got.
  wait_until([&] { return !h.places_pending(); }, 60000);
  const int health_port = h.health_port();
  const double trims = bot_metric(health_port, "nocturna_heap_trims_total");
  wait_until([&] { return bot_metric(health_port, "nocturna_heap_trims_total") > trims; }, 60000);
  const long before = rss_kib(pid);
  std::printf("bot pid %d, RSS before: %.1f MiB (%s; %s)\n", pid, mib(before),
              resident_parts(pid).c_str(), heap_figures(health_port).c_str());
  std::fflush(stdout);

  std::atomic<long> next{0}, sent{0};
  std::atomic<long> peak{before};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling) {
      long r = rss_kib(pid);
      if (r > peak) peak = r;
      sleep_ms(200);
    }
  });
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < senders; ++t)
    threads.emplace_back([&] {
      auto control = std::make_unique<sandbox::control_client>(h.sandbox_server->base_url());
      for (long i = next++; i < updates; i = next++) {
        for (int attempt = 0;; ++attempt) {
          try {
            control->send(1000 + i % chats, "/help");  // always answered (a hint is not)
            break;
          } catch (const std::exception& e) {
            // The sandbox closes keep-alive connections idle for 1 s; a send racing that close
            // fails. Once more on a new connection (at worst one update more for that chat).
            if (attempt > 0) throw;
            control = std::make_unique<sandbox::control_client>(h.sandbox_server->base_url());
          }
        }
        ++sent;
      }
    });
  for (auto& t : threads) t.join();
  const double send_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%ld updates sent over %ld chats in %.1f s\n", sent.load(), chats, send_s);
  std::fflush(stdout);

  // Handled: every stored update is done (none pending) and all of them are stored.
  const std::string stored_sql = "SELECT COUNT(*) FROM inbox WHERE update_id > ?";
  const std::string pending_sql =
      "SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND update_id > ?";
  bool drained = wait_until(
      [&] {
        return h.store_int(stored_sql, 0).value_or(0) >= updates + 1 &&
               h.store_int(pending_sql, 0).value_or(1) == 0;
      },
      1800000);
  const double handled_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const long peak_during = peak.load();
  std::printf("all handled: %s after %.1f s; RSS peak %.1f MiB\n", drained ? "yes" : "NO",
              handled_s, mib(peak_during));
  std::fflush(stdout);

  // Quiet: sessions idle past SESSION_IDLE_S are evicted by the dispatcher's sweep.
  for (long s = 0; s < after_s; s += 60) {
    sleep_ms(static_cast<int>(std::min(60L, after_s - s) * 1000));
    std::printf("  %ld s after: RSS %.1f MiB (%s; %s)\n", std::min(after_s, s + 60),
                mib(rss_kib(pid)), resident_parts(pid).c_str(), heap_figures(health_port).c_str());
    std::fflush(stdout);
  }
  const long end = rss_kib(pid);
  sampling = false;
  sampler.join();

  // Lost: a chat whose transcript has fewer replies than messages sent to it.
  long lost = 0;
  for (long c = 0; c < chats; ++c) {
    auto t = h.control->get_transcript(1000 + c);
    long expected = updates / chats + (c < updates % chats ? 1 : 0);
    long got = static_cast<long>(t.bot_messages().size());
    if (got < expected) lost += expected - got;
  }
  const double growth = before > 0 ? 100.0 * (end - before) / before : 0;
  std::printf(
      "SOAK %ld updates / %ld chats: RSS before %.1f MiB, peak %.1f MiB, %ld s after %.1f MiB "
      "(%+.1f %%); lost %ld\n",
      updates, chats, mib(before), mib(peak.load()), after_s, mib(end), growth, lost);
  return (drained && lost == 0 && growth <= 10.0) ? 0 : 1;
}
