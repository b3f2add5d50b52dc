#include "clients/webhook/head_collector.hpp"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace nocturna::webhook {
namespace {

constexpr const char* answer_timeout =
    "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
constexpr const char* answer_too_large =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: "
    "close\r\n\r\n";

}  // namespace

bool head_complete(const std::string& bytes) {
  return bytes.find("\r\n\r\n") != std::string::npos;
}

head_collector::head_collector(limits l, head_ready_fn ready)
    : limits_(l), ready_(std::move(ready)) {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0) throw std::runtime_error("webhook: epoll/eventfd failed");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  thread_ = std::thread([this] { run(); });
}

head_collector::~head_collector() {
  stop();
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void head_collector::add(int fd) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) {
    ::close(fd);
    return;
  }
  // Make room by dropping the connection that has waited longest without finishing its head.
  while (waiting_.size() >= limits_.max_pending && !arrival_order_.empty()) {
    auto [id, old_fd] = arrival_order_.front();
    arrival_order_.pop_front();
    auto it = waiting_.find(old_fd);
    if (it != waiting_.end() && it->second.id == id) drop(old_fd, nullptr);
  }
  auto id = next_id_++;
  waiting_[fd] = waiting{id, accepted_connection{fd, {}, std::chrono::steady_clock::now()}};
  arrival_order_.emplace_back(id, fd);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) drop(fd, nullptr);
}

void head_collector::drop(int fd, const char* answer) {
  if (answer) (void)::send(fd, answer, std::strlen(answer), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  ::close(fd);
  waiting_.erase(fd);
}

std::size_t head_collector::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_.size();
}

void head_collector::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  std::uint64_t one = 1;
  (void)::write(wake_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  while (!waiting_.empty()) drop(waiting_.begin()->first, nullptr);
  arrival_order_.clear();
}

void head_collector::on_readable(int fd) {
  accepted_connection ready;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = waiting_.find(fd);
    if (it == waiting_.end()) return;
    auto& conn = it->second.conn;
    char buf[4096];
    for (;;) {
      auto room = limits_.max_head_bytes - conn.head.size();  // > 0: a full head was dropped
      auto n = ::recv(fd, buf, std::min(sizeof buf, room), MSG_DONTWAIT);
      if (n > 0) {
        conn.head.append(buf, static_cast<std::size_t>(n));
        if (head_complete(conn.head)) break;
        if (conn.head.size() >= limits_.max_head_bytes) return drop(fd, answer_too_large);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // wait for more
      return drop(fd, nullptr);  // closed by the client or failed before the head was whole
    }
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    ready = std::move(conn);
    waiting_.erase(it);  // its arrival_order_ entry goes stale and is skipped
  }
  ready_(std::move(ready));
}

void head_collector::expire_old() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  while (!arrival_order_.empty()) {
    auto [id, fd] = arrival_order_.front();
    auto it = waiting_.find(fd);
    if (it == waiting_.end() || it->second.id != id) {  // already handed on or dropped
      arrival_order_.pop_front();
      continue;
    }
    if (now - it->second.conn.accepted_at < limits_.head_deadline) break;
    arrival_order_.pop_front();
    drop(fd, answer_timeout);
  }
}

void head_collector::run() {
  epoll_event events[128];
  for (;;) {
    int n = ::epoll_wait(epoll_fd_, events, 128, 100);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    for (int i = 0; i < n; ++i) {
      if (events[i].data.fd == wake_fd_) continue;
      on_readable(events[i].data.fd);
    }
    expire_old();
  }
}

}  // namespace nocturna::webhook
