#include "actors/renderer.hpp"

#include <spdlog/spdlog.h>

#include <deque>
#include <map>
#include <mutex>

#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/message_types.hpp"
#include "actors/single_flight.hpp"
#include "actors/worker_pool.hpp"
#include "clients/nocturna/circuit_breaker.hpp"
#include "clients/render/chart_renderer.hpp"
#include "clients/render/chart_service_client.hpp"

namespace nocturna::actors {
namespace {

// The chart service's breaker and 429 pause, shared by the workers: a dead service costs one
// deadline per threshold of pictures, not one per picture (docs/integrations.md §2.6).
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
  // The service needs 12 cusps (docs/integrations.md §2): an unknown birth time has none. Its
  // synastry route needs the partner's too.
  if (q.kind == msg::picture_kind::synastry && (!q.transit || q.transit->houses.empty()))
    return false;
  return !q.chart.houses.empty();
}

render::chart_service_result ask_service(render::chart_service_client& service,
                                         const msg::picture_query& q,
                                         render::chart_service_client::time_point deadline) {
  switch (q.kind) {
    case msg::picture_kind::transit:
      return service.render_transit(q.chart, *q.transit, 1000, deadline);
    case msg::picture_kind::synastry:
      return service.render_synastry(q.chart, *q.transit, 1000, deadline);
    case msg::picture_kind::sky:
    case msg::picture_kind::natal:
      break;
  }
  return service.render_wheel(q.chart, 800, deadline);
}

std::optional<std::string> from_service(picture_worker_state& st, const msg::picture_query& q) {
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
  auto result = ask_service(*st.service, q, deadline);
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

const char* kind_name(msg::picture_kind k) {
  switch (k) {
    case msg::picture_kind::sky:
      return "sky";
    case msg::picture_kind::natal:
      return "natal";
    case msg::picture_kind::transit:
      return "biwheel";
    case msg::picture_kind::synastry:
      return "synastry";
  }
  return "?";
}

std::string draw_builtin(const msg::picture_query& q) {
  switch (q.kind) {
    case msg::picture_kind::sky:
      return render::render_sky(q.chart, q.legend);
    case msg::picture_kind::natal:
      return render::render_natal_wheel(q.chart);
    case msg::picture_kind::transit:
      return render::render_transit_biwheel(q.chart, *q.transit, q.aspects);
    case msg::picture_kind::synastry:
      return render::render_synastry_biwheel(q.chart, *q.transit, q.aspects);
  }
  return {};
}

picture_worker_api::behavior_type picture_worker(
    picture_worker_api::stateful_pointer<picture_worker_state> self, runtime_ptr rt,
    std::shared_ptr<shared_breaker> breaker) {
  replace_printing_handlers(self, "picture_worker");
  auto& st = self->state;
  st.breaker = std::move(breaker);
  st.health = rt->health;
  if (const auto& service = rt->options.renderer.service)
    st.service = std::make_unique<render::chart_service_client>(*service);
  return {
      [=](atoms::render, const msg::picture_query& q) {
        msg::picture_answer answer;
        if ((q.kind == msg::picture_kind::transit || q.kind == msg::picture_kind::synastry) &&
            !q.transit) {
          answer.error = "biwheel without a transit chart";
          return answer;
        }
        if (auto png = from_service(self->state, q)) {
          answer.png = std::move(*png);
          answer.source = "chart_service";
          return answer;
        }
        try {
          const auto started = steady_ms();
          answer.png = draw_builtin(q);
          answer.source = "builtin";
          spdlog::debug("[renderer] drew {} in {} ms", kind_name(q.kind), steady_ms() - started);
        } catch (const std::exception& e) {
          answer.error = std::string("built-in renderer: ") + e.what();
        }
        return answer;
      },
  };
}

}  // namespace

struct renderer_state {
  worker_pool<picture_worker_api> pool;
  // Shared pictures: the ones being drawn (with who waits) and the last few drawn, so the chats
  // asking for the same hour's sky before its file_id is stored do not draw it again.
  single_flight drawing;
  std::map<std::string, std::string> drawn;  // shared key → PNG
  std::deque<std::string> drawn_order;
  static inline const char* name = "renderer";
};

namespace {

constexpr std::size_t shared_picture_limit = 4;

msg::picture_answer picture_failed(const std::string& why) {
  msg::picture_answer a;
  a.error = "picture deadline: " + why;
  return a;
}

void remember_drawn(renderer_api::stateful_pointer<renderer_state> self, const std::string& key,
                    const std::string& png) {
  auto& st = self->state;
  if (png.empty() || st.drawn.count(key)) return;
  st.drawn[key] = png;
  st.drawn_order.push_back(key);
  if (st.drawn_order.size() > shared_picture_limit) {
    st.drawn.erase(st.drawn_order.front());
    st.drawn_order.pop_front();
  }
}

}  // namespace

renderer_api::behavior_type renderer(renderer_api::stateful_pointer<renderer_state> self,
                                     runtime_ptr rt) {
  replace_printing_handlers(self, "renderer");
  report_crashes(self, rt, "renderer");
  auto breaker = std::make_shared<shared_breaker>();
  rt->health->set_upstream("chart", rt->options.renderer.service ? "closed" : "disabled");
  // Pictures waiting to be drawn (RENDER_QUEUE_LIMIT); beyond it a picture fails at once (the text
  // still goes).
  self->state.pool.bound("renderer", rt->options.renderer.queue_limit, rt->metrics);
  for (int i = 0; i < 2; ++i)
    self->state.pool.add(self->spawn<caf::detached + caf::linked>(picture_worker, rt, breaker));
  return {
      [=](atoms::render, msg::picture_query& q) -> caf::result<msg::picture_answer> {
        auto& st = self->state;
        auto deadline = q.deadline_ms;
        if (q.shared_key.empty())
          return st.pool.forward<msg::picture_answer>(self, atoms::render::value, std::move(q),
                                                      deadline, picture_failed);
        const auto key = q.shared_key;
        if (auto it = st.drawn.find(key); it != st.drawn.end()) {
          msg::picture_answer a;
          a.png = it->second;
          a.source = "shared";
          return a;
        }
        auto rp = self->make_response_promise<msg::picture_answer>();
        if (!st.drawing.join(key, rp)) return rp;
        st.pool.ask<msg::picture_answer>(self, atoms::render::value, std::move(q), deadline,
                                         picture_failed, [=](msg::picture_answer a) {
                                           remember_drawn(self, key, a.png);
                                           self->state.drawing.settle(key, a);
                                         });
        return rp;
      },
      crash_handler("renderer"),
  };
}

caf::actor spawn_renderer(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(renderer, rt));
}

}  // namespace nocturna::actors
