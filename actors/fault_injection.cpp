#include "actors/fault_injection.hpp"

#include <spdlog/spdlog.h>

#include "actors/crash_report.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

void fault_injector::attach(caf::actor_system* sys,
                            std::vector<std::pair<std::string, caf::atom_value>> labels) {
  std::lock_guard<std::mutex> guard(mutex_);
  sys_ = sys;
  labels_ = std::move(labels);
}

void fault_injector::detach() {
  std::lock_guard<std::mutex> guard(mutex_);
  sys_ = nullptr;
}

bool fault_injector::crash(const std::string& target) {
  std::lock_guard<std::mutex> guard(mutex_);
  if (!sys_) return false;
  const std::string session_prefix = "session:";
  if (target.compare(0, session_prefix.size(), session_prefix) == 0) {
    std::int64_t chat_id = 0;
    try {
      std::size_t used = 0;
      chat_id = std::stoll(target.substr(session_prefix.size()), &used);
      if (used != target.size() - session_prefix.size()) return false;
    } catch (const std::exception&) {
      return false;
    }
    auto dispatcher = find<dispatcher_api>(*sys_);
    if (!dispatcher) return false;
    caf::scoped_actor asker{*sys_};
    bool found = false;
    asker->request(dispatcher, std::chrono::seconds(2), crash_atom::value, chat_id)
        .receive([&](bool ok) { found = ok; }, [](caf::error&) {});
    if (found) spdlog::warn("[fault] crash injected into session:{}", chat_id);
    return found;
  }
  for (const auto& [label, name] : labels_) {
    if (label != target) continue;
    auto actor = services::find(*sys_, name);
    if (!actor) return false;
    spdlog::warn("[fault] crash injected into {}", label);
    caf::anon_send(actor, crash_atom::value);
    return true;
  }
  return false;
}

}  // namespace nocturna::actors
