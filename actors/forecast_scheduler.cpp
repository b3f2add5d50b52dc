#include "actors/forecast_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <deque>
#include <map>
#include <set>

#include "actors/ask_store.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/personal_chart.hpp"
#include "clients/astro/civil_time.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/astro/forecast_time.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "clients/store/store.hpp"
#include "protocol/html.hpp"
#include "protocol/reports.hpp"
#include "protocol/router.hpp"

namespace nocturna::actors {
namespace {

constexpr auto check_interval = std::chrono::seconds(30);
// Forecasts prepared at once; the rest wait in line. Enough to keep the sender's broadcast lane
// (20/s) busy while each forecast is loaded, calculated and claimed.
constexpr std::size_t max_parallel = 32;
constexpr std::int64_t calc_deadline_ms = 60'000;
constexpr std::int64_t send_deadline_ms = 60'000;
constexpr auto store_wait = std::chrono::seconds(30);
constexpr std::size_t message_limit = 4096;
constexpr std::size_t part_budget = 4000;

// One forecast on its way: what the due-check saw, then what was loaded and built.
struct forecast_job {
  std::int64_t user = 0;
  store::subscription_record seen;  // the subscription as read by the check
  std::int64_t due = 0;
  std::string local_date;  // YYYY-MM-DD of the due in the subscription's zone
  personal_ptr data;  // birth data, house system, cached natal chart (actors/personal_chart.hpp)
  std::optional<astro::chart> natal;
  std::vector<std::string> parts;  // the T_FORECAST message(s)
};
using job_ptr = std::shared_ptr<forecast_job>;

// T_FORECAST in parts of ≤ 4000 units if it is long.
std::vector<std::string> forecast_parts(const runtime& rt, const astro::chart& natal,
                                        const astro::chart& transit,
                                        const std::vector<astro::aspect>& aspects,
                                        const std::string& local_date,
                                        const std::optional<std::string>& llm_text) {
  auto text = forecast_message(rt, natal, transit, aspects, local_date, llm_text);
  if (html::visible_length(text) <= message_limit) return {text};
  return html::split(text, part_budget);
}

}  // namespace

std::string forecast_message(const runtime& rt, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             const std::string& local_date,
                             const std::optional<std::string>& llm_text) {
  auto block =
      llm_text ? reports::interpretation_block(reports::purpose::transits, *llm_text, false, false)
               : reports::interpretation_block(
                     reports::purpose::transits,
                     interpret::transits_text(*rt.meanings, transit, transit_to_natal), true,
                     rt.cfg.llm_enabled());
  return reports::forecast_text(transit_to_natal, astro::iso_to_dmy(local_date), !natal.time_known,
                                block);
}

struct forecast_scheduler_state {
  runtime_ptr rt;
  bool checking = false;
  std::set<std::int64_t> busy;  // users with a forecast or a next-due write under way
  std::deque<job_ptr> queue;
  std::size_t running = 0;
  std::map<std::int64_t, std::int64_t> retry_at;  // user → unix s of the next attempt
  static inline const char* name = "forecast_scheduler";
};

namespace {

using self_ptr = scheduler_api::stateful_pointer<forecast_scheduler_state>;

void pump(self_ptr self);
void retry_later(self_ptr self, std::int64_t user, std::int64_t at);

// A request to the store (actors/store_requests.hpp) for `user` (0: none); a failure is logged.
template <class Answer, class... Request>
void store_ask(self_ptr self, std::int64_t user, std::string what,
               std::function<void(store_outcome<Answer>)> k, Request... request) {
  auto log = [user, what = std::move(what)](const std::string& why) {
    if (user == 0) return spdlog::error("[forecast] {} failed: {}", what, why);
    spdlog::error("[forecast] user={} {} failed: {}", user, what, why);
  };
  ask_store<Answer>(self, store_wait, log, std::move(k), std::move(request)...);
}

void calculate(self_ptr self, astro::chart_request request,
               std::function<void(msg::chart_answer&)> k) {
  auto gateway = find<calc_api>(self->system());
  if (!gateway) {
    msg::chart_answer a;
    a.error = {astro::calc_error_kind::unavailable, "calculation gateway not running"};
    return k(a);
  }
  msg::chart_query q{std::move(request), steady_ms() + calc_deadline_ms};
  self->request(gateway, std::chrono::milliseconds(calc_deadline_ms + 1000), atoms::calc::value,
                std::move(q))
      .then([=](msg::chart_answer& a) { k(a); },
            [=](caf::error& e) {
              msg::chart_answer a;
              a.error = {astro::calc_error_kind::unavailable, self->system().render(e)};
              k(a);
            });
}

// Stores `next` as the subscription's next due (unless it changed meanwhile), then runs `k`.
void store_next_due(self_ptr self, std::int64_t user, const store::subscription_record& seen,
                    std::int64_t next, std::function<void()> k) {
  self->state.busy.insert(user);
  // Stored only if the subscription is still the one the check read: a /subscribe,
  // /unsubscribe or new birth data in between wins.
  store_ask<void>(
      self, user, "set next due",
      [=](bool) {
        self->state.busy.erase(user);
        k();
      },
      atoms::next_due::value, user, seen, next);
}

// A due forecast that is not sent: logged, and the subscription moves on to its next due.
void skip(self_ptr self, std::int64_t user, const store::subscription_record& seen,
          std::int64_t due, const std::string& why, std::function<void()> k) {
  auto next = astro::next_due_after(seen.time, seen.zone, due, now_utc());
  if (!next) {
    spdlog::error("[forecast] user={} forecast due {} skipped ({}); no next due: {}", user,
                  astro::format_iso_utc(due), why, next.error().detail);
    return k();
  }
  spdlog::info("[forecast] user={} forecast due {} skipped ({}); next due {}", user,
               astro::format_iso_utc(due), why, astro::format_iso_utc(next.value()));
  self->state.rt->metrics->add("nocturna_forecasts_total", "result=\"skipped\"");
  store_next_due(self, user, seen, next.value(), std::move(k));
}

void finish(self_ptr self, const job_ptr& job) {
  auto& st = self->state;
  --st.running;
  st.busy.erase(job->user);
  pump(self);
}

// A calculation (or store) failure: tried again in 10 min while that is inside the 60-min window,
// else the day's forecast is skipped.
void failed(self_ptr self, const job_ptr& job, const std::string& why) {
  auto now = now_utc();
  auto at = now + astro::forecast_retry_s;
  if (at - job->due < astro::forecast_window_s) {
    spdlog::warn("[forecast] user={} forecast for {} failed: {}; retry in 10 min", job->user,
                 job->local_date, why);
    self->state.rt->metrics->add("nocturna_forecasts_total", "result=\"retry\"");
    retry_later(self, job->user, at);
    return finish(self, job);
  }
  skip(self, job->user, job->seen, job->due, "failed: " + why + ", no retry left in the window",
       [=] { finish(self, job); });
}

void send_part(self_ptr self, const job_ptr& job, std::size_t i);

void on_sent(self_ptr self, const job_ptr& job, std::size_t i, const bot::api_response& r) {
  if (r.succeeded()) return send_part(self, job, i + 1);
  auto user = job->user;
  if (r.kind == bot::outcome::chat_gone) {
    spdlog::warn("[forecast] user={} chat is gone ({}): subscription switched off (blocked)", user,
                 r.description);
    self->state.rt->metrics->add("nocturna_forecasts_total", "result=\"blocked\"");
    return store_ask<bool>(
        self, user, "disable subscription", [=](std::optional<bool>) { finish(self, job); },
        atoms::disable_sub::value, user, std::string("blocked"));
  }
  // The date is claimed: no second attempt today (at most one forecast per local day).
  spdlog::error("[forecast] user={} forecast for {} not delivered (part {} of {}): {} {}", user,
                job->local_date, i + 1, job->parts.size(), bot::outcome_name(r.kind),
                r.description);
  self->state.rt->metrics->add("nocturna_forecasts_total", "result=\"failed\"");
  finish(self, job);
}

void send_part(self_ptr self, const job_ptr& job, std::size_t i) {
  if (i >= job->parts.size()) {
    spdlog::info("[forecast] user={} forecast for {} sent ({} message(s))", job->user,
                 job->local_date, job->parts.size());
    self->state.rt->metrics->add("nocturna_forecasts_total", "result=\"sent\"");
    return finish(self, job);
  }
  msg::bot_call call;
  call.chat_id = job->user;  // a forecast goes to the user's private chat
  call.method = "sendMessage";
  call.json_body = bot::send_message_body(job->user, job->parts[i], true);
  call.lane = msg::send_lane::broadcast;
  call.deadline_ms = steady_ms() + send_deadline_ms;
  auto sender = find<sender_api>(self->system());
  if (!sender) return on_sent(self, job, i, bot::network_failure("sender not running"));
  self->request(sender, std::chrono::milliseconds(send_deadline_ms + 5000), std::move(call))
      .then([=](bot::api_response& r) { on_sent(self, job, i, r); },
            [=](caf::error& e) {
              on_sent(self, job, i, bot::network_failure(self->system().render(e)));
            });
}

// The claim of the local date and the next due, in one store job, before the first send.
void claim(self_ptr self, const job_ptr& job) {
  auto next = astro::next_due_after(job->seen.time, job->seen.zone, job->due, now_utc());
  if (!next) return failed(self, job, "next due: " + next.error().detail);
  using result = msg::forecast_claim::result;
  auto user = job->user;
  auto next_due = next.value();
  store_ask<msg::forecast_claim>(
      self, user, "claim forecast",
      [=](std::optional<msg::forecast_claim> claim) {
        if (!claim) return failed(self, job, "store failure while claiming");
        switch (claim->value) {
          case result::changed:
            spdlog::info("[forecast] user={} subscription changed while preparing: not sent", user);
            return finish(self, job);
          case result::already:
            spdlog::info("[forecast] user={} forecast for {} already claimed: not sent", user,
                         job->local_date);
            return finish(self, job);
          case result::claimed:
            spdlog::debug("[forecast] user={} claimed {}; next due {}", user, job->local_date,
                          astro::format_iso_utc(next_due));
            return send_part(self, job, 0);
        }
      },
      atoms::claim_forecast::value, user, job->seen, job->local_date, next_due);
}

// The model's text for a forecast: not counted against the daily limit, its deadline the
// generation start + OPENROUTER_TIMEOUT (docs/behaviour.md §7.2); nothing when the LLM is off or
// fails.
void interpret_transits(self_ptr self, const job_ptr& job, const astro::chart& transit,
                        const std::vector<astro::aspect>& aspects,
                        std::function<void(std::optional<std::string>)> k) {
  auto llm = find<llm_api>(self->system());
  if (!llm) return k(std::nullopt);
  msg::llm_query q;
  q.purpose = llm::purpose::transits;
  q.background = true;
  q.data = llm::transits_input(*job->natal, transit, aspects, astro::iso_to_dmy(job->local_date));
  auto timeout = std::chrono::seconds(self->state.rt->cfg.openrouter_timeout_s);
  q.deadline_ms = steady_ms() + std::chrono::milliseconds(timeout).count();
  auto user = job->user;
  self->request(llm, timeout, atoms::interpret::value, std::move(q))
      .then(
          [=](msg::llm_answer& a) {
            if (!a.text) spdlog::warn("[forecast] user={} LLM text not used: {}", user, a.error);
            k(a.text);
          },
          [=](caf::error& e) {
            spdlog::warn("[forecast] user={} LLM text not used: {}", user,
                         self->system().render(e));
            k(std::nullopt);
          });
}

// The transit sky at the due moment for the birth place, its aspects to the natal chart, the text.
void compose(self_ptr self, const job_ptr& job) {
  const auto& b = *job->data->birth;
  auto request =
      astro::chart_request::at_utc(job->due, b.latitude, b.longitude, b.zone, job->data->system);
  calculate(self, std::move(request), [=](msg::chart_answer& a) {
    if (!a.chart) return failed(self, job, "transit chart: " + a.error.detail);
    auto transit = std::make_shared<astro::chart>(std::move(*a.chart));
    auto aspects = astro::transit_aspects(*job->natal, *transit);
    interpret_transits(self, job, *transit, aspects, [=](std::optional<std::string> text) {
      job->parts =
          forecast_parts(*self->state.rt, *job->natal, *transit, aspects, job->local_date, text);
      claim(self, job);
    });
  });
}

// The scheduler's store and calculation calls for the shared steps of actors/personal_chart.hpp.
personal_ports ports_of(self_ptr self) {
  return {
      [=](std::int64_t user, std::function<void(std::optional<personal_data>)> k) {
        store_ask<personal_data>(self, user, "load birth data", std::move(k),
                                 atoms::load_personal::value, user);
      },
      [=](std::int64_t user, std::int64_t version, char system, std::string json,
          std::function<void()> k) {
        store_ask<bool>(
            self, user, "cache natal chart", [=](std::optional<bool>) { k(); },
            atoms::cache_natal::value, user, version, system, std::move(json));
      },
      [=](astro::chart_request request, std::function<void(msg::chart_answer&)> k) {
        calculate(self, std::move(request), std::move(k));
      },
  };
}

// The natal chart from the cache, else calculated and cached.
void with_natal(self_ptr self, const job_ptr& job) {
  natal_failure_handlers on_failure{
      [=] {
        skip(self, job->user, job->seen, job->due, "stored birth data malformed",
             [=] { finish(self, job); });
      },
      [=](const astro::calc_error& e) { failed(self, job, "natal chart: " + e.detail); },
  };
  auto k = [=](const astro::chart& natal) {
    job->natal = natal;
    compose(self, job);
  };
  obtain_natal_chart(ports_of(self), job->user, job->data, k, std::move(on_failure));
}

void prepare(self_ptr self, const job_ptr& job) {
  auto user = job->user;
  load_personal_data(ports_of(self), user, [=](personal_ptr data) {
    if (!data) return failed(self, job, "store failure while loading birth data");
    if (!data->birth)
      return skip(self, user, job->seen, job->due, "no birth data", [=] { finish(self, job); });
    job->data = std::move(data);
    with_natal(self, job);
  });
}

void pump(self_ptr self) {
  auto& st = self->state;
  while (st.running < max_parallel && !st.queue.empty()) {
    auto job = std::move(st.queue.front());
    st.queue.pop_front();
    ++st.running;
    spdlog::info("[forecast] user={} forecast due {} for {}: preparing", job->user,
                 astro::format_iso_utc(job->due), job->local_date);
    prepare(self, job);
  }
}

// Due forecasts queued, and users with a retry time, at most (FORECAST_QUEUE_LIMIT): the rest wait
// for the next check.
std::size_t queue_limit(self_ptr self) {
  return static_cast<std::size_t>(self->state.rt->cfg.forecast_queue_limit);
}

// A retry in 10 minutes, remembered while the map has room; without room the user is simply
// looked at again by the next check.
void retry_later(self_ptr self, std::int64_t user, std::int64_t at) {
  auto& st = self->state;
  if (st.retry_at.size() >= queue_limit(self) && !st.retry_at.count(user)) {
    st.rt->metrics->add("nocturna_queue_refused_total", "queue=\"forecast_retry\",reason=\"full\"");
    spdlog::warn("[forecast] user={} retry not remembered: {} retries held (limit {})", user,
                 st.retry_at.size(), queue_limit(self));
    return;
  }
  st.retry_at[user] = at;
}

// One subscription returned by the due query: schedule it, skip it, or queue its forecast.
// Returns false when the queue is full (the rest wait for the next check).
bool consider(self_ptr self, const store::due_subscription& d, std::int64_t now) {
  auto& st = self->state;
  auto user = d.user_id;
  const auto& sub = d.subscription;
  if (st.busy.count(user)) return true;
  if (auto it = st.retry_at.find(user); it != st.retry_at.end()) {
    if (it->second > now) return true;
    st.retry_at.erase(it);
  }
  if (st.queue.size() >= queue_limit(self)) return false;
  if (!sub.next_due_utc) {
    auto next = astro::next_due_utc(sub.time, sub.zone, now);
    if (!next) {
      spdlog::error("[forecast] user={} cannot schedule {} in {}: {}", user, sub.time, sub.zone,
                    next.error().detail);
      retry_later(self, user, now + astro::forecast_retry_s);
      return true;
    }
    spdlog::info("[forecast] user={} scheduled at {} {}: next due {}", user, sub.time, sub.zone,
                 astro::format_iso_utc(next.value()));
    store_next_due(self, user, sub, next.value(), [] {});
    return true;
  }
  auto due = *sub.next_due_utc;
  auto date = astro::local_date_at(due, sub.zone);
  if (!date) {
    spdlog::error("[forecast] user={} zone {}: {}", user, sub.zone, date.error().detail);
    retry_later(self, user, now + astro::forecast_retry_s);
    return true;
  }
  switch (astro::check_due(due, date.value(), sub.last_sent_local_date, now)) {
    case astro::due_verdict::not_yet_due:
      return true;
    case astro::due_verdict::sent_today:
      skip(self, user, sub, due, "already sent for " + date.value(), [] {});
      return true;
    case astro::due_verdict::missed:
      skip(self, user, sub, due, "missed: " + std::to_string((now - due) / 60) + " min late",
           [] {});
      return true;
    case astro::due_verdict::send:
      break;
  }
  auto job = std::make_shared<forecast_job>();
  job->user = user;
  job->seen = sub;
  job->due = due;
  job->local_date = date.value();
  st.busy.insert(user);
  st.queue.push_back(std::move(job));
  return true;
}

void check(self_ptr self) {
  auto& st = self->state;
  if (st.checking) return;
  st.checking = true;
  auto now = now_utc();
  store_ask<std::vector<store::due_subscription>>(
      self, 0, "load due subscriptions",
      [=](std::optional<std::vector<store::due_subscription>> due) {
        auto& st = self->state;
        st.checking = false;
        if (!due) return;
        // Retries whose time has passed are forgotten: the due query brings their users back.
        for (auto it = st.retry_at.begin(); it != st.retry_at.end();)
          it = it->second <= now ? st.retry_at.erase(it) : std::next(it);
        std::size_t left = 0;
        for (const auto& d : *due)
          if (!consider(self, d, now)) ++left;
        if (left > 0) {
          st.rt->metrics->add("nocturna_queue_refused_total", "queue=\"forecast\",reason=\"full\"",
                              static_cast<double>(left));
          spdlog::warn(
              "[forecast] {} due forecast(s) wait for the next check: {} queued (limit {})", left,
              st.queue.size(), queue_limit(self));
        }
        pump(self);
      },
      atoms::due_subs::value, now);
}

}  // namespace

scheduler_api::behavior_type forecast_scheduler(self_ptr self, runtime_ptr rt) {
  replace_printing_handlers(self, "forecast_scheduler");
  report_crashes(self, rt, "scheduler");
  self->state.rt = std::move(rt);
  self->send(self, atoms::tick::value);  // the start-up check
  return {
      [=](atoms::tick) {
        const auto& control = *self->state.rt->control;
        if (control.stopping || control.exit_requested()) return;
        self->delayed_send(self, check_interval, atoms::tick::value);
        check(self);
      },
      crash_handler("scheduler"),
  };
}

caf::actor spawn_forecast_scheduler(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(
      parent->spawn<caf::monitored>(forecast_scheduler, std::move(rt)));
}

}  // namespace nocturna::actors
