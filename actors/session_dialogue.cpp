// The /natal dialogue in a session (docs/behaviour.md §4.6): loads the stored dialogue, asks the
// pure state machine of protocol/natal_dialogue what to do, stores the new state and makes the
// calls.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

#include "actors/session_commands.hpp"
#include "actors/session_io.hpp"
#include "clients/astro/chart_json.hpp"
#include "clients/astro/civil_time.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/geo/gazetteer.hpp"
#include "clients/geo/gazetteer_loader.hpp"
#include "clients/store/store.hpp"
#include "protocol/call_bodies.hpp"
#include "protocol/natal_dialogue.hpp"
#include "protocol/natal_texts.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {
namespace {

natal::place_option option_of(const geo::place& p) {
  return {p.label(), p.latitude, p.longitude, p.zone};
}

std::optional<natal::environment::resolved> resolve_birth(const std::string& date,
                                                          const std::string& time,
                                                          const std::string& zone) {
  astro::datetime_fields f;
  char tail = 0;
  if (std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &f.year, &f.month, &f.day, &tail) != 3 ||
      std::sscanf(time.c_str(), "%2d:%2d%c", &f.hour, &f.minute, &tail) != 2)
    return std::nullopt;
  auto conversion = astro::local_to_utc(f, zone);
  if (!conversion) return std::nullopt;
  const auto& c = conversion.value();
  natal::environment::resolved r;
  r.utc = c.utc;
  r.offset_text = astro::format_utc_offset(c.offset);
  if (c.kind == astro::civil_kind::gap) {
    r.kind = natal::environment::resolved::gap;
    r.shifted_time = astro::label_at(c.utc, zone).time;
  } else if (c.kind == astro::civil_kind::overlap) {
    r.kind = natal::environment::resolved::overlap;
  }
  return r;
}

natal::environment environment_of(session_ptr self) {
  natal::environment env;
  env.now_utc = now_utc();
  env.ttl_minutes = self->state.rt->cfg.dialogue_ttl_minutes;
  env.new_nonce = random_nonce;
  const auto& loader = self->state.rt->gazetteer;
  auto gazetteer = loader ? loader->get() : nullptr;
  env.search = [gazetteer](const std::string& text) {
    std::pair<std::vector<natal::place_option>, std::size_t> found;
    if (!gazetteer) return found;
    auto result = gazetteer->search(text, 5);
    for (const auto& p : result.matches) found.first.push_back(option_of(p));
    found.second = result.total;
    return found;
  };
  env.nearest = [gazetteer](double lat,
                            double lon) -> std::optional<std::pair<natal::place_option, double>> {
    if (!gazetteer) return std::nullopt;
    auto near = gazetteer->nearest(lat, lon);
    if (!near) return std::nullopt;
    return std::make_pair(option_of(near->city), near->distance_km);
  };
  env.resolve = resolve_birth;
  return env;
}

store::dialogue_record record_of(const natal::dialogue& d) {
  auto e = natal::encode(d);
  store::dialogue_record r;
  r.step = e.step;
  r.nonce = e.nonce;
  r.expires_at = e.expires_at;
  r.fields_json = e.fields_json;
  r.candidates_json = e.candidates_json;
  r.keyboard_messages = e.keyboard_messages;
  return r;
}

std::optional<natal::dialogue> dialogue_of(const store::dialogue_record& r) {
  return natal::decode(
      {r.step, r.nonce, r.expires_at, r.fields_json, r.candidates_json, r.keyboard_messages});
}

store::birth_record birth_of(const natal::birth_data& b) {
  store::birth_record r;
  r.date = b.date;
  r.time = b.time;
  r.place_label = b.place_label;
  r.source = b.by_location ? store::place_source::location : store::place_source::gazetteer;
  r.distance_km = b.distance_km;
  r.latitude = b.latitude;
  r.longitude = b.longitude;
  r.zone = b.zone;
  return r;
}

// One dialogue step being carried out.
struct step_run {
  natal::outcome outcome;
  std::int64_t partner_id = 0;           // the partner a /compat dialogue saved
  std::optional<natal::dialogue> state;  // what is stored; updated with sent message ids
  std::int64_t status_id = 0;
  bool state_changed = false;
};
using run_ptr = std::shared_ptr<step_run>;

