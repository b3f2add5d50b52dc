#include "actors/inline_answerer.hpp"

#include <spdlog/spdlog.h>

#include <ctime>
#include <deque>
#include <map>

#include "actors/ask_store.hpp"
#include "actors/calc_request.hpp"
#include "actors/crash_report.hpp"
#include "actors/default_handlers.hpp"
#include "actors/forecast_scheduler.hpp"
#include "actors/intake.hpp"
#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "clients/astro/chart_json.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/astro/forecast_time.hpp"
#include "clients/astro/lunar_display.hpp"
#include "clients/interpret/moon_message.hpp"
#include "clients/store/store.hpp"
#include "protocol/inline_answer.hpp"
#include "protocol/reports.hpp"

namespace nocturna::actors {
namespace {

constexpr std::size_t max_in_flight = 64;
constexpr std::size_t forecast_cache_limit = 10'000;
// Telegram accepts an answer within about 10 s of the query.
constexpr std::int64_t answer_deadline_ms = 8'000;
constexpr auto sender_wait = std::chrono::seconds(15);

// What one query gathers before it is answered.
struct query_work {
  bot::inline_query q;
  std::int64_t update_id = 0;
  std::int64_t deadline_ms = 0;
  std::optional<store::birth_record> birth;
  char system = 'P';
  std::optional<store::natal_cache_record> natal_cache;
  std::vector<bot::inline_card> cards;
};
using work_ptr = std::shared_ptr<query_work>;

}  // namespace

struct inline_answerer_state {
  runtime_ptr rt;
  std::string bot_username;
  std::size_t in_flight = 0;
  // (user, local date) → the forecast text; the oldest entries leave first.
  std::map<std::pair<std::int64_t, std::string>, std::string> forecasts;
  std::deque<std::pair<std::int64_t, std::string>> forecast_order;
  static inline const char* name = "inline";
};

namespace {

using self_ptr = inline_api::stateful_pointer<inline_answerer_state>;

// One question to the calculations gateway within the query's deadline.
template <class Answer, class Atom, class Query>
void ask_calc(self_ptr self, const work_ptr& w, Atom atom, Query q,
              std::function<void(Answer&)> k) {
  auto wait = std::chrono::milliseconds(std::max<std::int64_t>(1, w->deadline_ms - steady_ms()));
  ask_calc_gateway<Answer>(self, wait, atom, std::move(q), std::move(k));
}

void remember_forecast(self_ptr self, std::pair<std::int64_t, std::string> key, std::string text) {
  auto& st = self->state;
  if (st.forecasts.emplace(key, std::move(text)).second) st.forecast_order.push_back(key);
  while (st.forecast_order.size() > forecast_cache_limit) {
    st.forecasts.erase(st.forecast_order.front());
    st.forecast_order.pop_front();
  }
}

void finish(self_ptr self, const work_ptr& w) {
  auto& st = self->state;
  const bool personal = w->birth.has_value();
  for (auto& c : w->cards) c.text_html = bot::fit_inline_text(c.text_html, st.bot_username);
  auto body = bot::answer_inline_query_body(w->q.id, w->cards, bot::inline_cache_time_s, personal);
  auto sender = find<sender_api>(self->system());
  if (!sender) {
    --st.in_flight;
    spdlog::warn("[inline] user={} update={} not answered: sender not running", w->q.from.id,
                 w->update_id);
    return;
  }
  self->request(sender, sender_wait, chatless_call("answerInlineQuery", body))
      .then(
          [=](bot::api_response& r) {
            --self->state.in_flight;
            if (r.succeeded())
              spdlog::debug("[inline] user={} update={} answered with {} cards", w->q.from.id,
                            w->update_id, w->cards.size());
            else
              spdlog::warn("[inline] user={} update={} answerInlineQuery failed: {}", w->q.from.id,
                           w->update_id, r.description);
          },
          [=](caf::error& e) {
            --self->state.in_flight;
            spdlog::warn("[inline] user={} update={} answerInlineQuery failed: {}", w->q.from.id,
                         w->update_id, self->system().render(e));
          });
}

// «Мой прогноз на сегодня»: the natal chart (cached or calculated), the sky now at the birth
// place, the forecast text; kept for the rest of the local day.
void forecast_card(self_ptr self, const work_ptr& w) {
  const auto& b = *w->birth;
  auto now = now_utc() / 60 * 60;
  auto label = astro::label_at(now, b.zone);
  auto date = astro::local_date_at(now, b.zone);
  auto local_date = date ? date.value() : std::string();
  auto key = std::make_pair(w->q.from.id, local_date);
  auto add = [=](const std::string& text) {
    w->cards.push_back(
        {"forecast", "Мой прогноз на сегодня", "Персональные транзиты на " + label.date, text});
    finish(self, w);
  };
  if (auto it = self->state.forecasts.find(key); it != self->state.forecasts.end())
    return add(it->second);
  auto with_natal = [=](std::shared_ptr<astro::chart> natal) {
    auto request = astro::chart_request::at_utc(now, b.latitude, b.longitude, b.zone, w->system);
    ask_calc<msg::chart_answer>(
        self, w, atoms::calc::value, msg::chart_query{request, w->deadline_ms},
        [=](msg::chart_answer& a) {
          if (!a.chart) {
            spdlog::warn("[inline] user={} forecast left out: {}", w->q.from.id, a.error.detail);
            return finish(self, w);
          }
          auto aspects = astro::transit_aspects(*natal, *a.chart);
          auto text = forecast_message(*self->state.rt, *natal, *a.chart, aspects, local_date,
                                       std::nullopt);
          remember_forecast(self, key, text);
          add(text);
        });
  };
  if (w->natal_cache)
    if (auto cached = astro::chart_from_json(w->natal_cache->chart_json))
      return with_natal(std::make_shared<astro::chart>(std::move(*cached)));
  auto request = astro::natal_request({b.date, b.time, b.zone, b.latitude, b.longitude}, w->system);
  if (!request) return finish(self, w);
  ask_calc<msg::chart_answer>(self, w, atoms::calc::value,
                              msg::chart_query{*request, w->deadline_ms},
                              [=](msg::chart_answer& a) {
                                if (!a.chart) return finish(self, w);
                                with_natal(std::make_shared<astro::chart>(std::move(*a.chart)));
                              });
}

// «Луна сегодня»: /moon for today at the birth place or the default place.
void moon_card(self_ptr self, const work_ptr& w) {
  const auto& cfg = self->state.rt->cfg;
  interpret::moon_place place{cfg.sky_latitude, cfg.sky_longitude, cfg.timezone, cfg.sky_place_name,
                              true};
  if (w->birth)
    place = {w->birth->latitude, w->birth->longitude, w->birth->zone, w->birth->place_label, false};
  auto now = now_utc();
  auto day = astro::local_date_after(now, place.zone, 0);
  auto q = astro::local_day_query(day.year, day.month, day.day, now, place.zone, place.latitude,
                                  place.longitude);
  ask_calc<msg::moon_answer>(
      self, w, atoms::moon::value, msg::moon_query{q, w->deadline_ms}, [=](msg::moon_answer& a) {
        if (a.calendar) {
          // Always the built-in text, even with an LLM key: Telegram waits for an inline answer
          // a few seconds at most, and a card must not cost a generation per keystroke.
          auto text = interpret::moon_message(*self->state.rt->meanings, *a.calendar, place);
          w->cards.push_back(
              {"moon", "Луна сегодня",
               std::string(astro::phase_name_ru(a.calendar->phase)) + ", " + place.label, text});
        }
        if (w->birth) return forecast_card(self, w);
        finish(self, w);
      });
}

// «Небо сейчас»: the /transit_planets text.
void sky_card(self_ptr self, const work_ptr& w) {
  const auto& cfg = self->state.rt->cfg;
  auto moment = now_utc() / 60 * 60;
  auto request =
      astro::chart_request::at_utc(moment, cfg.sky_latitude, cfg.sky_longitude, cfg.timezone, 'P');
  ask_calc<msg::chart_answer>(
      self, w, atoms::calc::value, msg::chart_query{request, w->deadline_ms},
      [=](msg::chart_answer& a) {
        if (a.chart) {
          auto label = astro::label_at(moment, self->state.rt->cfg.timezone);
          w->cards.push_back({"sky", "Небо сейчас",
                              "Позиции планет на " + label.time + " (" + label.zone + ")",
                              reports::planets_report(*a.chart, label)});
        }
        moon_card(self, w);
      });
}

void on_query(self_ptr self, const msg::update& u) {
  auto& st = self->state;
  auto parsed = bot::parse_update(u.json);
  if (!parsed || !parsed->inline_query) return;
  auto w = std::make_shared<query_work>();
  w->q = std::move(*parsed->inline_query);
  w->update_id = u.update_id;
  w->deadline_ms = (u.received_ms != 0 ? u.received_ms : steady_ms()) + answer_deadline_ms;
  if (st.in_flight >= max_in_flight) {
    spdlog::warn("[inline] user={} update={} dropped: {} queries in flight", w->q.from.id,
                 u.update_id, st.in_flight);
    st.rt->metrics->add("nocturna_inline_dropped_total");
    return;
  }
  ++st.in_flight;
  auto store = find<store_api>(self->system());
  if (!store) return sky_card(self, w);
  auto user = w->q.from.id;
  // Unknown queries get the same cards: the text typed after the bot's name is not read.
  auto wait = std::chrono::milliseconds(std::max<std::int64_t>(1, w->deadline_ms - steady_ms()));
  auto log = [user](const std::string& why) {
    spdlog::warn("[inline] user={} load inline user failed: {}", user, why);
  };
  ask_store<msg::personal_data>(
      self, wait, log,
      [=](std::optional<msg::personal_data> data) {
        if (data) {
          w->birth = std::move(data->birth);
          w->system = data->system;
          w->natal_cache = std::move(data->cache);
        }
        sky_card(self, w);
      },
      atoms::load_personal::value, user);
}

void ask_identity(self_ptr self) {
  auto sender = find<sender_api>(self->system());
  if (!sender) return;
  self->request(sender, sender_wait, chatless_call("getMe", "{}"))
      .then(
          [=](bot::api_response& r) {
            if (auto me = r.succeeded() ? bot::parse_user(r.result_json) : std::nullopt)
              self->state.bot_username = me->username;
          },
          [](caf::error&) {});
}

}  // namespace

inline_api::behavior_type inline_answerer(inline_api::stateful_pointer<inline_answerer_state> self,
                                          runtime_ptr rt) {
  replace_printing_handlers(self, "inline");
  report_crashes(self, rt, "inline");
  self->state.rt = std::move(rt);
  ask_identity(self);
  return {
      [=](msg::update& u) {
        if (self->state.bot_username.empty()) ask_identity(self);
        on_query(self, u);
      },
      crash_handler("inline"),
  };
}

caf::actor spawn_inline_answerer(caf::event_based_actor* parent, runtime_ptr rt) {
  return caf::actor_cast<caf::actor>(parent->spawn<caf::monitored>(inline_answerer, std::move(rt)));
}

}  // namespace nocturna::actors
