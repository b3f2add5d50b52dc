#include "tests/support/bot_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/time_factor.hpp"

namespace nocturna::testing {

temp_dir::temp_dir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "nocturna-e2e-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw std::runtime_error("mkdtemp failed");
  path_ = buf.data();
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bot_process::bot_process(std::map<std::string, std::string> env, std::string workdir)
    : env_(std::move(env)), workdir_(std::move(workdir)) {
  output_path_ = workdir_ + "/bot-output.txt";
}

bot_process::~bot_process() {
  if (pid_ > 0) kill_hard();
}

void bot_process::start() {
  std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin", "HOME=" + workdir_};
  for (auto& [k, v] : env_) env_strings.push_back(k + "=" + v);
  // `make sanitize` runs the bot built with the sanitizers: their options reach it too.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
    if (const char* value = std::getenv(name))
      env_strings.push_back(std::string(name) + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string binary = bot_binary();
  std::vector<char*> argv = {binary.data(), nullptr};
  pid_ = spawn_with_output(output_path_, [&] {
    if (chdir(workdir_.c_str()) == 0) execve(binary.c_str(), argv.data(), envp.data());
  });
}

pid_t spawn_with_output(const std::string& output_path, const std::function<void()>& in_child) {
  int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
  pid_t pid = fork();
  if (pid < 0) {
    ::close(out);
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    dup2(out, 1);
    dup2(out, 2);
    in_child();
    _exit(127);
  }
  ::close(out);
  return pid;
}

int bot_process::wait_exit(int timeout_ms) {
  if (pid_ <= 0) return -1;
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  while (std::chrono::steady_clock::now() < until) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

int bot_process::stop(int timeout_ms) {
  if (pid_ <= 0) return -1;
  auto started = std::chrono::steady_clock::now();
  ::kill(pid_, SIGTERM);
  int code = wait_exit(timeout_ms);
  last_stop_ms_ = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  if (code == -1) kill_hard();
  return code;
}

void bot_process::kill_hard() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string bot_process::output() const {
  std::ifstream in(output_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, std::string> bot_env(const std::string& api_url, const std::string& token,
                                           const std::string& dir) {
  return {
      {"TELEGRAM_BOT_TOKEN", token}, {"TELEGRAM_API_URL", api_url},
      {"DATA_DIR", dir + "/data"},   {"LOG_DIR", dir + "/logs"},
      {"LOG_LEVEL", "debug"},        {"HEALTH_PORT", "0"},
      {"WEBHOOK_PORT", "0"},         {"SANDBOX_PORT", "0"},
      {"POLL_TIMEOUT", "2"},         {"TELEGRAM_RATE_LIMITS", "off"},
      {"CHAT_BACKLOG_LIMIT", "0"},   {"NOCTURNA_SHARE_DIR", NOCTURNA_SOURCE_SHARE_DIR},
  };
}

namespace {
// One "Name:   N kB" field of /proc/PID/status, in KiB; -1 when it cannot be read.
long status_kib(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}
}  // namespace

long peak_rss_kib(int pid) {
  return status_kib(pid, "VmHWM:");
}

std::string bot_binary() {
  // NOCTURNA_TEST_BOT_BINARY runs the same tests against another build of the bot, e.g. an
  // older one to measure what a fix changed (docs/deployment.md, "Webhook").
  const char* other = std::getenv("NOCTURNA_TEST_BOT_BINARY");
  return other && *other ? other : NOCTURNA_BOT_BINARY;
}

long rss_kib(int pid) {
  return status_kib(pid, "VmRSS:");
}

long cpu_ticks(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; fields >> field; ++i) {
    if (i == 14) utime = std::atol(field.c_str());
    if (i == 15) {
      stime = std::atol(field.c_str());
      break;
    }
  }
  return utime + stime;
}

}  // namespace nocturna::testing
