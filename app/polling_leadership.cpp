#include "app/polling_leadership.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "clients/store/database_url.hpp"

namespace nocturna {

constexpr int lease_lost_exit_code = 3;

bool polling_leadership::needed(const config& cfg) {
  return cfg.bot_mode == bot_mode::polling && store::is_postgres_url(cfg.database_url);
}

polling_leadership::polling_leadership(const config& cfg, runtime& rt)
    : rt_(rt),
      lease_s_(cfg.instance_lease_s),
      lease_(cfg.database_url, store::polling_lease_key(rt.token), cfg.instance_lease_s) {}

polling_leadership::~polling_leadership() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (keeper_.joinable()) keeper_.join();
  lease_.forget(rt_.instance_id);
}

bool polling_leadership::wait_until_leader() {
  auto& health = *rt_.health;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  // A standby tries about five times per lease, at most once a second: the takeover comes within
  // the time the database needs to notice the old holder's death plus one try.
  const int try_ms = std::clamp(lease_s_ * 200, 200, 1000);
  const timespec tick{try_ms / 1000, (try_ms % 1000) * 1000 * 1000};
  bool waited = false;
  std::string reported;
  while (!lease_.try_acquire()) {
    health.set_peers(lease_.beat(rt_.instance_id, "standby"));
    if (!waited) {
      health.set_role("standby");
      rt_.metrics->set("nocturna_polling_leader", "", 0);
    }
    if (lease_.last_error() != reported) {  // one line per change, not one per try
      reported = lease_.last_error();
      spdlog::info("[lease] instance={} standing by: {}", rt_.instance_id, reported);
    }
    waited = true;
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGINT || sig == SIGTERM) {
      spdlog::info("[lease] instance={} signal while standing by: stopping", rt_.instance_id);
      return false;
    }
  }
  health.set_role("leader");
  health.set_peers(lease_.beat(rt_.instance_id, "leader"));
  rt_.metrics->set("nocturna_polling_leader", "", 1);
  if (waited) rt_.metrics->add("nocturna_lease_takeovers_total", "", 1);
  spdlog::info("[lease] instance={} holds the polling lease{}", rt_.instance_id,
               waited ? " (taken over)" : "");
  return true;
}

void polling_leadership::keep() {
  keeper_ = std::thread([this] {
    const auto period = std::chrono::milliseconds(lease_s_ * 1000 / 3);
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      // The heartbeat is the check: it runs on the lease's own connection, which holds the lock.
      rt_.health->set_peers(lease_.beat(rt_.instance_id, "leader"));
      const bool held = lease_.held();
      lock.lock();
      if (held || stopping_) continue;
      spdlog::critical(
          "[lease] instance={} lost the polling lease ({}): stopping so that two instances never "
          "poll at once",
          rt_.instance_id, lease_.last_error());
      rt_.health->set_role("standby");
      rt_.metrics->set("nocturna_polling_leader", "", 0);
      rt_.control->request_exit(lease_lost_exit_code);
      return;
    }
  });
}

}  // namespace nocturna
