#include "actors/poll_watchdog.hpp"

#include <spdlog/spdlog.h>

#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "protocol/poll_watchdog.hpp"

namespace nocturna::actors {
namespace {

constexpr auto check_interval = std::chrono::seconds(5);

void check(watchdog_api::pointer self, const runtime_ptr& rt) {
  auto& watch = *rt->poll_watch;
  auto since = watch.in_flight_since_ms.load();
  auto now = steady_ms();
  if (poll_stalled(now, since, rt->options.poller.poll_timeout_s) && !rt->control->stopping) {
    spdlog::warn("[watchdog] actor=poller getUpdates in flight for {} s: aborting it, reconnecting",
                 (now - since) / 1000);
    rt->metrics->add("nocturna_poll_watchdog_aborts_total");
    watch.replace_client = true;
    // Once per stalled call: the poller sets a new start time with its next poll.
    watch.in_flight_since_ms.compare_exchange_strong(since, 0);
    rt->poll->abort_all();
  }
  self->delayed_send(self, check_interval, atoms::poll::value);
}

}  // namespace

watchdog_api::behavior_type poll_watchdog(watchdog_api::pointer self, runtime_ptr rt) {
  replace_printing_handlers(self, "poll_watchdog");
  report_crashes(self, rt, "watchdog");
  self->delayed_send(self, check_interval, atoms::poll::value);
  return {
      [=](atoms::poll) { check(self, rt); },
      crash_handler("watchdog"),
  };
}

caf::actor spawn_poll_watchdog(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(poll_watchdog, std::move(rt)));
}

}  // namespace nocturna::actors
