// The bot's footprint (docs/benchmarks.md): start-up time to its first getUpdates, its resident
// set when idle, and what idle sessions add. The real bot binary against the sandbox, as in
// production (LOG_LEVEL=info, SQLite store, polling); FOOTPRINT_SESSIONS private chats (default
// 10,000) each send /start once and then stay idle (SESSION_IDLE_S=3600, so none is evicted).
// Start-up is timed FOOTPRINT_ROUNDS times (default 3, each a fresh bot and directory): from just
// before the fork to the sandbox receiving the first getUpdates, both on the sandbox's clock.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/bench/bench.hpp"
#include "tests/e2e/harness.hpp"

namespace nocturna::bench {
namespace {

constexpr std::int64_t first_chat = 700000;
// As in production, sessions never evicted during the run; MALLOC_CONF (jemalloc's options over
// app/main.cpp's) passed on when set.
std::map<std::string, std::string> production_env() {
  std::map<std::string, std::string> env = {{"LOG_LEVEL", "info"}, {"SESSION_IDLE_S", "3600"}};
  if (const char* conf = std::getenv("MALLOC_CONF")) env["MALLOC_CONF"] = conf;
  return env;
}

long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atol(v) : fallback;
}

// Waits until the process used no CPU for `quiet_ms` (its start-up or a burst is over).
void wait_quiet(int pid, int quiet_ms = 1000) {
  long last = testing::cpu_ticks(pid);
  auto since = std::chrono::steady_clock::now();
  testing::wait_until(
      [&] {
        long now = testing::cpu_ticks(pid);
        if (now != last) {
          last = now;
          since = std::chrono::steady_clock::now();
          return false;
        }
        return std::chrono::steady_clock::now() - since >= std::chrono::milliseconds(quiet_ms);
      },
      120000);
}

struct startup {
  std::int64_t first_poll_ms = -1;       // from just before the fork to the first getUpdates
  std::int64_t gazetteer_ready_ms = -1;  // to the log line of the gazetteer built in the background
};

// Starts the bot in `h` and times its start, both moments on the sandbox's clock (the log line
// found by polling the log every 15 ms).
startup start_and_time(testing::harness& h) {
  startup s;
  const auto before = h.sandbox_server->clock_ms();
  h.start_bot(production_env());
  testing::wait_until(
      [&] {
        auto polls = h.control->calls(0, "getUpdates").calls;
        if (!polls.empty()) s.first_poll_ms = polls.front().start_ms - before;
        return s.first_poll_ms >= 0;
      },
      60000);
  if (testing::wait_until([&] { return !h.places_pending(); }, 60000))
    s.gazetteer_ready_ms = h.sandbox_server->clock_ms() - before;
  return s;
}

std::string figures(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  std::string each;
  for (auto ms : v) each += (each.empty() ? "" : ", ") + std::to_string(ms);
  return "median " + std::to_string(v[v.size() / 2]) + " ms (" + each + ")";
}

double mib(long kib) {
  return kib / 1024.0;
}

}  // namespace

void run_footprint_bench() {
  const long sessions = std::max(1L, env_long("FOOTPRINT_SESSIONS", 10000));
  const long rounds = std::max(1L, env_long("FOOTPRINT_ROUNDS", 3));
  std::vector<std::int64_t> first_polls, gazetteer_ready;
  auto timed = [&](testing::harness& h) {
    const auto s = start_and_time(h);
    first_polls.push_back(s.first_poll_ms);
    gazetteer_ready.push_back(s.gazetteer_ready_ms);
  };
  for (long r = 1; r < rounds; ++r) {
    testing::harness h;
    timed(h);
  }
  testing::harness h;
  timed(h);
  std::printf("footprint: start-up to the first getUpdates: %s\n", figures(first_polls).c_str());
  std::printf("  to the gazetteer built in the background: %s\n", figures(gazetteer_ready).c_str());
  std::fflush(stdout);

  const int pid = h.bot->pid();
  const int health = h.health_port();
  // Idle: start-up work (also what is built in the background) is over and the dispatcher's
  // first heap trim, 2 s after it started, has run.
  testing::wait_until(
      [&] { return testing::bot_metric(health, "nocturna_heap_in_use_bytes") >= 0; });
  wait_quiet(pid);
  const long idle = testing::rss_kib(pid);
  std::printf("  idle RSS %.1f MiB\n", mib(idle));
  std::fflush(stdout);

  // One chat first: what any first update touches once (connections, statements, pools) is not
  // a session's cost.
  h.control->send(first_chat, "/start");
  h.wait_replies(first_chat, 1);
  wait_quiet(pid);
  const long warm = testing::rss_kib(pid);
  // The heap figure the idle trim published: the live heap before the burst, against which the
  // sessions' own bytes are counted below.
  const double warm_heap = testing::bot_metric(health, "nocturna_heap_in_use_bytes");
  std::printf("  after one update: RSS %.1f MiB, heap in use %.1f MiB\n", mib(warm),
              warm_heap / 1048576);
  const auto started = std::chrono::steady_clock::now();
  for (long i = 1; i <= sessions; ++i) h.control->send(first_chat + i, "/start");
  const std::string pending_sql =
      "SELECT COUNT(*) FROM inbox WHERE state = 'pending' AND update_id > ?";
  const std::string stored_sql = "SELECT COUNT(*) FROM inbox WHERE update_id > ?";
  bool handled = testing::wait_until(
      [&] {
        return h.store_int(stored_sql, 0).value_or(0) >= sessions + 1 &&
               h.store_int(pending_sql, 0).value_or(1) == 0;
      },
      1800000);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // The heap figure is republished by each trim only, so it is shown once a trim followed the
  // burst.
  auto report = [&](const char* when, bool trimmed) {
    const long rss = testing::rss_kib(pid);
    std::printf(
        "  %s: RSS %.1f MiB, +%.1f MiB over one update, %.0f bytes per session (%.0f "
        "sessions alive",
        when, mib(rss), mib(rss - warm),
        1024.0 * static_cast<double>(rss - warm) / static_cast<double>(sessions),
        testing::bot_metric(health, "nocturna_sessions_alive"));
    if (trimmed) {
      const double heap = testing::bot_metric(health, "nocturna_heap_in_use_bytes");
      std::printf(", heap in use %.1f MiB, %.0f bytes of it per session", heap / 1048576,
                  (heap - warm_heap) / static_cast<double>(sessions));
    }
    std::printf(")\n");
    std::fflush(stdout);
  };
  wait_quiet(pid);
  std::printf("  %ld chats sent /start once each: %s handled in %.1f s\n", sessions,
              handled ? "all" : "NOT all", took);
  report("right after", false);
  // The burst's Bot API answers stay in the call ledger for a minute (a re-run in this process
  // finds them there); the dispatcher's next sweep after that forgets them and trims the heap,
  // which republishes the heap figure with the ledger's count. Read now, the burst's answers are
  // all younger than a minute, so a later trim that saw the ledger empty came after them. What
  // is left is what the idle sessions hold.
  const double trims_after_burst = testing::bot_metric(health, "nocturna_heap_trims_total");
  testing::wait_until(
      [&] {
        return testing::bot_metric(health, "nocturna_heap_trims_total") > trims_after_burst &&
               testing::bot_metric(health, "nocturna_call_ledger_answers") == 0;
      },
      180000);
  wait_quiet(pid);
  report("once the answers are forgotten", true);
  std::printf("  peak RSS %.1f MiB\n", mib(testing::peak_rss_kib(pid)));
  std::fflush(stdout);
}

}  // namespace nocturna::bench
