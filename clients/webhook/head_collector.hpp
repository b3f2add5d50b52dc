// Gathers the request heads of freshly accepted connections on one epoll thread, so that a
// connection costs a worker thread only once its whole head has arrived (docs/deployment.md,
// "Webhook"). Slow or silent clients wait here, bounded three ways: a deadline for the head
// counted from accept, a size limit for the head, and a cap on waiting connections (the oldest
// is dropped to make room, so a flood of idle connections cannot keep a fresh update out).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

namespace nocturna::webhook {

struct accepted_connection {
  int fd = -1;
  std::string head;  // every byte read so far: the head and perhaps the start of the body
  std::chrono::steady_clock::time_point accepted_at;
};

class head_collector {
 public:
  struct limits {
    std::size_t max_pending = 1024;
    std::size_t max_head_bytes = 16 * 1024;
    std::chrono::milliseconds head_deadline{3000};
  };
  // Called on the collector's thread with a connection whose head is complete; it owns the fd.
  using head_ready_fn = std::function<void(accepted_connection)>;

  head_collector(limits l, head_ready_fn ready);
  ~head_collector();
  head_collector(const head_collector&) = delete;
  head_collector& operator=(const head_collector&) = delete;

  void add(int fd);  // from the accepting thread; takes ownership of fd
  void stop();       // closes every waiting connection; safe to call twice
  std::size_t pending() const;

 private:
  struct waiting {
    std::uint64_t id;
    accepted_connection conn;
  };
  void run();
  void on_readable(int fd);
  void expire_old();
  void drop(int fd, const char* answer);  // under mutex_

  limits limits_;
  head_ready_fn ready_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: stop() wakes the loop
  mutable std::mutex mutex_;
  std::unordered_map<int, waiting> waiting_;                 // by fd
  std::deque<std::pair<std::uint64_t, int>> arrival_order_;  // (id, fd), oldest first
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

// True once `bytes` holds a complete request head (up to the blank line).
bool head_complete(const std::string& bytes);

}  // namespace nocturna::webhook
