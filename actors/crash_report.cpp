#include "actors/crash_report.hpp"

#include <cxxabi.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

#include "clients/logging.hpp"

namespace nocturna::actors {
namespace {

std::string demangle(const char* name) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> out(abi::__cxa_demangle(name, nullptr, nullptr, &status),
                                             std::free);
  return status == 0 && out ? std::string(out.get()) : std::string(name);
}

// "type: message" of the exception in flight.
std::string describe_exception(const std::exception_ptr& eptr) {
  try {
    std::rethrow_exception(eptr);
  } catch (const std::exception& e) {
    return demangle(typeid(e).name()) + ": " + e.what();
  } catch (...) {
    auto* type = abi::__cxa_current_exception_type();
    return (type ? demangle(type->name()) : std::string("unknown exception")) + ": (no message)";
  }
}

}  // namespace

caf::error crash_error(const runtime& rt, const char* label, std::int64_t chat_id,
                       const std::exception_ptr& eptr) {
  auto what = redact(describe_exception(eptr));
  spdlog::error("[{}] actor={} chat={} crashed: {}", label, label, chat_id, what);
  rt.metrics->add("nocturna_actor_crashes_total", fmt::format("actor=\"{}\"", label));
  return caf::make_error(caf::sec::runtime_error, std::move(what));
}

void declare_crash_metric(const runtime& rt, const char* label) {
  rt.metrics->add("nocturna_actor_crashes_total", fmt::format("actor=\"{}\"", label), 0);
}

void report_crashes(caf::scheduled_actor* self, runtime_ptr rt, const char* label) {
  declare_crash_metric(*rt, label);
  self->set_exception_handler(
      [rt, label](caf::scheduled_actor*, std::exception_ptr& eptr) -> caf::error {
        return crash_error(*rt, label, 0, eptr);
      });
}

std::string describe_exit(const caf::error& reason) {
  if (!reason) return "normal exit";
  if (reason.category() == caf::atom("exit")) {
    switch (static_cast<caf::exit_reason>(reason.code())) {
      case caf::exit_reason::normal:
        return "normal exit";
      case caf::exit_reason::user_shutdown:
        return "shut down";
      case caf::exit_reason::kill:
        return "killed";
      case caf::exit_reason::unhandled_exception:
        return "unhandled exception";
      default:
        break;
    }
  }
  const auto& ctx = reason.context();
  for (std::size_t i = 0; i < ctx.size(); ++i)
    if (ctx.match_element<std::string>(i)) return ctx.get_as<std::string>(i);
  return caf::to_string(reason);
}

}  // namespace nocturna::actors
