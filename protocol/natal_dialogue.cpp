#include "protocol/natal_dialogue.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cmath>

#include "protocol/json_writer.hpp"
#include "protocol/natal_input.hpp"
#include "protocol/natal_texts.hpp"
#include "protocol/texts.hpp"

namespace nocturna::natal {

namespace {

constexpr std::size_t max_shown = 5;
constexpr std::int64_t far_km = 100;

// ---- actions

action send(std::string text, bool html, std::string markup = {},
            action::role remember = action::none) {
  action a;
  a.what = action::send;
  a.text = std::move(text);
  a.html = html;
  a.reply_markup = std::move(markup);
  a.remember = remember;
  return a;
}

action send_status(std::string text, std::string markup) {
  action a;
  a.what = action::send_status;
  a.text = std::move(text);
  a.reply_markup = std::move(markup);
  return a;
}

action simple(action::kind what) {
  action a;
  a.what = what;
  return a;
}

action edit_status(std::string text, bool html) {
  action a = simple(action::edit_status);
  a.text = std::move(text);
  a.html = html;
  return a;
}

action clear_keyboard(std::int64_t message_id) {
  action a = simple(action::clear_keyboard);
  a.message_id = message_id;
  return a;
}

action answer(const std::string& callback_id, std::string text = {}) {
  action a = simple(action::answer_callback);
  a.callback_id = callback_id;
  a.text = std::move(text);
  return a;
}

// ---- state helpers

void touch(dialogue& d, const environment& env) {
  d.expires_at = env.now_utc + static_cast<std::int64_t>(env.ttl_minutes) * 60;
}

// A new run at DATE: new nonce, nothing typed yet.
dialogue fresh(const environment& env) {
  dialogue d;
  d.nonce = env.new_nonce ? env.new_nonce() : std::string();
  touch(d, env);
  return d;
}

void forget_keyboard(dialogue& d, std::int64_t message_id) {
  auto& ids = d.keyboard_messages;
  ids.erase(std::remove(ids.begin(), ids.end(), message_id), ids.end());
}

// The message whose buttons a step clears: the pressed one for a button, else the one remembered.
std::int64_t target(std::int64_t remembered, const input& in) {
  if (in.what == input::kind::button && in.callback_message_id != 0) return in.callback_message_id;
  return remembered;
}

void clear(dialogue& d, std::int64_t message_id, outcome& out) {
  if (message_id == 0) return;
  out.actions.push_back(clear_keyboard(message_id));
  forget_keyboard(d, message_id);
}

void stale(const dialogue& current, const input& in, outcome& out) {
  out.next = current;
  out.actions.push_back(answer(in.callback_id, nocturna::texts::stale));
  if (in.callback_message_id != 0) out.actions.push_back(clear_keyboard(in.callback_message_id));
}

// ---- steps

// The partner's name, or none (the «Пропустить» button or word): then the date.
void name_given(dialogue d, std::string name, const input& in, outcome& out) {
  if (in.what == input::kind::button) out.actions.push_back(answer(in.callback_id));
  clear(d, target(d.name_message, in), out);
  forget_keyboard(d, d.name_message);
  d.partner_name = std::move(name);
  d.at = step::date;
  out.actions.push_back(send(texts::date_prompt_for(true), true));
  out.next = std::move(d);
}

void on_name(dialogue d, const input& in, outcome& out) {
  const std::string_view text = trim(in.text);
  if (normalise(text) == normalise(texts::button_skip))
    return name_given(std::move(d), {}, in, out);
  if (code_points(text) > texts::partner_name_max || text.empty()) {
    out.actions.push_back(send(texts::partner_name_long, false));
    out.next = std::move(d);
    return;
  }
  name_given(std::move(d), std::string(text), in, out);
}

void on_date(dialogue d, const input& in, const environment& env, outcome& out) {
  const parsed_date p = parse_date(in.text, env.now_utc);
  switch (p.status) {
    case date_check::format:
      out.actions.push_back(send(texts::date_format, false));
      break;
    case date_check::invalid:
      out.actions.push_back(send(texts::date_invalid, false));
      break;
    case date_check::range:
      out.actions.push_back(send(texts::date_range, false));
      break;
    case date_check::ok:
      d.date = p.iso;
      d.at = step::time;
      out.actions.push_back(send(texts::time_prompt(display_date(d.date), d.for_partner), true,
                                 keyboards::unknown_time(d.nonce), action::time_prompt));
      break;
  }
  out.next = std::move(d);
}

// A time (or "unknown") was given: clear the «Не знаю время» button and ask for the place.
void time_given(dialogue d, std::optional<std::string> time, const input& in, outcome& out) {
  if (in.what == input::kind::button) out.actions.push_back(answer(in.callback_id));
  clear(d, target(d.time_prompt_message, in), out);
  forget_keyboard(d, d.time_prompt_message);
  d.time = std::move(time);
  d.time_given = true;
  d.at = step::place;
  out.actions.push_back(
      send(texts::place_prompt(d.time, d.for_partner), true, keyboards::location_request()));
  out.next = std::move(d);
}

void on_time(dialogue d, const input& in, outcome& out) {
  if (auto t = parse_time(in.text)) return time_given(std::move(d), std::move(t), in, out);
  if (is_unknown_time_word(in.text)) return time_given(std::move(d), std::nullopt, in, out);
  out.actions.push_back(send(texts::time_format, false));
  out.next = std::move(d);
}

void place_not_found(dialogue d, outcome& out) {
  out.actions.push_back(send(texts::place_not_found, false, keyboards::location_request()));
  out.next = std::move(d);
}

// The birth moment is checked before CONFIRM is shown (docs/behaviour.md §4.6).
void to_confirm(dialogue d, place_option place, bool by_location, std::optional<double> distance,
                const environment& env, outcome& out) {
  const std::string time = d.time.value_or("12:00");
  std::optional<environment::resolved> r;
  if (env.resolve) r = env.resolve(d.date, time, place.zone);
  if (!r) {
    // Only a zone missing from the tz database gets here; the user can try another place.
    d.at = step::place;
    d.candidates.clear();
    d.candidates_total = 0;
    return place_not_found(std::move(d), out);
  }
  if (r->utc > env.now_utc) {
    out.actions.push_back(
        send(d.for_partner ? texts::partner_future_birth : texts::future_birth, false));
    out.next.reset();
    return;
  }
  texts::confirm_view view;
  view.date = display_date(d.date);
  view.time = d.time;
  view.label = place.label;
  view.latitude = place.latitude;
  view.longitude = place.longitude;
  view.zone = place.zone;
  view.offset = r->offset_text;
  view.partner = d.for_partner;
  if (r->kind == environment::resolved::gap) {
    view.notes.push_back(texts::note_gap(time, r->shifted_time));
  } else if (r->kind == environment::resolved::overlap) {
    view.notes.push_back(texts::note_overlap(time));
  }
  if (by_location && distance) {
    const std::int64_t km = std::llround(*distance);
    view.nearest_km = km;
    if (km > far_km) view.notes.push_back(texts::note_far(km));
  }
  d.place = std::move(place);
  d.by_location = by_location;
  d.distance_km = by_location ? distance : std::nullopt;
  d.candidates.clear();
  d.candidates_total = 0;
  d.at = step::confirm;
  out.actions.push_back(
      send(texts::confirm(view), true, keyboards::confirm(d.nonce), action::confirm));
  out.next = std::move(d);
}

void on_place_text(dialogue d, const input& in, const environment& env, outcome& out) {
  if (d.at == step::choice) {
    clear(d, d.choice_message, out);
    d.at = step::place;
    d.candidates.clear();
    d.candidates_total = 0;
  }
  const std::string_view text = trim(in.text);
  const std::size_t length = code_points(text);
  if (length < 2 || length > 100) {
    out.actions.push_back(send(length < 2 ? texts::place_short : texts::place_long, false));
    out.next = std::move(d);
    return;
  }
  out.actions.push_back(send_status(texts::status_place, keyboards::remove()));
  std::pair<std::vector<place_option>, std::size_t> found;
  if (env.search) found = env.search(std::string(text));
  out.actions.push_back(simple(action::delete_status));
  auto& options = found.first;
  if (options.size() > max_shown) options.resize(max_shown);
  if (options.empty()) return place_not_found(std::move(d), out);
  if (options.size() == 1) {
    return to_confirm(std::move(d), std::move(options.front()), false, std::nullopt, env, out);
  }
  d.candidates_total = std::max(found.second, options.size());
  d.candidates = std::move(options);
  d.at = step::choice;
  out.actions.push_back(send(texts::choice(d.candidates_total), true,
                             keyboards::choice(d.nonce, d.candidates), action::choice));
  out.next = std::move(d);
}

void on_location(dialogue d, const input& in, const environment& env, outcome& out) {
  out.actions.push_back(send_status(texts::status_location, keyboards::remove()));
  std::optional<std::pair<place_option, double>> city;
  if (env.nearest) city = env.nearest(in.latitude, in.longitude);
  out.actions.push_back(simple(action::delete_status));
  if (!city) return place_not_found(std::move(d), out);
  place_option place = std::move(city->first);
  place.latitude = in.latitude;
  place.longitude = in.longitude;
  to_confirm(std::move(d), std::move(place), true, city->second, env, out);
}

void on_choice_button(dialogue d, int index, const input& in, const environment& env,
                      outcome& out) {
  out.actions.push_back(answer(in.callback_id));
  place_option chosen = d.candidates[static_cast<std::size_t>(index)];
  action edit = simple(action::edit_message);
  edit.message_id = target(d.choice_message, in);
  edit.text = texts::chosen(chosen.label);
  edit.html = true;
  forget_keyboard(d, edit.message_id);
  forget_keyboard(d, d.choice_message);
  out.actions.push_back(std::move(edit));
  to_confirm(std::move(d), std::move(chosen), false, std::nullopt, env, out);
}

void on_yes(dialogue d, const input& in, outcome& out) {
  if (in.what == input::kind::button) out.actions.push_back(answer(in.callback_id));
  out.actions.push_back(
      send_status(d.for_partner ? texts::status_partner_save : texts::status_save, {}));
  birth_data b;
  b.date = d.date;
  b.time = d.time;
  if (d.place) {
    b.place_label = d.place->label;
    b.latitude = d.place->latitude;
    b.longitude = d.place->longitude;
    b.zone = d.place->zone;
  }
  b.by_location = d.by_location;
  b.distance_km = d.distance_km;
  out.save = std::move(b);
  if (d.for_partner) out.partner_name = d.partner_name;
  out.actions.push_back(simple(action::save_birth));
  out.actions.push_back(edit_status(d.for_partner ? texts::partner_saved : texts::saved, true));
  if (const std::int64_t msg = target(d.confirm_message, in); msg != 0) {
    out.actions.push_back(clear_keyboard(msg));
  }
  if (d.for_partner) out.actions.push_back(simple(action::partner_report));
  out.next.reset();
  // A failed write leaves CONFIRM and its buttons as they were, so «Да» can be pressed again.
  out.on_save_failure.push_back(edit_status(texts::save_failed, false));
  out.if_save_fails = std::move(d);
}

void on_restart(dialogue d, const input& in, const environment& env, outcome& out) {
  if (in.what == input::kind::button) out.actions.push_back(answer(in.callback_id));
  clear(d, target(d.confirm_message, in), out);
  forget_keyboard(d, d.confirm_message);
  dialogue next = fresh(env);
  // Buttons of the old run that are still up are stale now; /cancel or /natal clears them later.
  next.keyboard_messages = std::move(d.keyboard_messages);
  // A partner's run starts over at the date: the name was given and is kept.
  next.for_partner = d.for_partner;
  next.partner_name = std::move(d.partner_name);
  out.actions.push_back(send(texts::date_prompt_for(next.for_partner, true), true));
  out.next = std::move(next);
}

void on_confirm_text(dialogue d, const input& in, const environment& env, outcome& out) {
  if (is_yes_word(in.text)) return on_yes(std::move(d), in, out);
  if (is_no_word(in.text)) return on_restart(std::move(d), in, env, out);
  out.actions.push_back(send(texts::confirm_hint, false));
  out.next = std::move(d);
}

void on_button(const dialogue& current, dialogue d, const input& in, const environment& env,
               outcome& out) {
  const auto p = parse_callback(in.callback_data);
  if (!p || p->nonce != current.nonce) return stale(current, in, out);
  switch (p->what) {
    case callback_payload::unknown_time:
      if (current.at != step::time) return stale(current, in, out);
      return time_given(std::move(d), std::nullopt, in, out);
    case callback_payload::choice:
      if (current.at != step::choice ||
          static_cast<std::size_t>(p->index) >= current.candidates.size()) {
        return stale(current, in, out);
      }
      return on_choice_button(std::move(d), p->index, in, env, out);
    case callback_payload::yes:
      if (current.at != step::confirm) return stale(current, in, out);
      return on_yes(std::move(d), in, out);
    case callback_payload::restart:
      if (current.at != step::confirm) return stale(current, in, out);
      return on_restart(std::move(d), in, env, out);
    case callback_payload::skip_name:
      if (current.at != step::name) return stale(current, in, out);
      return name_given(std::move(d), {}, in, out);
  }
}

// ---- persistence

const char* step_name(step s) {
  switch (s) {
    case step::name:
      return "NAME";
    case step::date:
      return "DATE";
    case step::time:
      return "TIME";
    case step::place:
      return "PLACE";
    case step::choice:
      return "CHOICE";
    case step::confirm:
      return "CONFIRM";
  }
  return "DATE";
}

std::optional<step> step_from(std::string_view name) {
  for (step s : {step::name, step::date, step::time, step::place, step::choice, step::confirm}) {
    if (name == step_name(s)) return s;
  }
  return std::nullopt;
}

std::string place_json(const place_option& p) {
  return json::object()
      .add("label", p.label)
      .add("lat", p.latitude)
      .add("lon", p.longitude)
      .add("zone", p.zone)
      .str();
}

using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::size_t max_json = 1u << 20;  // a real record is well under 2 KB

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser(max_json);
  return parser;
}

// Each reader leaves `out` alone when the key is absent or null and fails on a wrong type.
bool read(object o, std::string_view key, std::string& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  std::string_view sv;
  if (e.get(sv)) return false;
  out.assign(sv.data(), sv.size());
  return true;
}

bool read(object o, std::string_view key, std::optional<std::string>& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  std::string_view sv;
  if (e.get(sv)) return false;
  out = std::string(sv);
  return true;
}

bool read(object o, std::string_view key, bool& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  return !e.get(out);
}

bool read(object o, std::string_view key, double& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  return !e.get_double().get(out) && std::isfinite(out);
}

bool read(object o, std::string_view key, std::optional<double>& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  double v = 0;
  if (e.get_double().get(v) || !std::isfinite(v)) return false;
  out = v;
  return true;
}

bool read(object o, std::string_view key, std::int64_t& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return true;
  return !e.get_int64().get(out);
}

bool read_place(element e, place_option& p) {
  object o;
  if (e.get(o)) return false;
  return read(o, "label", p.label) && read(o, "lat", p.latitude) && read(o, "lon", p.longitude) &&
         read(o, "zone", p.zone) && p.latitude >= -90 && p.latitude <= 90 && p.longitude >= -180 &&
         p.longitude <= 180;
}

bool is_iso_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
         parse_date(display_date(s), 4102444800 /* 2100-01-01 */).status == date_check::ok;
}

