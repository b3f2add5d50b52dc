// nocturna-bot: the Telegram bot and its tools.
//   nocturna-bot [--env-file PATH] [run]       the bot (embedded sandbox when no token is set)
//   nocturna-bot [--env-file PATH] sandbox [--port N]
//   nocturna-bot inject [--sandbox URL] [--chat ID] [--json] TEXT...
//   nocturna-bot calc chart|serve …, geo search|nearest …, token create|check …, render sample …
//   nocturna-bot report natal|transit|day|forecast …   the texts the bot would send
//   (report_commands.hpp)
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app/calc_commands.hpp"
#include "app/config.hpp"
#include "app/render_commands.hpp"
#include "app/report_commands.hpp"
#include "app/run.hpp"
#include "app/sandbox_commands.hpp"
#include "app/stop_signals.hpp"
#include "app/token_commands.hpp"
#include "clients/geo/geonames_child.hpp"
#include "clients/geo/geonames_source.hpp"
#include "clients/logging.hpp"

// jemalloc's options, read when it starts (the bot links it, CMakeLists.txt; `MALLOC_CONF` in the
// environment overrides them). After a burst of thousands of chats glibc's malloc kept a quarter
// more memory than before it: freed chunks pinned between a few survivors in its per-thread
// arenas. jemalloc keeps objects of one size class together, and a background thread returns
// emptied pages a second after they were freed. One arena is enough for this bot's few busy
// threads. Each thread caches freed blocks up to 1 KiB, 32 per size at most: the caches save
// malloc calls on the hot path, and what an idle thread keeps in them stays small
// (docs/benchmarks.md, "The allocator").
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf =
    "narenas:1,tcache_max:1024,tcache_nslots_small_max:32,tcache_nslots_large:2,"
    "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

namespace {

const char* const usage =
    "usage: nocturna-bot [--env-file PATH] [run]\n"
    "       nocturna-bot [--env-file PATH] sandbox [--port N]\n"
    "       nocturna-bot inject [--sandbox URL] [--chat ID] [--json] TEXT...\n"
    "       nocturna-bot [--env-file PATH] calc chart --date YYYY-MM-DD --time HH:MM[:SS]|unknown\n"
    "                    (--place NAME | --lat X --lon Y --tz ZONE) [--house-system NAME]\n"
    "       nocturna-bot [--env-file PATH] calc serve [--port N]\n"
    "       nocturna-bot [--env-file PATH] geo search [--json] NAME | geo nearest [--json] LAT "
    "LON\n"
    "       nocturna-bot [--env-file PATH] token create API_URL EMAIL [DAYS] | token "
    "check\n"
    "       nocturna-bot render sample --out FILE [--kind natal|natal-notime|transit|sky]\n"
    "       nocturna-bot [--env-file PATH] report natal|transit|forecast --date YYYY-MM-DD\n"
    "                    --time HH:MM|unknown --place NAME [--at \"YYYY-MM-DD HH:MM\"] [--html]\n"
    "       nocturna-bot [--env-file PATH] report day [--at \"YYYY-MM-DD HH:MM\"] [--html]\n";

bool is_command(const std::string& word) {
  for (const char* c : {"run", "sandbox", "inject", "calc", "geo", "token", "render", "report"})
    if (word == c) return true;
  return false;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken synchronously by the main thread (sigtimedwait); every thread started
  // from here on inherits the mask.
  sigset_t set = nocturna::stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Before any thread starts: libgeonames picks its name language from the environment.
  nocturna::geo::prepare_geonames_locale();
  // The bot's own child that reads libgeonames for it (clients/geo/geonames_child.hpp).
  if (argc == 2 && std::strcmp(argv[1], nocturna::geo::geonames_child_argument) == 0)
    return nocturna::geo::write_geonames_cities(STDOUT_FILENO);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<std::string> env_file;
  std::string command = "run";
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--env-file" && i + 1 < args.size() && rest.empty() && command == "run") {
      env_file = args[++i];
    } else if (args[i] == "-h" || args[i] == "--help" || args[i] == "help") {
      std::fputs(usage, stdout);
      return 0;
    } else if (command == "run" && rest.empty() && is_command(args[i])) {
      command = args[i];
    } else {
      rest.push_back(args[i]);
    }
  }
  if (command == "inject") return nocturna::inject_main(rest);
  if (command == "render") return nocturna::render_sample_main(rest);
  if (command == "run" && !rest.empty()) {
    std::fprintf(stderr, "unknown argument: %s\n%s", rest.front().c_str(), usage);
    return 2;
  }
  if (env_file && !file_exists(*env_file)) {
    std::fprintf(stderr, "config: --env-file %s does not exist\n", env_file->c_str());
    return 2;
  }
  if (!env_file && file_exists(".env")) env_file = ".env";

  nocturna::config cfg;
  try {
    cfg = nocturna::load_config(env_file, nocturna::process_environment(), argv[0]);
    // Only the bot writes LOG_DIR: the tools (calc, geo, token, sandbox) log to the console, so
    // an operator can run them from any directory without write access to the bot's logs.
    nocturna::set_log_format(cfg.log_format);
    nocturna::init_logging(cfg.log_level, command == "run" ? cfg.log_dir : std::string(),
                           nocturna::secrets_of(cfg));
    if (command == "run")
      for (const auto& w : nocturna::config_warnings(cfg)) spdlog::warn("[config] {}", w);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "config: %s\n", e.what());
    return 2;
  }
  try {
    if (command == "sandbox") return nocturna::sandbox_main(rest, cfg);
    if (command == "calc") return nocturna::calc_main(rest, cfg);
    if (command == "geo") return nocturna::geo_main(rest, cfg);
    if (command == "token") return nocturna::token_main(rest, cfg);
    if (command == "report") return nocturna::report_main(rest, cfg);
    return nocturna::run_bot(cfg);
  } catch (const std::exception& e) {
    spdlog::critical("[main] {}", nocturna::redact(e.what()));
    nocturna::flush_logs();
    return 1;
  }
}
