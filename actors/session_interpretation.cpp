#include "actors/session_interpretation.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/interfaces.hpp"
#include "actors/session_io.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "clients/interpret/moon_message.hpp"
#include "clients/llm/prompts.hpp"
#include "clients/store/store.hpp"
#include "protocol/reports.hpp"

namespace nocturna::actors {
namespace {

constexpr std::int64_t text_reserve_ms =
    10'000;  // docs/behaviour.md §7.2: the command deadline − 10 s

using text_continuation = std::function<void(std::optional<std::string>)>;

std::string builtin_block(session_ptr self, reports::purpose p, const std::string& text) {
  // An LLM that is configured but not used here leaves the note of docs/behaviour.md §7.1.
  return reports::interpretation_block(p, text, true, self->state.rt->cfg.llm_enabled());
}

std::string llm_block(reports::purpose p, const std::string& text) {
  return reports::interpretation_block(p, text, false, false);
}

// The model's text within the interpretation deadline, or nothing (any failure is logged).
void ask_llm(session_ptr self, const turn_ptr& t, msg::llm_query q, text_continuation k) {
  auto llm = find<llm_api>(self->system());
  if (!llm) return k(std::nullopt);
  const auto& cfg = self->state.rt->cfg;
  q.deadline_ms = std::min<std::int64_t>(t->started_ms + cfg.openrouter_timeout_s * 1000LL,
                                         t->deadline_ms - text_reserve_ms);
  auto wait = std::chrono::milliseconds(std::max<std::int64_t>(1, q.deadline_ms - steady_ms()));
  self->request(llm, wait, atoms::interpret::value, std::move(q))
      .then(
          [=](msg::llm_answer& a) {
            if (!a.text)
              spdlog::warn("[session] chat={} LLM text not used: {}", t->chat_id(), a.error);
            k(a.text);
          },
          [=](caf::error& e) {
            spdlog::warn("[session] chat={} LLM text not used: {}", t->chat_id(),
                         self->system().render(e));
            k(std::nullopt);
          });
}

std::string local_date(std::int64_t utc, const std::string& zone) {
  auto label = astro::label_at(utc, zone);
  return label.date;
}

// An uncached per-user generation counts against LLM_DAILY_LIMIT (docs/behaviour.md §7.2); past it
// the built-in text is used.
void within_daily_limit(session_ptr self, const turn_ptr& t, std::function<void(bool)> k) {
  auto user = t->user_id();
  auto limit = self->state.rt->cfg.llm_daily_limit;
  auto day = local_date(std::time(nullptr), self->state.rt->cfg.timezone);
  // Keyed by the update: a re-run after a crash does not count the generation again.
  store_ask<int>(
      self, t, "count LLM generation",
      [=](std::optional<int> count) {
        if (count && *count > limit)
          spdlog::info("[session] chat={} LLM daily limit {} reached", t->chat_id(), limit);
        k(count && *count <= limit);
      },
      atoms::count_llm::value, user, day, t->u.update_id);
}

// A per-user generation (personal transits, compatibility): within LLM_DAILY_LIMIT the model's
// text, else (or when the model fails or is late) the built-in one.
void per_user_block(session_ptr self, const turn_ptr& t, reports::purpose p, llm::purpose asked,
                    std::string data, std::string builtin_text, block_continuation k) {
  auto builtin = [=] { return builtin_block(self, p, builtin_text); };
  within_daily_limit(self, t, [=](bool allowed) {
    if (!allowed) return k(builtin());
    msg::llm_query q;
    q.purpose = asked;
    q.data = data;
    ask_llm(self, t, std::move(q),
            [=](std::optional<std::string> text) { k(text ? llm_block(p, *text) : builtin()); });
  });
}

}  // namespace

void day_interpretation(session_ptr self, const turn_ptr& t, std::int64_t hour_utc,
                        std::shared_ptr<const astro::chart> hour_sky, block_continuation k) {
  const auto& cfg = self->state.rt->cfg;
  auto noon = astro::local_noon(hour_utc, cfg.timezone);
  auto request =
      astro::chart_request::at_utc(noon, cfg.sky_latitude, cfg.sky_longitude, cfg.timezone, 'P');
  calculate(self, t, request, [=](msg::chart_answer& a) {
    if (!a.chart) {
      // The hour's sky, which the report shows, still gives the built-in text of the day.
      spdlog::warn(
          "[session] chat={} day interpretation: noon sky failed ({}), built-in text of "
          "the hour's sky",
          t->chat_id(), a.error.detail);
      return k(builtin_block(self, reports::purpose::day,
                             interpret::day_text(*self->state.rt->meanings, *hour_sky)));
    }
    auto sky = std::make_shared<astro::chart>(std::move(*a.chart));
    auto builtin = [=] {
      return builtin_block(self, reports::purpose::day,
                           interpret::day_text(*self->state.rt->meanings, *sky));
    };
    const auto& cfg = self->state.rt->cfg;
    if (!cfg.llm_enabled()) return k(builtin());
    msg::llm_query q;
    q.purpose = llm::purpose::day;
    auto date = local_date(noon, cfg.timezone);
    q.data = llm::day_input(*sky, date, cfg.timezone);
    q.shared_date = date;
    q.shared_place = cfg.sky_place_name;
    ask_llm(self, t, std::move(q), [=](std::optional<std::string> text) {
      k(text ? llm_block(reports::purpose::day, *text) : builtin());
    });
  });
}

void natal_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                          const natal_key& key, block_continuation k) {
  auto chart = std::make_shared<astro::chart>(natal);
  auto builtin = [=] {
    return builtin_block(self, reports::purpose::natal,
                         interpret::natal_text(*self->state.rt->meanings, *chart));
  };
  if (!self->state.rt->cfg.llm_enabled()) return k(builtin());
  if (key.cached_llm_text) return k(llm_block(reports::purpose::natal, *key.cached_llm_text));
  within_daily_limit(self, t, [=](bool allowed) {
    if (!allowed) return k(builtin());
    msg::llm_query q;
    q.purpose = llm::purpose::natal;
    q.data = llm::natal_input(*chart);
    ask_llm(self, t, std::move(q), [=](std::optional<std::string> text) {
      if (!text) return k(builtin());
      // Kept with the natal chart until the birth data or the house system change.
      auto user = t->user_id();
      auto saved = *text;
      store_ask<bool>(
          self, t, "save natal interpretation",
          [=](std::optional<bool>) { k(llm_block(reports::purpose::natal, saved)); },
          atoms::natal_text::value, user, key.birth_version, key.house_system, saved,
          std::string("llm"));
    });
  });
}

