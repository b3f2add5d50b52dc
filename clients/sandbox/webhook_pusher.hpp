// Delivers queued updates to the webhook URL on background threads: JSON body, the secret token
// header, one update at a time per chat, retried with a small backoff on anything but 2xx.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "clients/sandbox/update_queue.hpp"

namespace nocturna::sandbox {

class webhook_pusher {
 public:
  webhook_pusher(update_queue& queue, int threads);
  ~webhook_pusher();
  void start();
  void stop();  // call update_queue::stop() first so waiting threads wake

 private:
  void run();
  // Returns "" on success, else the error text Telegram would report.
  std::string post(const delivery& d);

  update_queue& queue_;
  int threads_count_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
};

}  // namespace nocturna::sandbox
