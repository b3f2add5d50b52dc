// A fixed number of threads serving connections whose head is complete, from a bounded queue:
// when the queue is full the connection is refused at once (503, Telegram retries) instead of
// waiting behind others (docs/deployment.md, "Webhook").
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "clients/webhook/head_collector.hpp"

namespace nocturna::webhook {

class connection_workers {
 public:
  // `serve` answers the connection; the workers close its fd afterwards.
  using serve_fn = std::function<void(accepted_connection&)>;
  connection_workers(std::size_t threads, std::size_t max_queued, serve_fn serve);
  ~connection_workers();
  connection_workers(const connection_workers&) = delete;
  connection_workers& operator=(const connection_workers&) = delete;

  // Queues `c`, or answers 503 and closes it when the queue is full or stopping.
  void offer(accepted_connection c);
  // Closes the queued connections, cuts the ones being served short and joins the threads.
  void stop();

 private:
  void work();

  std::size_t max_queued_;
  serve_fn serve_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<accepted_connection> queue_;
  std::set<int> serving_;  // fds being served, shut down by stop()
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

// Ends a served connection politely: FIN after the answer, then whatever the client already
// sent is discarded (a little, without waiting) so the answer is not lost to a reset.
void close_connection(int fd);

}  // namespace nocturna::webhook