// The fields a step relies on must be there, so handle() never meets a half-filled record.
bool consistent(const dialogue& d) {
  if (!is_nonce(d.nonce)) return false;
  if (d.at != step::date && d.at != step::name && !is_iso_date(d.date)) return false;
  if (d.time && (!d.time_given || !parse_time(*d.time))) return false;
  const bool past_time = d.at == step::place || d.at == step::choice || d.at == step::confirm;
  if (past_time && !d.time_given) return false;
  if (d.candidates.size() > max_shown) return false;
  if (d.at == step::choice && d.candidates.size() < 2) return false;
  if (d.at == step::confirm && !d.place) return false;
  if (d.at == step::name && !d.for_partner) return false;
  if (code_points(d.partner_name) > texts::partner_name_max) return false;
  return true;
}

}  // namespace

// ---- keyboards

namespace keyboards {

namespace {
std::string inline_button(const std::string& text, const std::string& data) {
  return json::object().add("text", text).add("callback_data", data).str();
}

std::string payload(const std::string& nonce, callback_payload::kind what, int index = 0) {
  callback_payload p;
  p.nonce = nonce;
  p.what = what;
  p.index = index;
  return callback_data(p);
}
}  // namespace

std::string location_request() {
  const std::string button =
      json::object().add("text", texts::button_location).add("request_location", true).str();
  return json::object()
      .add_raw("keyboard", "[[" + button + "]]")
      .add("resize_keyboard", true)
      .add("one_time_keyboard", true)
      .add("input_field_placeholder", texts::location_placeholder)
      .str();
}

std::string remove() {
  return json::object().add("remove_keyboard", true).str();
}

std::string unknown_time(const std::string& nonce) {
  const std::string button =
      inline_button(texts::button_unknown_time, payload(nonce, callback_payload::unknown_time));
  return json::object().add_raw("inline_keyboard", "[[" + button + "]]").str();
}

std::string confirm(const std::string& nonce) {
  const std::string yes = inline_button(texts::button_yes, payload(nonce, callback_payload::yes));
  const std::string no =
      inline_button(texts::button_restart, payload(nonce, callback_payload::restart));
  return json::object().add_raw("inline_keyboard", "[[" + yes + "," + no + "]]").str();
}

std::string skip_name(const std::string& nonce) {
  const std::string button =
      inline_button(texts::button_skip, payload(nonce, callback_payload::skip_name));
  return json::object().add_raw("inline_keyboard", "[[" + button + "]]").str();
}

std::string choice(const std::string& nonce, const std::vector<place_option>& options) {
  std::string rows = "[";
  for (std::size_t i = 0; i < options.size() && i < max_shown; ++i) {
    if (i) rows += ",";
    rows += "[" +
            inline_button(options[i].label,
                          payload(nonce, callback_payload::choice, static_cast<int>(i))) +
            "]";
  }
  rows += "]";
  return json::object().add_raw("inline_keyboard", rows).str();
}

}  // namespace keyboards

