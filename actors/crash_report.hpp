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

// Installs the exception handler on `self`, an actor that serves no one chat; declares its
// nocturna_actor_crashes_total at 0.
void report_crashes(caf::scheduled_actor* self, runtime_ptr rt, const char* label);

// What the handler does, for an actor that installs its own (a session: actors/session.cpp): the
// log line and the metric of an exception escaping `label`'s actor, and the exit reason it becomes.
caf::error crash_error(const runtime& rt, const char* label, std::int64_t chat_id,
                       const std::exception_ptr& eptr);
// nocturna_actor_crashes_total{actor=label} at 0, so that the series exists before any crash.
void declare_crash_metric(const runtime& rt, const char* label);

// A message handler for the behaviour of a supervised actor: (crash) throws inside it.
inline auto crash_handler(const char* label) {
  return [label](crash_atom) -> void {
    throw injected_fault(std::string("fault injected into ") + label);
  };
}

// An exit reason in words: "normal exit", "shut down", or the exception's "type: message".
std::string describe_exit(const caf::error& reason);

}  // namespace nocturna::actors