void persist(session_ptr self, const turn_ptr& t, const std::optional<natal::dialogue>& state,
             std::function<void(bool)> k) {
  auto user = t->user_id();
  self->state.dialogue_absent = false;
  if (!state)
    return store_ask<void>(self, t, "save dialogue", std::move(k), atoms::delete_dialogue::value,
                           user);
  store_ask<void>(self, t, "save dialogue", std::move(k), atoms::save_dialogue::value, user,
                  record_of(*state));
}

void run_actions(session_ptr self, const turn_ptr& t, run_ptr run,
                 std::shared_ptr<std::vector<natal::action>> actions, std::size_t i);

// The write failed: the dialogue stays at CONFIRM and the status says so.
void save_failed(session_ptr self, const turn_ptr& t, run_ptr run) {
  run->state = run->outcome.if_save_fails;
  auto failure = std::make_shared<std::vector<natal::action>>(run->outcome.on_save_failure);
  persist(self, t, run->state, [=](bool) { run_actions(self, t, run, failure, 0); });
}

// A partner's data: saved (once per update), then the report follows. With 10 partners already
// the status says so instead and the dialogue ends.
void save_partner(session_ptr self, const turn_ptr& t, run_ptr run,
                  std::shared_ptr<std::vector<natal::action>> actions, std::size_t i) {
  store::partner_record partner;
  partner.name = *run->outcome.partner_name;
  partner.birth = birth_of(*run->outcome.save);
  store_ask<msg::partner_saved>(
      self, t, "save partner",
      [=](std::optional<msg::partner_saved> saved) {
        if (!saved) return save_failed(self, t, run);
        auto added = saved->id;
        spdlog::info("[session] chat={} partner {}", t->chat_id(),
                     added ? "saved" : "refused: limit reached");
        if (added) {
          run->partner_id = *added;
          return run_actions(self, t, run, actions, i + 1);
        }
        // The same calls without the report, the status saying why.
        auto rest = std::make_shared<std::vector<natal::action>>();
        for (auto k = i + 1; k < actions->size(); ++k) {
          auto a = (*actions)[k];
          if (a.what == natal::action::partner_report) continue;
          if (a.what == natal::action::edit_status) {
            a.text = natal::texts::partner_limit;
            a.html = false;
          }
          rest->push_back(std::move(a));
        }
        run_actions(self, t, run, rest, 0);
      },
      atoms::save_partner::value, t->user_id(), partner, t->u.update_id);
}

// The birth data are saved, then the natal chart is computed and cached on a best-effort basis
// (docs/behaviour.md §4.6 CONFIRM row).
void save_birth(session_ptr self, const turn_ptr& t, run_ptr run,
                std::shared_ptr<std::vector<natal::action>> actions, std::size_t i) {
  auto user = t->user_id();
  auto record = birth_of(*run->outcome.save);
  store_ask<msg::birth_saved>(
      self, t, "save birth data",
      [=](std::optional<msg::birth_saved> saved) {
        if (!saved) return save_failed(self, t, run);
        spdlog::info("[session] chat={} birth data saved", t->chat_id());
        auto request = astro::natal_request(
            {record.date, record.time, record.zone, record.latitude, record.longitude},
            saved->system);
        if (!request) return run_actions(self, t, run, actions, i + 1);
        calculate(self, t, *request, [=](msg::chart_answer& a) {
          if (!a.chart) {
            spdlog::warn("[session] chat={} natal chart after save failed: {}", t->chat_id(),
                         a.error.detail);
            return run_actions(self, t, run, actions, i + 1);
          }
          store_ask<bool>(
              self, t, "cache natal chart",
              [=](std::optional<bool>) { run_actions(self, t, run, actions, i + 1); },
              atoms::cache_natal::value, user, saved->version, saved->system,
              astro::chart_to_json(*a.chart));
        });
      },
      atoms::save_birth::value, user, record);
}

