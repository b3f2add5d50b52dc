// Commands on the user's stored data (docs/behaviour.md §4.9–§4.13) and the membership updates
// (§1.1).
#include <spdlog/spdlog.h>

#include <ctime>

#include "actors/session_commands.hpp"
#include "actors/session_io.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/store/store.hpp"
#include "protocol/call_bodies.hpp"
#include "protocol/reports.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {
namespace {

constexpr std::int64_t clear_question_s = 600;

// `H{1,2}:MM`, hours 0–23, minutes 00–59 → "HH:MM" (docs/behaviour.md §4.12).
std::optional<std::string> subscription_time(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
    return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i)
    if (i != colon && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  int h = std::stoi(text.substr(0, colon)), m = std::stoi(text.substr(colon + 1));
  if (h > 23 || m > 59) return std::nullopt;
  char out[6];
  std::snprintf(out, sizeof out, "%02d:%02d", h, m);
  return std::string(out);
}

void answer_then(session_ptr self, const turn_ptr& t, std::string text, std::function<void()> k) {
  bot_call(self, t, "answerCallbackQuery",
           bot::answer_callback_body(t->parsed.callback_query->id, text),
           [=](const bot::api_response&) { k(); });
}

// editMessageText of the pressed message, without a keyboard.
void edit_pressed(session_ptr self, const turn_ptr& t, std::string text, bool html,
                  std::string markup = {}) {
  const auto& m = *t->parsed.callback_query->message;
  bot_call(self, t, "editMessageText",
           bot::edit_text_body(t->chat_id(), m.message_id, text, html, markup),
           [=](const bot::api_response&) { end_turn(self, t); });
}

}  // namespace

void answer_stale(session_ptr self, const turn_ptr& t, std::function<void()> k) {
  const auto& q = *t->parsed.callback_query;
  answer_then(self, t, texts::stale, [=] {
    if (!q.message || q.message->date == 0) return k();
    bot_call(self, t, "editMessageReplyMarkup",
             bot::clear_markup_body(q.message->chat.id, q.message->message_id),
             [=](const bot::api_response&) { k(); });
  });
}

void run_profile(session_ptr self, const turn_ptr& t) {
  store_ask<msg::profile_data>(
      self, t, "load profile",
      [=](std::optional<msg::profile_data> data) {
        if (!data) return quick_reply(self, t, texts::error_generic, false);
        if (!data->birth) return quick_reply(self, t, texts::profile_none, false);
        std::optional<std::string> at;
        if (data->subscription && data->subscription->active) at = data->subscription->time;
        quick_reply(
            self, t,
            reports::profile_text(birth_view_of(*data->birth), data->system, at, data->partners),
            true);
      },
      atoms::load_profile::value, t->user_id());
}

void run_settings(session_ptr self, const turn_ptr& t) {
  store_ask<msg::birth_settings>(
      self, t, "load settings",
      [=](std::optional<msg::birth_settings> data) {
        if (!data) return quick_reply(self, t, texts::error_generic, false);
        bool time_unknown = data->birth && !data->birth->time;
        quick_reply(self, t, reports::settings_text(data->system, time_unknown), true,
                    reports::settings_keyboard(data->system));
      },
      atoms::load_birth::value, t->user_id());
}

void on_settings_button(session_ptr self, const turn_ptr& t) {
  const auto& data = t->parsed.callback_query->data;
  static const std::string systems = "PKEWORC";
  if (!press_is_fresh(t) || data.size() != 5 || data.compare(0, 4, "s:h:") != 0 ||
      systems.find(data[4]) == std::string::npos)
    return answer_stale(self, t, [=] { end_turn(self, t); });
  char chosen = data[4];
  store_ask<msg::house_change>(
      self, t, "set house system",
      [=](std::optional<msg::house_change> state) {
        if (!state || (state->before != chosen && !state->changed))
          return answer_then(self, t, texts::set_failed, [=] { end_turn(self, t); });
        if (state->before == chosen)
          return answer_then(self, t, reports::set_same_text(chosen), [=] { end_turn(self, t); });
        answer_then(self, t, reports::set_changed_text(chosen), [=] {
          edit_pressed(self, t, reports::settings_text(chosen, state->time_unknown), true,
                       reports::settings_keyboard(chosen));
        });
      },
      atoms::set_houses::value, t->user_id(), chosen);
}

