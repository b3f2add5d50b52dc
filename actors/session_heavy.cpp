// The heavy commands (docs/behaviour.md §1.5, §4.3–§4.8): a status message, the chat action while
// working, the picture, the text in parts, the status deleted, or the status turned into the error
// reply.
#include "actors/session_heavy.hpp"

#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/interfaces.hpp"
#include "actors/personal_chart.hpp"
#include "actors/session_commands.hpp"
#include "actors/session_interpretation.hpp"
#include "actors/session_io.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/astro/lunar_display.hpp"
#include "clients/interpret/moon_message.hpp"
#include "clients/store/store.hpp"
#include "protocol/call_bodies.hpp"
#include "protocol/failure_reason.hpp"
#include "protocol/html.hpp"
#include "protocol/moon_args.hpp"
#include "protocol/reports.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {

constexpr std::int64_t picture_phase_ms = 60'000;
constexpr std::size_t message_limit = 4096;
constexpr std::size_t part_budget = 4000;
constexpr std::size_t retry_budget = 2000;

// Result text = report + blank line + interpretation block (docs/behaviour.md §3), the report alone
// when there is no block.
std::string with_block(const std::string& report, const std::string& block) {
  return block.empty() ? report : report + "\n\n" + block;
}

// The calculation's error kinds as the error reply sees them (protocol/failure_reason.hpp).
static bot::calc_fault fault_of(astro::calc_error_kind kind) {
  switch (kind) {
    case astro::calc_error_kind::unavailable:
      return bot::calc_fault::unavailable;
    case astro::calc_error_kind::input_rejected:
    case astro::calc_error_kind::date_out_of_range:
    case astro::calc_error_kind::bad_zone:
    case astro::calc_error_kind::bad_place:
      return bot::calc_fault::bad_input;
    case astro::calc_error_kind::internal:
      break;
  }
  return bot::calc_fault::internal;
}

// docs/behaviour.md §1.5 step 6: S becomes the error reply; if that edit fails, a new message
// replaces S.
void fail(session_ptr self, const turn_ptr& t, const char* context, const char* reason,
          const std::string& detail) {
  spdlog::warn("[session] chat={} update={} command failed: {} ({})", t->chat_id(), t->u.update_id,
               reason, detail);
  stop_chat_action(self);
  auto text = texts::error_text(context, reason);
  auto chat = t->chat_id();
  if (t->status_id == 0) return quick_reply(self, t, text, false);
  bot_call(self, t, "editMessageText", bot::edit_text_body(chat, t->status_id, text, false),
           [=](const bot::api_response& r) {
             // «message to edit not found» counts as done elsewhere, but here it means S is
             // gone and the user has no error text yet.
             if (r.kind == bot::outcome::ok || r.kind == bot::outcome::not_modified)
               return end_turn(self, t);
             bot_call(
                 self, t, "sendMessage", bot::send_message_body(chat, text, false, t->reply_to),
                 [=](const bot::api_response&) {
                   bot_call(self, t, "deleteMessage", bot::delete_message_body(chat, t->status_id),
                            [=](const bot::api_response&) { end_turn(self, t); });
                 });
           });
}

void fail_calc(session_ptr self, const turn_ptr& t, const char* context, const astro::calc_error& e,
               bool personal) {
  auto past_deadline = steady_ms() >= t->deadline_ms;
  fail(self, t, context, bot::failure_reason(fault_of(e.kind), personal, past_deadline), e.detail);
}

// Steps 2–3: S, then the chat action.
void begin(session_ptr self, const turn_ptr& t, const char* status, std::function<void()> k) {
  bot_call(self, t, "sendMessage", bot::send_message_body(t->chat_id(), status, false, t->reply_to),
           [=](const bot::api_response& r) {
             t->status_id = sent_message_id(r);
             start_chat_action(self, "typing");
             k();
           });
}