// ---- public

bool expired(const dialogue& d, std::int64_t now_utc) {
  return now_utc > d.expires_at;
}

void note_sent(dialogue& d, action::role role, std::int64_t message_id) {
  switch (role) {
    case action::none:
      return;
    case action::time_prompt:
      d.time_prompt_message = message_id;
      break;
    case action::choice:
      d.choice_message = message_id;
      break;
    case action::confirm:
      d.confirm_message = message_id;
      break;
    case action::name_prompt:
      d.name_message = message_id;
      break;
  }
  if (std::find(d.keyboard_messages.begin(), d.keyboard_messages.end(), message_id) ==
      d.keyboard_messages.end()) {
    d.keyboard_messages.push_back(message_id);
  }
}

outcome start(const std::optional<dialogue>& current, const input& in, const environment& env) {
  outcome out;
  if (current) {
    for (std::int64_t id : current->keyboard_messages) {
      out.actions.push_back(clear_keyboard(id));
    }
  }
  out.actions.push_back(send(texts::natal_start(in.has_birth_data), true));
  out.next = fresh(env);
  return out;
}

outcome start_partner(const std::optional<dialogue>& current, const environment& env) {
  outcome out;
  if (current) {
    for (std::int64_t id : current->keyboard_messages) out.actions.push_back(clear_keyboard(id));
  }
  dialogue d = fresh(env);
  d.for_partner = true;
  d.at = step::name;
  out.actions.push_back(
      send(texts::partner_name_prompt, true, keyboards::skip_name(d.nonce), action::name_prompt));
  out.next = std::move(d);
  return out;
}

