// Building the gazetteer in the background (clients/geo/gazetteer_loader.hpp).
#include "clients/geo/gazetteer_loader.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "clients/geo/geonames_child.hpp"
#include "clients/health/heap.hpp"

namespace nocturna::geo {

gazetteer_loader::gazetteer_loader(builder_fn build,
                                   std::function<void(const std::string& error)> failed) {
  thread_ = std::thread([this, build = std::move(build), failed = std::move(failed)] {
    std::shared_ptr<const gazetteer> index;
    std::string error;
    try {
      index = build();
      if (!index) error = "no index built";
    } catch (const std::exception& e) {
      error = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      index_ = std::move(index);
      settled_ = true;
    }
    changed_.notify_all();
    if (!error.empty() && failed) failed(error);
  });
}

gazetteer_loader::gazetteer_loader(std::shared_ptr<const gazetteer> ready)
    : index_(std::move(ready)), settled_(true) {}

gazetteer_loader::~gazetteer_loader() {
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<const gazetteer> gazetteer_loader::get() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_;
}

std::shared_ptr<const gazetteer> gazetteer_loader::wait(int ms) const {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return settled_; });
  return index_;
}

bool gazetteer_loader::settled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return settled_;
}

namespace {

// Plenty for ~1 s of CPU at nice +10 on a busy machine.
constexpr auto child_deadline = std::chrono::seconds(120);

std::shared_ptr<const gazetteer> build_index(alias_table aliases, const std::string& program) {
  if (program.empty()) return gazetteer::from_geonames(std::move(aliases));
  try {
    return gazetteer_from_child(program, aliases, child_deadline);
  } catch (const std::exception& e) {
    spdlog::warn("[geo] {}; reading libgeonames in this process", e.what());
    return gazetteer::from_geonames(std::move(aliases));
  }
}

}  // namespace

std::shared_ptr<gazetteer_loader> load_gazetteer_in_background(
    alias_table aliases, std::function<void(const std::string& error)> failed,
    std::string child_program) {
  auto build = [aliases = std::move(aliases), program = std::move(child_program)]() mutable {
    // Polling and the first updates go first on a small machine; this thread (and the child it
    // starts, which inherits its priority) waits for spare CPU.
    setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    const auto started = std::chrono::steady_clock::now();
    auto index = build_index(std::move(aliases), program);
    // What reading libgeonames left free goes back to the system (the index keeps ~3 MB).
    health::release_free_heap();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    spdlog::info("[geo] gazetteer ready: {} places{}, {:.1f} MiB, built in {} ms", index->size(),
                 index->localised() ? "" : " (no Russian names)", index->memory_bytes() / 1048576.0,
                 ms);
    return index;
  };
  return std::make_shared<gazetteer_loader>(std::move(build), std::move(failed));
}

}  // namespace nocturna::geo