void run_actions(session_ptr self, const turn_ptr& t, run_ptr run,
                 std::shared_ptr<std::vector<natal::action>> actions, std::size_t i) {
  if (i >= actions->size()) {
    if (!run->state_changed) return end_turn(self, t);
    return persist(self, t, run->state, [=](bool) { end_turn(self, t); });
  }
  const auto& a = (*actions)[i];
  auto chat = t->chat_id();
  auto next = [=](const bot::api_response&) { run_actions(self, t, run, actions, i + 1); };
  switch (a.what) {
    case natal::action::send: {
      auto role = a.remember;
      return bot_call(self, t, "sendMessage",
                      bot::send_message_body(chat, a.text, a.html, 0, a.reply_markup),
                      [=](const bot::api_response& r) {
                        auto id = sent_message_id(r);
                        if (role != natal::action::none && id != 0 && run->state) {
                          natal::note_sent(*run->state, role, id);
                          run->state_changed = true;
                        }
                        run_actions(self, t, run, actions, i + 1);
                      });
    }
    case natal::action::send_status:
      return bot_call(self, t, "sendMessage",
                      bot::send_message_body(chat, a.text, false, 0, a.reply_markup),
                      [=](const bot::api_response& r) {
                        run->status_id = sent_message_id(r);
                        run_actions(self, t, run, actions, i + 1);
                      });
    case natal::action::delete_status:
      if (run->status_id == 0) return run_actions(self, t, run, actions, i + 1);
      return bot_call(self, t, "deleteMessage", bot::delete_message_body(chat, run->status_id),
                      next);
    case natal::action::edit_status:
      if (run->status_id == 0)
        return bot_call(self, t, "sendMessage", bot::send_message_body(chat, a.text, a.html), next);
      return bot_call(self, t, "editMessageText",
                      bot::edit_text_body(chat, run->status_id, a.text, a.html), next);
    case natal::action::edit_message:
      return bot_call(self, t, "editMessageText",
                      bot::edit_text_body(chat, a.message_id, a.text, a.html), next);
    case natal::action::clear_keyboard:
      return bot_call(self, t, "editMessageReplyMarkup", bot::clear_markup_body(chat, a.message_id),
                      next);
    case natal::action::answer_callback:
      return bot_call(self, t, "answerCallbackQuery",
                      bot::answer_callback_body(a.callback_id, a.text), next);
    case natal::action::save_birth:
      if (!run->outcome.save) return run_actions(self, t, run, actions, i + 1);
      if (run->outcome.partner_name) return save_partner(self, t, run, actions, i);
      return save_birth(self, t, run, actions, i);
    case natal::action::partner_report:
      // The last action: the report ends the turn.
      if (run->partner_id == 0) return run_actions(self, t, run, actions, i + 1);
      return run_partner_report(self, t, run->partner_id);
  }
}

// Stores the outcome's state first (a restart continues from it), then makes its calls.
void carry_out(session_ptr self, const turn_ptr& t, natal::outcome outcome) {
  auto run = std::make_shared<step_run>();
  run->state = outcome.next;
  run->outcome = std::move(outcome);
  auto actions = std::make_shared<std::vector<natal::action>>(run->outcome.actions);
  bool saves_birth = run->outcome.save.has_value();
  if (saves_birth) return run_actions(self, t, run, actions, 0);  // save_birth settles the state
  persist(self, t, run->state, [=](bool ok) {
    if (!ok) return quick_reply(self, t, texts::error_generic, false);
    run_actions(self, t, run, actions, 0);
  });
}

struct loaded_dialogue {
  std::optional<natal::dialogue> dialogue;
  bool has_birth = false;
};
using loaded_ptr = std::shared_ptr<loaded_dialogue>;

void load_dialogue(session_ptr self, const turn_ptr& t, std::function<void(loaded_ptr)> k) {
  store_ask<msg::dialogue_data>(
      self, t, "load dialogue",
      [=](std::optional<msg::dialogue_data> data) {
        if (!data) return quick_reply(self, t, texts::error_generic, false);
        self->state.dialogue_absent = !data->dialogue;
        auto loaded = std::make_shared<loaded_dialogue>();
        if (data->dialogue) loaded->dialogue = dialogue_of(*data->dialogue);
        loaded->has_birth = data->has_birth;
        k(loaded);
      },
      atoms::load_dialogue::value, t->user_id());
}