outcome handle(const dialogue& current, const input& in, const environment& env) {
  if (in.what == input::kind::natal_command) return start(current, in, env);
  outcome out;
  if (expired(current, env.now_utc)) {
    if (in.what == input::kind::cancel_command) {
      // docs/behaviour.md §1.3: a command after expiry clears the dialogue silently and then runs,
      // and /cancel without a dialogue answers T_CANCEL_NONE.
      out.actions.push_back(send(nocturna::texts::cancel_none, false));
      return out;
    }
    if (in.what == input::kind::button) {
      out.actions.push_back(answer(in.callback_id, nocturna::texts::stale));
      if (in.callback_message_id != 0) {
        out.actions.push_back(clear_keyboard(in.callback_message_id));
      }
    }
    out.actions.push_back(send(current.for_partner ? texts::partner_expired : texts::expired, false,
                               keyboards::remove()));
    return out;
  }
  if (in.what == input::kind::cancel_command) {
    for (std::int64_t id : current.keyboard_messages) {
      out.actions.push_back(clear_keyboard(id));
    }
    out.actions.push_back(send(current.for_partner ? texts::partner_cancelled : texts::cancelled,
                               false, keyboards::remove()));
    return out;
  }

  dialogue d = current;
  touch(d, env);
  switch (in.what) {
    case input::kind::button:
      on_button(current, std::move(d), in, env, out);
      break;
    case input::kind::location:
      if (d.at == step::place || d.at == step::choice) {
        on_location(std::move(d), in, env, out);
      } else {
        out.actions.push_back(send(texts::non_text, false));
        out.next = std::move(d);
      }
      break;
    case input::kind::text:
      switch (d.at) {
        case step::name:
          on_name(std::move(d), in, out);
          break;
        case step::date:
          on_date(std::move(d), in, env, out);
          break;
        case step::time:
          on_time(std::move(d), in, out);
          break;
        case step::place:
        case step::choice:
          on_place_text(std::move(d), in, env, out);
          break;
        case step::confirm:
          on_confirm_text(std::move(d), in, env, out);
          break;
      }
      break;
    default:
      out.actions.push_back(send(texts::non_text, false));
      out.next = std::move(d);
      break;
  }
  return out;
}

