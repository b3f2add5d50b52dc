#include "actors/renderer.hpp"

#include <spdlog/spdlog.h>

#include <mutex>

#include "actors/message_types.hpp"
#include "actors/worker_pool.hpp"
#include "clients/nocturna/circuit_breaker.hpp"
#include "clients/render/chart_renderer.hpp"
#include "clients/render/chart_service_client.hpp"

namespace nocturna::actors {
namespace {

// The chart service's breaker and 429 pause, shared by the workers: a dead service costs one
// deadline per threshold of pictures, not one per picture (integrations.md §2.6).
struct shared_breaker {
  std::mutex mutex;
  remote::circuit_breaker breaker{3, std::chrono::seconds(60)};
  std::chrono::steady_clock::time_point paused_until{};  // after a 429, for its Retry-After
};

// Time kept for the built-in renderer when the service fails at the end of the picture phase.
constexpr std::int64_t builtin_reserve_ms = 2000;
constexpr int default_retry_after_s = 60;

struct picture_worker_state {
  std::unique_ptr<render::chart_service_client> service;
  std::shared_ptr<shared_breaker> breaker;
  std::shared_ptr<health::state> health;
  static inline const char* name = "picture_worker";
};

bool service_can_draw(const msg::picture_query& q) {
  // The service needs 12 cusps (integrations.md §2): an unknown birth time has none.
  return !q.chart.houses.empty();
}

std::optional<std::string> from_service(caf::stateful_actor<picture_worker_state>* self,
                                        const msg::picture_query& q) {
  auto& st = self->state;
  if (!st.service || !service_can_draw(q)) return std::nullopt;
  {
    std::lock_guard lock(st.breaker->mutex);
    auto now = std::chrono::steady_clock::now();
    if (now < st.breaker->paused_until || !st.breaker->breaker.allow(now)) return std::nullopt;
  }
  using std::chrono::milliseconds;
  auto deadline = q.deadline_ms == 0 ? render::chart_service_client::time_point::max()
                                     : render::chart_service_client::time_point(
                                           milliseconds(q.deadline_ms - builtin_reserve_ms));
  auto result = q.kind == msg::picture_kind::transit
                    ? st.service->render_transit(q.chart, *q.transit, 1000, deadline)
                    : st.service->render_wheel(q.chart, 800, deadline);
  std::lock_guard lock(st.breaker->mutex);
  auto now = std::chrono::steady_clock::now();
  if (result) {
    st.breaker->breaker.record_success();
  } else if (result.error().kind == render::chart_service_errc::rate_limited) {
    // Told to slow down, not broken: no breaker failure, a pause instead.
    auto seconds =
        result.error().retry_after_s > 0 ? result.error().retry_after_s : default_retry_after_s;
    st.breaker->paused_until = now + std::chrono::seconds(seconds);
    spdlog::warn("[renderer] chart service asks to wait {} s (429), using the built-in renderer",
                 seconds);
  } else {
    st.breaker->breaker.record_failure(now);
    spdlog::warn("[renderer] chart service failed, using the built-in renderer: {}",
                 result.error().describe());
  }
  st.health->set_upstream("chart", remote::breaker_state_name(st.breaker->breaker.current(now)));
  if (!result) return std::nullopt;
  return std::move(result.png());
}

std::string draw_builtin(const msg::picture_query& q) {
  switch (q.kind) {
    case msg::picture_kind::sky:
      return render::render_sky(q.chart, q.legend);
    case msg::picture_kind::natal:
      return render::render_natal_wheel(q.chart);
    case msg::picture_kind::transit:
      return render::render_transit_biwheel(q.chart, *q.transit, q.aspects);
  }
  return {};
}

caf::behavior picture_worker(caf::stateful_actor<picture_worker_state>* self, runtime_ptr rt,
                             std::shared_ptr<shared_breaker> breaker) {
  auto& st = self->state;
  st.breaker = std::move(breaker);
  st.health = rt->health;
  if (rt->cfg.chart_service_enabled()) {
    render::chart_service_config c;
    c.base_url = rt->cfg.chart_service_url;
    c.api_key = rt->cfg.chart_service_api_key;
    c.timeout = std::chrono::seconds(rt->cfg.chart_service_timeout_s);
    st.service = std::make_unique<render::chart_service_client>(c);
  }
  return {
      [=](atoms::render, const msg::picture_query& q) {
        msg::picture_answer answer;
        if (q.kind == msg::picture_kind::transit && !q.transit) {
          answer.error = "biwheel without a transit chart";
          return answer;
        }
        if (auto png = from_service(self, q)) {
          answer.png = std::move(*png);
          answer.source = "chart_service";
          return answer;
        }
        try {
          answer.png = draw_builtin(q);
          answer.source = "builtin";
        } catch (const std::exception& e) {
          answer.error = std::string("built-in renderer: ") + e.what();
        }
        return answer;
      },
  };
}

}  // namespace

struct renderer_state {
  worker_pool pool;
  static inline const char* name = "renderer";
};

caf::behavior renderer(caf::stateful_actor<renderer_state>* self, runtime_ptr rt) {
  auto breaker = std::make_shared<shared_breaker>();
  rt->health->set_upstream("chart", rt->cfg.chart_service_enabled() ? "closed" : "disabled");
  for (int i = 0; i < 2; ++i)
    self->state.pool.add(self->spawn<caf::detached + caf::linked>(picture_worker, rt, breaker));
  return {
      [=](atoms::render, msg::picture_query& q) {
        auto deadline = q.deadline_ms;
        return self->state.pool.forward<msg::picture_answer>(
            self, atoms::render::value, std::move(q), deadline, [](const std::string& why) {
              msg::picture_answer a;
              a.error = "picture deadline: " + why;
              return a;
            });
      },
  };
}

caf::actor spawn_renderer(caf::event_based_actor* parent, runtime_ptr rt) {
  return parent->spawn<caf::monitored>(renderer, rt);
}

}  // namespace nocturna::actors