static std::vector<std::string> text_parts(const std::string& html_text) {
  if (html::visible_length(html_text) <= message_limit) return {html_text};
  return html::split(html_text, part_budget);
}

static std::int64_t target_chat(const turn_ptr& t, const output_ptr& out) {
  return out->chat_id != 0 ? out->chat_id : t->chat_id();
}

// A JSON call to the output's chat.
static void call_for(session_ptr self, const turn_ptr& t, const output_ptr& out, std::string method,
                     std::string body, api_continuation k) {
  msg::bot_call call;
  call.chat_id = target_chat(t, out);
  call.method = std::move(method);
  call.json_body = std::move(body);
  bot_call(self, t, std::move(call), std::move(k));
}

// The chat action belongs to the turn's chat: an output to another chat leaves it alone.
static void chat_action_for(session_ptr self, const output_ptr& out, const char* action) {
  if (out->chat_id != 0) return;
  if (action)
    start_chat_action(self, action);
  else
    stop_chat_action(self);
}

static void finish_outputs(session_ptr self, const turn_ptr& t, output_ptr out) {
  auto done = [=] { out->after ? out->after() : end_turn(self, t); };
  if (out->chat_id != 0) return done();
  stop_chat_action(self);
  if (t->status_id == 0) return done();
  bot_call(self, t, "deleteMessage", bot::delete_message_body(t->chat_id(), t->status_id),
           [=](const bot::api_response&) { done(); });
}

static void send_parts(session_ptr self, const turn_ptr& t, output_ptr out,
                       std::shared_ptr<std::vector<std::string>> parts, std::size_t i) {
  if (i >= parts->size()) return finish_outputs(self, t, out);
  // docs/behaviour.md §1.5 step 3: the indicator stops before the last output, so no renewal trails
  // it.
  if (i + 1 == parts->size()) chat_action_for(self, out, nullptr);
  auto body = bot::send_message_body(target_chat(t, out), (*parts)[i], true, t->reply_to);
  call_for(self, t, out, "sendMessage", std::move(body), [=](const bot::api_response& r) {
    if (r.kind == bot::outcome::too_long && html::visible_length((*parts)[i]) > retry_budget) {
      // Telegram counted longer than we did: the part goes again in halves (docs/telegram.md §6.4).
      auto smaller = html::split((*parts)[i], retry_budget);
      parts->erase(parts->begin() + i);
      parts->insert(parts->begin() + i, smaller.begin(), smaller.end());
      return send_parts(self, t, out, parts, i);
    }
    if (!r.succeeded() && !t->text_delivered)
      return fail(self, t, out->context, texts::reason_internal, r.description);
    // A later part lost after the first was delivered: logged, no error text (docs/behaviour.md
    // §1.5 7).
    t->text_delivered = true;
    send_parts(self, t, out, parts, i + 1);
  });
}

static void send_text(session_ptr self, const turn_ptr& t, output_ptr out) {
  auto parts = std::make_shared<std::vector<std::string>>(text_parts(out->text));
  if (parts->size() > 1) chat_action_for(self, out, "typing");
  send_parts(self, t, out, std::move(parts), 0);
}

static void upload(session_ptr self, const turn_ptr& t, output_ptr out, const std::string& png) {
  msg::bot_call call;
  call.chat_id = target_chat(t, out);
  call.method = "sendPhoto";
  call.fields = {
      {"chat_id", std::to_string(call.chat_id)}, {"caption", out->caption}, {"parse_mode", "HTML"}};
  if (t->reply_to != 0)
    call.fields.emplace_back("reply_parameters", bot::reply_parameters(t->reply_to));
  call.file_field = "photo";
  call.file_name = "chart.png";
  call.file_type = "image/png";
  call.file_bytes = png;
  call.deadline_ms = std::max(steady_ms() + 1000, t->started_ms + picture_phase_ms);
  bot_call(self, t, std::move(call), [=](const bot::api_response& r) {
    if (r.succeeded()) {
      if (auto id = bot::parse_photo_file_id(r.result_json); id && out->remember_picture)
        out->remember_picture(*id);
    }
    send_text(self, t, out);
  });
}