bool looks_up_places(const dialogue& current, const input& in) {
  return (in.what == input::kind::text || in.what == input::kind::location) &&
         (current.at == step::place || current.at == step::choice);
}

encoded encode(const dialogue& d) {
  encoded e;
  e.step = step_name(d.at);
  e.nonce = d.nonce;
  e.expires_at = d.expires_at;
  json::object f;
  f.add("date", d.date);
  if (d.time) {
    f.add("time", *d.time);
  } else {
    f.add_raw("time", "null");
  }
  f.add("time_given", d.time_given);
  f.add_raw("place", d.place ? place_json(*d.place) : "null");
  f.add("by_location", d.by_location);
  if (d.distance_km) {
    f.add("distance_km", *d.distance_km);
  } else {
    f.add_raw("distance_km", "null");
  }
  f.add("candidates_total", static_cast<std::int64_t>(d.candidates_total));
  f.add("time_prompt_message", d.time_prompt_message);
  f.add("choice_message", d.choice_message);
  f.add("confirm_message", d.confirm_message);
  if (d.for_partner) {
    f.add("for_partner", true);
    f.add("partner_name", d.partner_name);
    f.add("name_message", d.name_message);
  }
  e.fields_json = f.str();
  std::string list = "[";
  for (std::size_t i = 0; i < d.candidates.size(); ++i) {
    if (i) list += ",";
    list += place_json(d.candidates[i]);
  }
  list += "]";
  e.candidates_json = std::move(list);
  e.keyboard_messages = d.keyboard_messages;
  return e;
}

