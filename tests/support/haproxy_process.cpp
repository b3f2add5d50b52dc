#include "tests/support/haproxy_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/bot_process.hpp"
#include "tests/support/time_factor.hpp"

namespace nocturna::testing {
namespace {

const char* const haproxy_binary = "/usr/sbin/haproxy";
constexpr int inherited_fd = 3;

std::string server_line(int index, const haproxy_backend& b) {
  return "  server b" + std::to_string(index) + " 127.0.0.1:" + std::to_string(b.webhook_port) +
         " check port " + std::to_string(b.health_port) + "\n";
}

}  // namespace

haproxy_process::haproxy_process(std::string dir) : dir_(std::move(dir)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 128) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("cannot listen for HAProxy");
  port_ = ntohs(addr.sin_port);
}

haproxy_process::~haproxy_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

void haproxy_process::start(const std::vector<haproxy_backend>& backends) {
  // Deliveries to an instance that just died are sent again to another (redispatch on a refused
  // connection); a request that reached a dying instance comes back to the sandbox as a 502,
  // and the sandbox, like Telegram, delivers it again later.
  std::ostringstream cfg;
  cfg << "  retries 3\n"
      << "  option redispatch 1\n"
      << "  retry-on conn-failure empty-response\n"
      << "frontend telegram\n"
      << "  bind fd@" << inherited_fd << "\n"
      << "  default_backend bots\n"
      << "backend bots\n"
      << "  balance roundrobin\n"
      << "  option httpchk GET /health\n"
      << "  http-check expect status 200\n"
      << "  default-server inter 200ms fall 2 rise 1\n";
  for (std::size_t i = 0; i < backends.size(); ++i)
    cfg << server_line(static_cast<int>(i), backends[i]);
  run(cfg.str());
}

void haproxy_process::start_tls(const std::string& combined_pem, int server_port) {
  // Idle server connections are shared between client connections (`http-reuse always`), as
  // one HTTP/2 connection's streams each need one behind it.
  std::ostringstream cfg;
  cfg << "frontend tls\n"
      << "  bind fd@" << inherited_fd << " ssl crt " << combined_pem << " alpn h2,http/1.1\n"
      << "  default_backend plain\n"
      << "backend plain\n"
      << "  http-reuse always\n"
      << "  server plain 127.0.0.1:" << server_port << "\n";
  run(cfg.str());
}

void haproxy_process::run(const std::string& config) {
  const std::string path = dir_ + "/haproxy.cfg";
  std::ofstream(path) << "global\n"
                      << "  stats socket " << dir_ << "/haproxy.sock mode 600 level admin\n"
                      << "defaults\n"
                      << "  mode http\n"
                      << "  timeout connect 2s\n"
                      << "  timeout client 60s\n"
                      << "  timeout server 60s\n"
                      << config;
  const std::string output = dir_ + "/haproxy-output.txt";
  pid_ = spawn_with_output(output, [&] {
    if (listen_fd_ == inherited_fd)
      fcntl(inherited_fd, F_SETFD, 0);
    else
      dup2(listen_fd_, inherited_fd);
    execl(haproxy_binary, haproxy_binary, "-db", "-f", path.c_str(), static_cast<char*>(nullptr));
  });
  // Ready once the admin socket answers.
  wait_until([&] { return !admin("show info").empty(); }, 5000);
}

void haproxy_process::set_backend(int index, const haproxy_backend& b) {
  const std::string server = "bots/b" + std::to_string(index);
  admin("set server " + server + " addr 127.0.0.1 port " + std::to_string(b.webhook_port));
  admin("set server " + server + " check-port " + std::to_string(b.health_port));
}

int haproxy_process::servers_up() {
  // `show stat` is CSV: proxy, server, …, the 18th field is the status (UP, DOWN, "UP 1/2"…).
  std::istringstream lines(admin("show stat"));
  int up = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("bots,b", 0) != 0) continue;
    std::istringstream fields(line);
    std::string field;
    for (int i = 0; i < 18 && std::getline(fields, field, ','); ++i) {
    }
    if (field == "UP") ++up;
  }
  return up;
}

std::string haproxy_process::admin(const std::string& command) const {
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string path = dir_ + "/haproxy.sock";
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    timeval timeout{5, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    const std::string line = command + "\n";
    if (::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size())) {
      char buf[4096];
      for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) answer.append(buf, n);
    }
  }
  ::close(fd);
  return answer;
}

}  // namespace nocturna::testing