void transits_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& natal,
                             const astro::chart& transit,
                             const std::vector<astro::aspect>& transit_to_natal,
                             block_continuation k) {
  auto builtin_text =
      interpret::transits_text(*self->state.rt->meanings, transit, transit_to_natal);
  if (!self->state.rt->cfg.llm_enabled())
    return k(builtin_block(self, reports::purpose::transits, builtin_text));
  auto label = astro::label_at(transit.moment_utc, transit.zone);
  per_user_block(
      self, t, reports::purpose::transits, llm::purpose::transits,
      llm::transits_input(natal, transit, transit_to_natal, label.date + " " + label.time),
      builtin_text, std::move(k));
}

void compat_interpretation(session_ptr self, const turn_ptr& t, const astro::chart& inner,
                           const astro::chart& outer, const std::vector<astro::aspect>& inter,
                           block_continuation k) {
  auto builtin_text = interpret::compat_text(*self->state.rt->meanings, inner, outer, inter);
  if (!self->state.rt->cfg.llm_enabled())
    return k(builtin_block(self, reports::purpose::compat, builtin_text));
  per_user_block(self, t, reports::purpose::compat, llm::purpose::compat,
                 llm::compat_input(inner, outer, inter), builtin_text, std::move(k));
}

void moon_interpretation(session_ptr self, const turn_ptr& t, const astro::lunar_calendar& c,
                         const std::string& date_text, block_continuation k) {
  auto builtin_text = interpret::moon_builtin_text(*self->state.rt->meanings, c);
  auto builtin = [=] { return builtin_block(self, reports::purpose::moon, builtin_text); };
  if (!self->state.rt->cfg.llm_enabled()) return k(builtin());
  msg::llm_query q;
  q.purpose = llm::purpose::moon;
  q.data = llm::moon_input(c, date_text);
  // Nothing of the reader is in the block (no place, no chart): like the day's text it is one
  // generation for everyone whose day reads the same, so it costs no daily limit. The block is
  // the key, so a different lunar day or sign asks anew.
  q.shared_date = date_text;
  q.shared_place = q.data;
  ask_llm(self, t, std::move(q), [=](std::optional<std::string> text) {
    k(text ? llm_block(reports::purpose::moon, *text) : builtin());
  });
}

}  // namespace nocturna::actors