std::optional<dialogue> decode(const encoded& e) {
  dialogue d;
  const auto at = step_from(e.step);
  if (!at) return std::nullopt;
  d.at = *at;
  d.nonce = e.nonce;
  d.expires_at = e.expires_at;
  d.keyboard_messages = e.keyboard_messages;
  if (e.fields_json.size() > max_json || e.candidates_json.size() > max_json) return std::nullopt;

  // Everything is copied out of one document before the shared parser reads the next.
  {
    element root;
    object o;
    if (thread_parser().parse(e.fields_json.data(), e.fields_json.size()).get(root) ||
        root.get(o)) {
      return std::nullopt;
    }
    std::int64_t total = 0;
    if (!read(o, "date", d.date) || !read(o, "time", d.time) ||
        !read(o, "time_given", d.time_given) || !read(o, "by_location", d.by_location) ||
        !read(o, "distance_km", d.distance_km) || !read(o, "candidates_total", total) ||
        !read(o, "time_prompt_message", d.time_prompt_message) ||
        !read(o, "choice_message", d.choice_message) ||
        !read(o, "confirm_message", d.confirm_message) || !read(o, "for_partner", d.for_partner) ||
        !read(o, "partner_name", d.partner_name) || !read(o, "name_message", d.name_message) ||
        total < 0) {
      return std::nullopt;
    }
    d.candidates_total = static_cast<std::size_t>(total);
    element place;
    if (!o.at_key("place").get(place) && !place.is_null()) {
      place_option p;
      if (!read_place(place, p)) return std::nullopt;
      d.place = std::move(p);
    }
  }
  {
    element root;
    simdjson::dom::array list;
    if (thread_parser().parse(e.candidates_json.data(), e.candidates_json.size()).get(root) ||
        root.get(list)) {
      return std::nullopt;
    }
    for (element item : list) {
      place_option p;
      if (!read_place(item, p)) return std::nullopt;
      d.candidates.push_back(std::move(p));
      if (d.candidates.size() > max_shown) return std::nullopt;
    }
  }
  if (!consistent(d)) return std::nullopt;
  return d;
}

}  // namespace nocturna::natal
