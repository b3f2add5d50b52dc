#include "clients/webhook/socket_stream.hpp"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace nocturna::webhook {

socket_stream::socket_stream(int fd, std::string already_read,
                             std::chrono::steady_clock::time_point deadline)
    : fd_(fd), buffered_(std::move(already_read)), deadline_(deadline) {}

bool socket_stream::wait_for(short events) const {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r > 0) return (p.revents & (events | POLLHUP | POLLERR)) != 0;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

bool socket_stream::is_readable() const {
  return offset_ < buffered_.size() || wait_for(POLLIN);
}

bool socket_stream::is_writable() const {
  return wait_for(POLLOUT);
}

ssize_t socket_stream::read(char* ptr, size_t size) {
  if (offset_ < buffered_.size()) {
    auto n = std::min(size, buffered_.size() - offset_);
    std::memcpy(ptr, buffered_.data() + offset_, n);
    offset_ += n;
    return static_cast<ssize_t>(n);
  }
  if (!wait_for(POLLIN)) return -1;
  for (;;) {
    auto n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
    if (n >= 0 || errno != EINTR) return n;
  }
}

ssize_t socket_stream::write(const char* ptr, size_t size) {
  if (!wait_for(POLLOUT)) return -1;
  for (;;) {
    auto n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0 || errno != EINTR) return n;
  }
}

void describe_address(const sockaddr_storage& addr, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof addr, host, sizeof host,
                    service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    ip.clear();
    port = 0;
    return;
  }
  ip = host;
  port = std::atoi(service);
}

void socket_stream::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) addr.ss_family = 0;
  describe_address(addr, ip, port);
}

void socket_stream::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) addr.ss_family = 0;
  describe_address(addr, ip, port);
}

}  // namespace nocturna::webhook
