#include "tests/support/keepalive_server.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace nocturna::testing {
namespace {

void reset_connection(int fd) {
  linger l{1, 0};  // close with RST instead of FIN
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  ::close(fd);
}

// Reads until the end of the headers; false when the peer went away (or we stop).
bool read_headers(int fd, std::string& buffer, std::size_t& header_end,
                  const std::atomic<bool>& stopping) {
  char chunk[4096];
  while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) == 0) {
      if (stopping) return false;
      continue;
    }
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  header_end += 4;
  return true;
}

std::size_t content_length(const std::string& headers) {
  for (const char* name : {"Content-Length: ", "content-length: "}) {
    auto pos = headers.find(name);
    if (pos != std::string::npos) return std::stoul(headers.substr(pos + std::strlen(name)));
  }
  return 0;
}

}  // namespace

keepalive_server::keepalive_server() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listen_fd_, 16) != 0)
    throw std::runtime_error("keepalive_server: cannot listen");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

keepalive_server::~keepalive_server() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    workers = std::move(workers_);
  }
  for (auto& w : workers) w.join();
}

void keepalive_server::on_request(int n, action a) {
  std::lock_guard<std::mutex> guard(mutex_);
  script_[n] = a;
}

std::vector<int> keepalive_server::request_connections() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return requests_;
}

keepalive_server::action keepalive_server::next_action(int connection) {
  std::lock_guard<std::mutex> guard(mutex_);
  requests_.push_back(connection);
  auto it = script_.find(static_cast<int>(requests_.size()));
  return it == script_.end() ? action::answer : it->second;
}

void keepalive_server::accept_loop() {
  int connections = 0;
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    int connection = ++connections;
    std::lock_guard<std::mutex> guard(mutex_);
    workers_.emplace_back([this, fd, connection] { serve(fd, connection); });
  }
}

void keepalive_server::serve(int fd, int connection) {
  std::string buffer;
  for (;;) {
    std::size_t header_end = 0;
    if (!read_headers(fd, buffer, header_end, stopping_)) break;
    auto length = content_length(buffer.substr(0, header_end));
    auto what = next_action(connection);
    if (what == action::reset_in_body) {
      reset_connection(fd);
      return;
    }
    char chunk[65536];
    while (buffer.size() < header_end + length) {
      auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n <= 0) {
        ::close(fd);
        return;
      }
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    buffer.erase(0, header_end + length);
    if (what == action::close) break;
    if (what == action::reset) {
      reset_connection(fd);
      return;
    }
    if (what == action::hang) {
      while (!stopping_) ::poll(nullptr, 0, 50);
      break;
    }
    const std::string body = R"({"ok":true,"result":true})";
    auto answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: keep-alive\r\n\r\n" + body;
    if (::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
  }
  ::close(fd);
}

}  // namespace nocturna::testing