// Step 4: the picture (cached, drawn, or none), then the text. A picture that cannot be made or
// sent is skipped: the text always follows (docs/behaviour.md §4).
void deliver(session_ptr self, const turn_ptr& t, output_ptr out) {
  if (out->file_id) {
    chat_action_for(self, out, "upload_photo");
    auto body =
        bot::send_photo_by_id_body(target_chat(t, out), *out->file_id, out->caption, t->reply_to);
    return call_for(self, t, out, "sendPhoto", std::move(body),
                    [=](const bot::api_response&) { send_text(self, t, out); });
  }
  if (!out->picture) return send_text(self, t, out);
  chat_action_for(self, out, "upload_photo");
  out->picture->deadline_ms = t->started_ms + picture_phase_ms;
  draw(self, t, *out->picture, [=](msg::picture_answer& a) {
    if (a.png.empty()) {
      spdlog::warn("[session] chat={} no picture: {}", t->chat_id(), a.error);
      return send_text(self, t, out);
    }
    upload(self, t, out, a.png);
  });
}

namespace {

// The house system of the caller: their setting in a private chat, Placidus in groups.
void caller_house_system(session_ptr self, const turn_ptr& t, std::function<void(char)> k) {
  if (t->reply_to != 0) return k('P');
  store_ask<char>(
      self, t, "load house system", [=](std::optional<char> system) { k(system.value_or('P')); },
      atoms::load_houses::value, t->user_id());
}

astro::chart_request sky_request(const product_options& cfg, std::int64_t utc, char system) {
  return astro::chart_request::at_utc(utc, cfg.sky_latitude, cfg.sky_longitude, cfg.timezone,
                                      system);
}

// /transit_planets and /transit_aspects: the sky now (to the minute), text only.
void run_sky_text(session_ptr self, const turn_ptr& t, const char* status, const char* context,
                  bool planets) {
  begin(self, t, status, [=] {
    caller_house_system(self, t, [=](char system) {
      const auto& cfg = self->state.rt->cfg;
      auto moment = now_utc() / 60 * 60;
      calculate(self, t, sky_request(cfg, moment, system), [=](msg::chart_answer& a) {
        if (!a.chart) return fail_calc(self, t, context, a.error, false);
        auto label = astro::label_at(moment, self->state.rt->cfg.timezone);
        auto out = std::make_shared<heavy_output>();
        out->context = context;
        out->text = planets ? reports::planets_report(*a.chart, label)
                            : reports::aspects_report(*a.chart, label);
        deliver(self, t, out);
      });
    });
  });
}

// The session's store and calculation calls, on the turn's deadline, for the shared steps.
personal_ports ports_of(session_ptr self, const turn_ptr& t) {
  return {
      [=](std::int64_t user, std::function<void(std::optional<personal_data>)> k) {
        store_ask<personal_data>(self, t, "load birth data", std::move(k),
                                 atoms::load_personal::value, user);
      },
      [=](std::int64_t user, std::int64_t version, char system, std::string json,
          std::function<void()> k) {
        store_ask<bool>(
            self, t, "cache natal chart", [=](std::optional<bool>) { k(); },
            atoms::cache_natal::value, user, version, system, std::move(json));
      },
      [=](astro::chart_request request, std::function<void(msg::chart_answer&)> k) {
        calculate(self, t, std::move(request), std::move(k));
      },
  };
}

// Preconditions of /my_natal and /my_transit (docs/behaviour.md §1.5 step 1): a quick reply when
// they fail.
void load_caller_data(session_ptr self, const turn_ptr& t, std::function<void(personal_ptr)> k) {
  load_personal_data(ports_of(self, t), t->user_id(), [=](personal_ptr data) {
    if (!data) return quick_reply(self, t, texts::error_generic, false);
    if (!data->birth) return quick_reply(self, t, texts::no_natal, false);
    k(data);
  });
}

// The natal chart from the cache, else computed and cached; the error reply when
// neither works.
void natal_chart(session_ptr self, const turn_ptr& t, personal_ptr data, const char* context,
                 std::function<void(const astro::chart&)> k) {
  natal_failure_handlers on_failure{
      [=] { fail(self, t, context, texts::reason_input, "stored birth data malformed"); },
      [=](const astro::calc_error& e) { fail_calc(self, t, context, e, true); },
  };
  obtain_natal_chart(ports_of(self, t), t->user_id(), std::move(data), std::move(k),
                     std::move(on_failure));
}

// A write after the turn's reply (a picture's file_id): nobody waits for it; a failure is logged.
template <class Answer, class... Request>
void remember_in_background(session_ptr self, const turn_ptr& t, std::string what,
                            Request... request) {
  ask_store<Answer>(
      self, std::chrono::seconds(10), store_failure_logger(t, std::move(what)),
      [](store_outcome<Answer>) {}, std::move(request)...);
}

// Where /moon calculates: the caller's birth place in a private chat, else (none stored, or a
// group) the bot's sky place.
void moon_place_of(session_ptr self, const turn_ptr& t,
                   std::function<void(interpret::moon_place)> k) {
  const auto& cfg = self->state.rt->cfg;
  interpret::moon_place fallback{cfg.sky_latitude, cfg.sky_longitude, cfg.timezone,
                                 cfg.sky_place_name, true};
  if (t->reply_to != 0) return k(fallback);
  store_ask<msg::birth_settings>(
      self, t, "load birth place",
      [=](std::optional<msg::birth_settings> data) {
        if (!data || !data->birth) return k(fallback);
        const auto& b = *data->birth;
        k({b.latitude, b.longitude, b.zone, b.place_label, false});
      },
      atoms::load_birth::value, t->user_id());
}

// A /moon argument that names no day: its reply, or nullptr for a day.
const char* moon_refusal(bot::moon_day_kind kind) {
  switch (kind) {
    case bot::moon_day_kind::bad_format:
      return texts::moon_bad_format;
    case bot::moon_day_kind::bad_date:
      return texts::moon_bad_date;
    case bot::moon_day_kind::out_of_range:
      return texts::moon_out_of_range;
    default:
      return nullptr;
  }
}

// /transit on its way (run_transit → transit_sky → transit_text → transit_picture → deliver): the
// local hour and house system it is for, then the sky and what is delivered.
struct transit_job {
  std::int64_t hour = 0;  // unix s of the local hour's start
  char system = 'P';
  std::shared_ptr<const astro::chart> sky;
  reports::moment_label label;
  output_ptr out = std::make_shared<heavy_output>();
};
using transit_ptr = std::shared_ptr<transit_job>;

// The picture: the file Telegram already has for this hour and house system, else drawn (and its
// file_id remembered); then everything is delivered.
void transit_picture(session_ptr self, const turn_ptr& t, transit_ptr job) {
  auto hour = job->hour;
  auto system = job->system;
  store_ask<msg::stored_text>(
      self, t, "load sky picture",
      [=](std::optional<msg::stored_text> cached) {
        auto& out = *job->out;
        if (cached) out.file_id = cached->text;
        msg::picture_query q;
        q.kind = msg::picture_kind::sky;
        q.chart = *job->sky;
        q.legend = job->label.date + " " + job->label.time + " (" + job->label.zone + ")";
        q.shared_key = "sky|" + std::to_string(hour) + "|" + std::string(1, system);
        out.picture = std::move(q);
        out.remember_picture = [=](const std::string& id) {
          remember_in_background<void>(self, t, "save sky picture", atoms::save_sky_picture::value,
                                       hour, system, id);
        };
        deliver(self, t, job->out);
      },
      atoms::sky_picture::value, hour, system);
}

// The caption and the text: the sky report and the day's interpretation block.
void transit_text(session_ptr self, const turn_ptr& t, transit_ptr job) {
  const auto& cfg = self->state.rt->cfg;
  job->label = astro::label_at(job->hour, cfg.timezone);
  job->out->context = texts::context_transit;
  job->out->caption = reports::sky_caption(job->label, cfg.sky_place_name);
  auto report = reports::sky_report(*job->sky, job->label, cfg.sky_place_name);
  day_interpretation(self, t, job->hour, job->sky, [=](std::string block) {
    job->out->text = with_block(report, block);
    transit_picture(self, t, job);
  });
}

// The sky of the hour at the bot's place.
void transit_sky(session_ptr self, const turn_ptr& t, transit_ptr job) {
  const auto& cfg = self->state.rt->cfg;
  calculate(self, t, sky_request(cfg, job->hour, job->system), [=](msg::chart_answer& a) {
    if (!a.chart) return fail_calc(self, t, texts::context_transit, a.error, false);
    job->sky = std::make_shared<const astro::chart>(std::move(*a.chart));
    transit_text(self, t, job);
  });
}

// /my_natal once the chart is known: the report and its interpretation (the model's text cached
// with the chart when there is one), the wheel (Telegram's copy when it has one), delivered.
void natal_output(session_ptr self, const turn_ptr& t, personal_ptr data,
                  const astro::chart& natal) {
  auto view = birth_view_of(*data->birth);
  auto report = reports::natal_report(natal, view);
  natal_key key{data->birth->version, data->system, {}};
  if (data->cache && data->cache->interpretation_source == std::string("llm"))
    key.cached_llm_text = data->cache->interpretation;
  natal_interpretation(self, t, natal, key, [=](std::string block) {
    auto out = std::make_shared<heavy_output>();
    out->context = texts::context_natal;
    out->caption = reports::natal_caption(view);
    out->text = with_block(report, block);
    if (data->cache && data->cache->picture_file_id) out->file_id = data->cache->picture_file_id;
    msg::picture_query q;
    q.kind = msg::picture_kind::natal;
    q.chart = natal;
    out->picture = std::move(q);
    auto user = t->user_id();
    auto version = data->birth->version;
    auto system = data->system;
    out->remember_picture = [=](const std::string& id) {
      remember_in_background<bool>(self, t, "save natal picture", atoms::natal_picture::value, user,
                                   version, system, id);
    };
    deliver(self, t, out);
  });
}

// /my_transit on its way (run_my_transit → ptransit_sky → ptransit_output → deliver).
struct ptransit_job {
  personal_ptr data;
  std::int64_t moment = 0;  // unix s, to the minute
  std::shared_ptr<const astro::chart> natal;
  std::shared_ptr<const astro::chart> transit;
  std::vector<astro::aspect> aspects;  // transit to natal
};
using ptransit_ptr = std::shared_ptr<ptransit_job>;

// The report of the aspects and its interpretation, the biwheel, delivered.
void ptransit_output(session_ptr self, const turn_ptr& t, ptransit_ptr job) {
  auto label = astro::label_at(job->moment, job->data->birth->zone);
  auto report = reports::ptransit_report(job->aspects, label, !job->natal->time_known);
  auto deliver_with = [=](std::string block) {
    auto out = std::make_shared<heavy_output>();
    out->context = texts::context_ptransit;
    out->caption = reports::pt_caption(label);
    out->text = with_block(report, block);
    msg::picture_query q;
    q.kind = msg::picture_kind::transit;
    q.chart = *job->natal;
    q.transit = *job->transit;
    q.aspects = job->aspects;
    out->picture = std::move(q);
    deliver(self, t, out);
  };
  transits_interpretation(self, t, *job->natal, *job->transit, job->aspects, deliver_with);
}

// The sky of the minute at the birth place, and its aspects to the natal chart.
void ptransit_sky(session_ptr self, const turn_ptr& t, ptransit_ptr job) {
  const auto& b = *job->data->birth;
  auto request =
      astro::chart_request::at_utc(job->moment, b.latitude, b.longitude, b.zone, job->data->system);
  calculate(self, t, request, [=](msg::chart_answer& a) {
    if (!a.chart) return fail_calc(self, t, texts::context_ptransit, a.error, true);
    job->transit = std::make_shared<const astro::chart>(std::move(*a.chart));
    job->aspects = astro::transit_aspects(*job->natal, *job->transit);
    ptransit_output(self, t, job);
  });
}

}  // namespace

