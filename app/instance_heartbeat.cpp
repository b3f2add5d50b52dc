#include "app/instance_heartbeat.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace nocturna {

instance_heartbeat::instance_heartbeat(runtime& rt) : rt_(rt) {
  rt_.health->set_owned_chats(0);
  beat();
  thread_ = std::thread([this] {
    const auto period =
        std::chrono::milliseconds(std::max(1000, rt_.options.instances.lease_s * 1000 / 3));
    std::unique_lock<std::mutex> lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      beat();
      lock.lock();
    }
  });
}

instance_heartbeat::~instance_heartbeat() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    if (!db_) db_ = store::open_store(rt_.options.store);
    db_->forget_instance(rt_.instance_id);
    spdlog::info("[instances] instance={} stopped: its chats are released", rt_.instance_id);
  } catch (const std::exception& e) {
    spdlog::error(
        "[instances] instance={} could not release its chats ({}): the others take "
        "them when the lease runs out",
        rt_.instance_id, e.what());
  }
}

void instance_heartbeat::beat() {
  const auto lease_s = rt_.options.instances.lease_s;
  try {
    if (!db_) db_ = store::open_store(rt_.options.store);
    const auto now = now_utc();
    db_->heartbeat(rt_.instance_id, "webhook", "serving", now);
    db_->renew_chat_leases(rt_.instance_id, now + lease_s);
    auto live = db_->live_instances(now - lease_s);
    std::vector<std::pair<std::string, std::string>> peers;
    for (const auto& i : live) {
      peers.emplace_back(i.instance_id, i.role);
      if (i.instance_id == rt_.instance_id) rt_.health->set_owned_chats(i.chats);
    }
    rt_.tree->live_instances = std::max<int>(1, static_cast<int>(live.size()));
    if (live.size() != peers_seen_)
      spdlog::info(
          "[instances] instance={} {} live instances: this one sends at most 1/{} of the "
          "overall limits",
          rt_.instance_id, live.size(), std::max<std::size_t>(1, live.size()));
    peers_seen_ = live.size();
    rt_.health->set_peers(std::move(peers));
  } catch (const std::exception& e) {
    // The next beat opens a fresh connection; the leases last three beats.
    spdlog::error("[instances] instance={} heartbeat failed: {}", rt_.instance_id, e.what());
    db_.reset();
  }
}

}  // namespace nocturna