natal::input message_input(const bot::message& m) {
  natal::input in;
  if (m.location) {
    in.what = natal::input::kind::location;
    in.latitude = m.location->latitude;
    in.longitude = m.location->longitude;
  } else if (m.text && !m.has_media) {
    in.what = natal::input::kind::text;
    in.text = *m.text;
  } else {
    in.what = natal::input::kind::other_message;
  }
  return in;
}

constexpr auto places_poll = std::chrono::milliseconds(20);
// A place lookup waits for the gazetteer at most until this long before the command deadline,
// which leaves time for the answer.
constexpr std::int64_t places_reply_margin_ms = 10'000;

// Runs `k` once the gazetteer, built in the background at start-up
// (clients/geo/gazetteer_loader.hpp), is ready: a place lookup in the first second or so after a
// start waits for it instead of finding nothing. Polled on the session's (next) timer, so no
// thread is blocked; past the wait the user is told to send the place again.
void when_places_ready(session_ptr self, const turn_ptr& t, std::function<void()> k) {
  const auto& loader = self->state.rt->gazetteer;
  if (!loader || loader->settled()) return k();  // a failed build stops the process anyway
  if (steady_ms() >= t->deadline_ms - places_reply_margin_ms) {
    spdlog::warn("[session] chat={} update={} the gazetteer is still not built: asked to retry",
                 t->chat_id(), t->u.update_id);
    return quick_reply(self, t, natal::texts::places_loading, false);
  }
  self->delayed_send(self, places_poll, atoms::next::value);
  self->state.waiting.push_back([=] { when_places_ready(self, t, k); });
}

}  // namespace

void run_dialogue_command(session_ptr self, const turn_ptr& t, bot::command_id command) {
  load_dialogue(self, t, [=](loaded_ptr loaded) {
    natal::input in;
    in.has_birth_data = loaded->has_birth;
    auto env = environment_of(self);
    if (command == bot::command_id::natal) {
      in.what = natal::input::kind::natal_command;
      return carry_out(self, t, natal::start(loaded->dialogue, in, env));
    }
    if (!loaded->dialogue) return quick_reply(self, t, texts::cancel_none, false);
    in.what = natal::input::kind::cancel_command;
    carry_out(self, t, natal::handle(*loaded->dialogue, in, env));
  });
}

void start_partner_dialogue(session_ptr self, const turn_ptr& t) {
  load_dialogue(self, t, [=](loaded_ptr loaded) {
    carry_out(self, t, natal::start_partner(loaded->dialogue, environment_of(self)));
  });
}

void clear_expired_dialogue(session_ptr self, const turn_ptr& t, std::function<void()> k) {
  if (self->state.dialogue_absent) return k();
  // The command runs even when the store failed: it reports its own store errors.
  store_ask<bool>(
      self, t, "clear expired dialogue",
      [=](std::optional<bool> still_stored) {
        if (still_stored) self->state.dialogue_absent = !*still_stored;
        k();
      },
      atoms::clear_expired::value, t->user_id(), now_utc());
}

void on_private_message(session_ptr self, const turn_ptr& t) {
  if (self->state.dialogue_absent) return route_simply(self, t);
  load_dialogue(self, t, [=](loaded_ptr loaded) {
    if (!loaded->dialogue) return route_simply(self, t);
    auto in = message_input(*t->message());
    in.has_birth_data = loaded->has_birth;
    auto go = [=] {
      carry_out(self, t, natal::handle(*loaded->dialogue, in, environment_of(self)));
    };
    if (natal::looks_up_places(*loaded->dialogue, in)) return when_places_ready(self, t, go);
    go();
  });
}

void on_dialogue_button(session_ptr self, const turn_ptr& t) {
  if (!press_is_fresh(t)) return answer_stale(self, t, [=] { end_turn(self, t); });
  load_dialogue(self, t, [=](loaded_ptr loaded) {
    if (!loaded->dialogue) return answer_stale(self, t, [=] { end_turn(self, t); });
    const auto& q = *t->parsed.callback_query;
    natal::input in;
    in.what = natal::input::kind::button;
    in.callback_id = q.id;
    in.callback_data = q.data;
    in.callback_message_id = q.message->message_id;
    in.has_birth_data = loaded->has_birth;
    carry_out(self, t, natal::handle(*loaded->dialogue, in, environment_of(self)));
  });
}

}  // namespace nocturna::actors