void run_moon(session_ptr self, const turn_ptr& t, const std::string& args) {
  auto arg = bot::parse_moon_day(args);
  if (const char* refusal = moon_refusal(arg.kind)) return quick_reply(self, t, refusal, false);
  moon_place_of(self, t, [=](interpret::moon_place place) {
    begin(self, t, texts::status_moon, [=] {
      auto now = now_utc();
      // Today: the moment is now; another day: its local noon.
      std::optional<std::int64_t> moment;
      auto day = astro::local_date_after(now, place.zone, 0);
      if (arg.kind == bot::moon_day_kind::today) moment = now;
      if (arg.kind == bot::moon_day_kind::tomorrow)
        day = astro::local_date_after(now, place.zone, 1);
      if (arg.kind == bot::moon_day_kind::date) {
        day.year = arg.year;
        day.month = arg.month;
        day.day = arg.day;
      }
      auto q = astro::local_day_query(day.year, day.month, day.day, moment, place.zone,
                                      place.latitude, place.longitude);
      lunar(self, t, q, [=](msg::moon_answer& a) {
        if (!a.calendar) return fail_calc(self, t, texts::context_moon, a.error, false);
        auto calendar = std::make_shared<astro::lunar_calendar>(std::move(*a.calendar));
        auto report = interpret::moon_report_text(*calendar, place);
        auto date = astro::label_at(calendar->moment, place.zone).date;
        moon_interpretation(self, t, *calendar, date, [=](std::string block) {
          auto out = std::make_shared<heavy_output>();
          out->context = texts::context_moon;
          out->text = with_block(report, block);
          deliver(self, t, out);
        });
      });
    });
  });
}

