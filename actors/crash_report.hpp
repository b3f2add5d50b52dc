// Crash reports for operators: an exception escaping any actor gives one log line (actor, chat,
// exception type and message, secrets redacted) and nocturna_actor_crashes_total{actor}, and the
// actor exits with that text as its reason, so the supervisor's restart line says what happened.
// Also the fault injection every supervised actor handles: (crash) throws `injected_fault`.
#pragma once

#include <caf/all.hpp>
#include <stdexcept>
#include <string>

#include "actors/runtime.hpp"

namespace nocturna::actors {

using crash_atom = caf::atom_constant<caf::atom("crash")>;

struct injected_fault : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Installs the exception handler on `self`; `chat_id` 0 for actors that serve no one chat.
void report_crashes(caf::scheduled_actor* self, runtime_ptr rt, std::string label,
                    std::int64_t chat_id = 0);

// A message handler for the behaviour of a supervised actor: (crash) throws inside it.
inline auto crash_handler(const char* label) {
  return [label](crash_atom) -> void {
    throw injected_fault(std::string("fault injected into ") + label);
  };
}

// An exit reason in words: "normal exit", "shut down", or the exception's "type: message".
std::string describe_exit(const caf::error& reason);

}  // namespace nocturna::actors
