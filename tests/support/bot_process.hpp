// Runs the real bot binary as a child process against a sandbox, for end-to-end tests.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>

namespace nocturna::testing {

// A fresh temporary directory, removed when the object goes.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class bot_process {
 public:
  // `env` is added to a minimal environment (PATH, HOME); the bot's cwd is `workdir` so no
  // stray .env is read.
  bot_process(std::map<std::string, std::string> env, std::string workdir);
  ~bot_process();  // SIGKILL if still running

  void start();
  // SIGTERM, then waits up to `timeout_ms`; returns the exit code (-1 on timeout: then killed).
  int stop(int timeout_ms = 5000);
  void kill_hard();  // SIGKILL, no grace
  // Waits for the process to exit by itself; returns its exit code or -1 on timeout.
  int wait_exit(int timeout_ms);
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }
  // Everything the process wrote to stdout and stderr so far.
  std::string output() const;
  // How long the last stop() took.
  long last_stop_ms() const { return last_stop_ms_; }

 private:
  std::map<std::string, std::string> env_;
  std::string workdir_;
  std::string output_path_;
  int pid_ = -1;
  long last_stop_ms_ = 0;
};

// The peak resident set of process `pid` so far (VmHWM in /proc/PID/status), in KiB; -1 when it
// cannot be read.
long peak_rss_kib(int pid);
// The bot binary the tests run: this build's, or NOCTURNA_TEST_BOT_BINARY.
std::string bot_binary();
// The resident set of process `pid` now (VmRSS), in KiB; -1 when it cannot be read.
long rss_kib(int pid);
// The CPU time of process `pid`, all its threads, user and system (utime + stime in
// /proc/PID/stat), in clock ticks (sysconf(_SC_CLK_TCK) a second); -1 when it cannot be read.
long cpu_ticks(int pid);

// Forks a child whose stdout and stderr append to `output_path` and whose signal mask is empty
// (the test runner may have signals blocked). The child runs `in_child`, which execs a program;
// should it return, the child exits with 127. Returns the child's pid; throws when fork fails.
pid_t spawn_with_output(const std::string& output_path, const std::function<void()>& in_child);

// Environment for a bot talking to the sandbox at `api_url` with `token`, storing in `dir`.
std::map<std::string, std::string> bot_env(const std::string& api_url, const std::string& token,
                                           const std::string& dir);

}  // namespace nocturna::testing