void run_transit(session_ptr self, const turn_ptr& t) {
  begin(self, t, texts::status_transit, [=] {
    caller_house_system(self, t, [=](char system) {
      auto job = std::make_shared<transit_job>();
      job->hour = astro::truncate_to_local_hour(now_utc(), self->state.rt->cfg.timezone);
      job->system = system;
      transit_sky(self, t, job);
    });
  });
}

void run_transit_planets(session_ptr self, const turn_ptr& t) {
  run_sky_text(self, t, texts::status_planets, texts::context_planets, true);
}

void run_transit_aspects(session_ptr self, const turn_ptr& t) {
  run_sky_text(self, t, texts::status_aspects, texts::context_aspects, false);
}

void run_my_natal(session_ptr self, const turn_ptr& t) {
  load_caller_data(self, t, [=](personal_ptr data) {
    begin(self, t, texts::status_natal, [=] {
      natal_chart(self, t, data, texts::context_natal,
                  [=](const astro::chart& natal) { natal_output(self, t, data, natal); });
    });
  });
}

void run_my_transit(session_ptr self, const turn_ptr& t) {
  load_caller_data(self, t, [=](personal_ptr data) {
    begin(self, t, texts::status_ptransit, [=] {
      natal_chart(self, t, data, texts::context_ptransit, [=](const astro::chart& natal) {
        auto job = std::make_shared<ptransit_job>();
        job->data = data;
        job->natal = std::make_shared<const astro::chart>(natal);
        job->moment = now_utc() / 60 * 60;
        ptransit_sky(self, t, job);
      });
    });
  });
}

}  // namespace nocturna::actors