void run_clear_profile(session_ptr self, const turn_ptr& t) {
  auto nonce = random_nonce();
  store_ask<bool>(
      self, t, "ask to clear profile",
      [=](std::optional<bool> has_data) {
        if (!has_data) return quick_reply(self, t, texts::error_generic, false);
        if (!*has_data) return quick_reply(self, t, texts::clear_none, false);
        quick_reply(self, t, texts::clear_ask, true, reports::clear_keyboard(nonce));
      },
      atoms::ask_clear::value, t->user_id(),
      store::clear_request{nonce, now_utc() + clear_question_s});
}

void on_clear_button(session_ptr self, const turn_ptr& t) {
  const auto& data = t->parsed.callback_query->data;
  // x:{nonce}:y | x:{nonce}:n
  bool shape = data.size() == 12 && data[10] == ':' && (data[11] == 'y' || data[11] == 'n');
  if (!press_is_fresh(t) || !shape) return answer_stale(self, t, [=] { end_turn(self, t); });
  auto nonce = data.substr(2, 8);
  bool erase = data[11] == 'y';
  auto user = t->user_id();
  store_ask<bool>(
      self, t, "check clear question",
      [=](std::optional<bool> pending) {
        if (!pending || !*pending) return answer_stale(self, t, [=] { end_turn(self, t); });
        answer_then(self, t, {}, [=] {
          if (!erase) {
            return store_ask<void>(
                self, t, "drop clear question",
                [=](bool) { edit_pressed(self, t, texts::clear_kept, false); },
                atoms::drop_clear::value, user);
          }
          store_ask<void>(
              self, t, "clear profile",
              [=](bool done) {
                if (done) spdlog::info("[session] chat={} user data deleted", t->chat_id());
                edit_pressed(self, t, done ? texts::clear_done : texts::clear_failed, done);
              },
              atoms::clear_user::value, user);
        });
      },
      atoms::clear_pending::value, user, nonce, now_utc());
}

void run_subscribe(session_ptr self, const turn_ptr& t, const std::string& args) {
  auto user = t->user_id();
  std::optional<std::string> wanted;
  if (!args.empty()) {
    wanted = subscription_time(args);
    if (!wanted) {
      // Without birth data the need for /natal comes first.
      return store_ask<msg::birth_settings>(
          self, t, "load birth data",
          [=](std::optional<msg::birth_settings> data) {
            if (!data) return quick_reply(self, t, texts::error_generic, false);
            quick_reply(self, t, data->birth ? texts::sub_bad_time : texts::sub_need_natal, false);
          },
          atoms::load_birth::value, user);
    }
  }
  store_ask<msg::subscription_change>(
      self, t, "subscribe",
      [=](std::optional<msg::subscription_change> result) {
        if (!result) return quick_reply(self, t, texts::error_generic, false);
        if (!result->has_birth) return quick_reply(self, t, texts::sub_need_natal, false);
        quick_reply(self, t,
                    result->was_active ? reports::sub_changed_text(result->time, result->zone)
                                       : reports::sub_ok_text(result->time, result->zone),
                    true);
      },
      atoms::subscribe::value, user, wanted.value_or(std::string{}));
}

void run_unsubscribe(session_ptr self, const turn_ptr& t) {
  store_ask<bool>(
      self, t, "unsubscribe",
      [=](std::optional<bool> was_active) {
        if (!was_active) return quick_reply(self, t, texts::error_generic, false);
        quick_reply(self, t, *was_active ? texts::unsub_ok : texts::unsub_none, false);
      },
      atoms::disable_sub::value, t->user_id(), std::string("user"));
}

void on_membership(session_ptr self, const turn_ptr& t) {
  const auto& m = *t->parsed.my_chat_member;
  if (!m.chat.is_private() || (m.new_status != "kicked" && m.new_status != "member"))
    return end_turn(self, t);
  bool active = m.new_status == "member";
  auto user = m.chat.id;
  store_ask<bool>(
      self, t, "set user active",
      [=](std::optional<bool>) {
        spdlog::info("[session] chat={} user {} the bot", t->chat_id(),
                     active ? "unblocked" : "blocked");
        end_turn(self, t);
      },
      atoms::set_active::value, user, active);
}

}  // namespace nocturna::actors
