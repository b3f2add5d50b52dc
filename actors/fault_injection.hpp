// Fault injection for tests (FAULT_INJECTION=on, never in production): throws inside a named
// supervised actor — a label as /health lists it, or "session:CHAT_ID" — so the crash reports,
// the supervisor's restarts and the re-runs can be exercised on the real binary. Thread-safe:
// the health server's threads call crash().
#pragma once

#include <caf/all.hpp>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace nocturna::actors {

class fault_injector {
 public:
  // The actor system and each supervised child's (label, registry name).
  void attach(caf::actor_system* sys, std::vector<std::pair<std::string, caf::atom_value>> labels);
  void detach();
  // True when `target` names a running actor, which then throws; false for an unknown name.
  bool crash(const std::string& target);

 private:
  std::mutex mutex_;
  caf::actor_system* sys_ = nullptr;
  std::vector<std::pair<std::string, caf::atom_value>> labels_;
};

}  // namespace nocturna::actors
