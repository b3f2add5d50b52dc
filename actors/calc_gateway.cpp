#include "actors/calc_gateway.hpp"

#include <spdlog/spdlog.h>

#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "actors/worker_pool.hpp"
#include "clients/astro/lunar_ephemeris.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "clients/nocturna/remote_positions.hpp"

namespace nocturna::actors {
namespace {

// Each worker is its own thread, so libswe's per-thread state is never shared; the remote
// backend is thread-safe and shared so that its breaker sees every call.
struct calc_worker_state {
  runtime_ptr rt;
  std::shared_ptr<astro::positions_backend> backend;
  // The lunar calendar always uses the embedded ephemeris (rises and eclipses have no remote API).
  astro::swiss_lunar_ephemeris lunar;
  static inline const char* name = "calc_worker";
};

calc_worker_api::behavior_type calc_worker(
    calc_worker_api::stateful_pointer<calc_worker_state> self, runtime_ptr rt,
    std::shared_ptr<astro::positions_backend> shared_backend) {
  replace_printing_handlers(self, "calc_worker");
  self->state.rt = rt;
  self->state.backend = shared_backend;
  return {
      [=](atoms::calc, const msg::chart_query& q) {
        msg::chart_answer answer;
        if (q.deadline_ms != 0 && steady_ms() > q.deadline_ms) {
          answer.error = {astro::calc_error_kind::unavailable, "deadline passed in the queue"};
          return answer;
        }
        auto& st = self->state;
        if (!st.backend) st.backend = std::make_shared<astro::swiss_ephemeris>();
        auto started = steady_ms();
        auto result = astro::build_chart(*st.backend, q.request);
        if (result)
          answer.chart = std::move(result.value());
        else
          answer.error = result.error();
        answer.elapsed_ms = steady_ms() - started;
        st.rt->metrics->observe("nocturna_calc_seconds", "", answer.elapsed_ms / 1000.0);
        if (auto* remote = dynamic_cast<remote::remote_positions*>(st.backend.get()))
          st.rt->health->set_upstream("calc", remote::breaker_state_name(remote->breaker_state()));
        return answer;
      },
      [=](atoms::moon, const msg::moon_query& q) {
        msg::moon_answer answer;
        if (q.deadline_ms != 0 && steady_ms() > q.deadline_ms) {
          answer.error = {astro::calc_error_kind::unavailable, "deadline passed in the queue"};
          return answer;
        }
        auto started = steady_ms();
        auto result = astro::compute_lunar_calendar(self->state.lunar, q.query);
        if (result)
          answer.calendar = std::move(result.value());
        else
          answer.error = result.error();
        self->state.rt->metrics->observe("nocturna_calc_seconds", "",
                                         (steady_ms() - started) / 1000.0);
        return answer;
      },
  };
}

}  // namespace

struct calc_gateway_state {
  worker_pool<calc_worker_api> pool;
  static inline const char* name = "calc_gateway";
};

calc_api::behavior_type calc_gateway(calc_api::stateful_pointer<calc_gateway_state> self,
                                     runtime_ptr rt) {
  replace_printing_handlers(self, "calc_gateway");
  report_crashes(self, rt, "calc_gateway");
  std::shared_ptr<remote::remote_positions> remote;
  std::size_t workers = 2;
  if (const auto& options = rt->options.calc.remote) {
    remote = std::make_shared<remote::remote_positions>(*options);
    workers = 8;  // remote calls mostly wait on the network
    spdlog::info("[calc] backend=remote workers={}", workers);
    rt->health->set_upstream("calc", "closed");
  } else {
    spdlog::info("[calc] backend=embedded ephemeris={} workers={}",
                 astro::swe_probe().files ? "swieph" : "moshier", workers);
    rt->health->set_upstream("calc", "embedded");
  }
  auto shared = std::static_pointer_cast<astro::positions_backend>(remote);
  // Calculations waiting for a worker (CALC_QUEUE_LIMIT); beyond it a query fails at once as
  // unavailable.
  self->state.pool.bound("calc", rt->options.calc.queue_limit, rt->metrics);
  for (std::size_t i = 0; i < workers; ++i)
    self->state.pool.add(self->spawn<caf::detached + caf::linked>(calc_worker, rt, shared));
  // Ends remote calls in flight so the detached workers can stop with the gateway.
  self->attach_functor([remote] {
    if (remote) remote->stop();
  });
  return {
      [=](atoms::calc, msg::chart_query& q) {
        auto deadline = q.deadline_ms;
        return self->state.pool.forward<msg::chart_answer>(
            self, atoms::calc::value, std::move(q), deadline, [](const std::string& why) {
              msg::chart_answer a;
              a.error = {astro::calc_error_kind::unavailable, "calculation deadline: " + why};
              return a;
            });
      },
      [=](atoms::moon, msg::moon_query& q) {
        auto deadline = q.deadline_ms;
        return self->state.pool.forward<msg::moon_answer>(
            self, atoms::moon::value, std::move(q), deadline, [](const std::string& why) {
              msg::moon_answer a;
              a.error = {astro::calc_error_kind::unavailable, "calculation deadline: " + why};
              return a;
            });
      },
      crash_handler("calc_gateway"),
  };
}

caf::actor spawn_calc_gateway(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(calc_gateway, rt));
}

}  // namespace nocturna::actors
