#include "clients/webhook/connection_workers.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace nocturna::webhook {
namespace {

constexpr const char* answer_busy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

}  // namespace

void close_connection(int fd) {
  ::shutdown(fd, SHUT_WR);
  char buf[4096];
  for (int i = 0; i < 16; ++i) {
    auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) break;
  }
  ::close(fd);
}

connection_workers::connection_workers(std::size_t threads, std::size_t max_queued, serve_fn serve)
    : max_queued_(max_queued), serve_(std::move(serve)) {
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
}

connection_workers::~connection_workers() {
  stop();
}

void connection_workers::offer(accepted_connection c) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!stopping_ && queue_.size() < max_queued_) {
      queue_.push_back(std::move(c));
      wake_.notify_one();
      return;
    }
  }
  (void)::send(c.fd, answer_busy, std::strlen(answer_busy), MSG_DONTWAIT | MSG_NOSIGNAL);
  close_connection(c.fd);
}

void connection_workers::work() {
  for (;;) {
    accepted_connection c;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      c = std::move(queue_.front());
      queue_.pop_front();
      serving_.insert(c.fd);
    }
    serve_(c);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      serving_.erase(c.fd);
    }
    close_connection(c.fd);
  }
}

void connection_workers::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (int fd : serving_) ::shutdown(fd, SHUT_RDWR);
    for (auto& c : queue_) ::close(c.fd);
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

}  // namespace nocturna::webhook
