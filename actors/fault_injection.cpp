#include "actors/fault_injection.hpp"

#include <spdlog/spdlog.h>

#include "actors/crash_report.hpp"
#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {
namespace {

// (crash) to the running service of interface `Api`; false when it is not running.
template <class Api>
bool crash_service(caf::actor_system& sys) {
  auto service = find<Api>(sys);
  if (!service) return false;
  caf::anon_send(service, crash_atom::value);
  return true;
}

// The service registered under `name`, reached through its typed interface (actors/interfaces.hpp).
// Both intakes share the poller's name, and both take (crash): the poller's interface reaches
// either.
template <class... Apis>
bool crash_registered(caf::actor_system& sys, caf::atom_value name) {
  bool crashed = false;
  ((service_name<Apis>::value == name && (crashed = crash_service<Apis>(sys), true)) || ...);
  return crashed;
}

}  // namespace

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
    bool crashed =
        crash_registered<store_api, sender_api, dispatcher_api, calc_api, renderer_api, llm_api,
                         inline_api, poller_api, scheduler_api, watchdog_api>(*sys_, name);
    if (crashed) spdlog::warn("[fault] crash injected into {}", label);
    return crashed;
  }
  return false;
}

}  // namespace nocturna::actors
