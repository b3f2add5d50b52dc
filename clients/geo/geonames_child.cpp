// libgeonames read in a child process (clients/geo/geonames_child.hpp).
#include "clients/geo/geonames_child.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "clients/geo/geonames_source.hpp"
#include "clients/geo/place_stream.hpp"

extern char** environ;

namespace nocturna::geo {

namespace {

constexpr std::size_t write_chunk = 64 * 1024;

bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The child's pipe and process, closed and reaped however the reading ends.
struct child_process {
  int out = -1;
  pid_t pid = -1;
  ~child_process() {
    if (out >= 0) ::close(out);
    if (pid > 0) {
      ::kill(pid, SIGKILL);  // a child that already exited is a zombie: the signal does nothing
      ::waitpid(pid, nullptr, 0);
    }
  }
  // The exit status once the stream ended; -1 when it did not exit normally.
  int reap() {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

child_process start(const std::string& program) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  child_process child;
  child.out = fds[0];
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // The bot blocks its stop signals in every thread; the child must still die of a SIGTERM.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
  std::string argument = geonames_child_argument;
  char* argv[] = {const_cast<char*>(program.c_str()), argument.data(), nullptr};
  const int rc = ::posix_spawn(&child.pid, program.c_str(), &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(fds[1]);
  if (rc != 0) {
    child.pid = -1;
    throw std::runtime_error("cannot run " + program + ": " + std::strerror(rc));
  }
  return child;
}

}  // namespace

int write_geonames_cities(int fd) {
  // Standard output is the stream: nothing else may write there.
  spdlog::set_level(spdlog::level::off);
  std::string out;
  std::uint64_t cities = 0;
  bool ok = true;
  read_geonames_cities(
      [&](const place& p) {
        write_city(out, p);
        ++cities;
        if (out.size() >= write_chunk) {
          ok = ok && write_all(fd, out);
          out.clear();
        }
      },
      [&](const std::string& name_en, const std::string& zone) {
        write_skipped(out, name_en, zone);
      });
  write_end(out, cities);
  ok = ok && write_all(fd, out);
  return ok ? 0 : 1;
}

std::shared_ptr<const gazetteer> gazetteer_from_child(const std::string& program,
                                                      alias_table aliases,
                                                      std::chrono::milliseconds deadline) {
  const auto until = std::chrono::steady_clock::now() + deadline;
  auto child = start(program);
  gazetteer::builder index;
  std::size_t skipped = 0;
  place_stream_reader reader([&](const place& p) { index.add(p); },
                             [&](const std::string& name_en, const std::string& zone) {
                               ++skipped;
                               warn_skipped_city(name_en, zone);
                             });
  char buffer[64 * 1024];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          until - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) throw std::runtime_error("the libgeonames child took too long");
    pollfd ready{child.out, POLLIN, 0};
    const int polled = ::poll(&ready, 1, static_cast<int>(left));
    if (polled < 0 && errno == EINTR) continue;
    if (polled < 0) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    if (polled == 0) continue;
    const ssize_t n = ::read(child.out, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::string("read: ") + std::strerror(errno));
    if (n == 0) break;
    if (!reader.feed(std::string_view(buffer, static_cast<std::size_t>(n))))
      throw std::runtime_error("the libgeonames child wrote a broken stream");
  }
  const int status = child.reap();
  if (status != 0)
    throw std::runtime_error("the libgeonames child exited with " + std::to_string(status));
  if (!reader.complete()) throw std::runtime_error("the libgeonames child's stream ended early");
  spdlog::info("gazetteer: {} cities indexed, {} skipped (read by a child process)",
               reader.cities(), skipped);
  return std::make_shared<const gazetteer>(std::move(index).finish(std::move(aliases)));
}

}  // namespace nocturna::geo
