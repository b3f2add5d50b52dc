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
  struct loaded {
    std::optional<store::birth_record> birth;
    char system = 'P';
    std::optional<store::subscription_record> sub;
    std::size_t partners = 0;
  };
  auto data = std::make_shared<loaded>();
  auto user = t->user_id();
  store_do(
      self, t, "load profile",
      [=](store::store& db) {
        data->birth = db.load_birth(user);
        data->system = db.house_system(user);
        data->sub = db.load_subscription(user);
        data->partners = db.partners(user).size();
      },
      [=](bool ok) {
        if (!ok) return quick_reply(self, t, texts::error_generic, false);
        if (!data->birth) return quick_reply(self, t, texts::profile_none, false);
        std::optional<std::string> at;
        if (data->sub && data->sub->active) at = data->sub->time;
        quick_reply(
            self, t,
            reports::profile_text(birth_view_of(*data->birth), data->system, at, data->partners),
            true);
      });
}

void run_settings(session_ptr self, const turn_ptr& t) {
  auto system = std::make_shared<char>('P');
  auto time_unknown = std::make_shared<bool>(false);
  auto user = t->user_id();
  store_do(
      self, t, "load settings",
      [=](store::store& db) {
        *system = db.house_system(user);
        auto birth = db.load_birth(user);
        *time_unknown = birth && !birth->time;
      },
      [=](bool ok) {
        if (!ok) return quick_reply(self, t, texts::error_generic, false);
        quick_reply(self, t, reports::settings_text(*system, *time_unknown), true,
                    reports::settings_keyboard(*system));
      });
}

void on_settings_button(session_ptr self, const turn_ptr& t) {
  const auto& data = t->parsed.callback_query->data;
  static const std::string systems = "PKEWORC";
  if (!press_is_fresh(t) || data.size() != 5 || data.compare(0, 4, "s:h:") != 0 ||
      systems.find(data[4]) == std::string::npos)
    return answer_stale(self, t, [=] { end_turn(self, t); });
  char chosen = data[4];
  auto user = t->user_id();
  struct loaded {
    char before = 'P';
    bool time_unknown = false;
    bool changed = false;
  };
  auto state = std::make_shared<loaded>();
  store_do(
      self, t, "set house system",
      [=](store::store& db) {
        state->before = db.house_system(user);
        auto birth = db.load_birth(user);
        state->time_unknown = birth && !birth->time;
        if (state->before != chosen) state->changed = db.set_house_system(user, chosen);
      },
      [=](bool ok) {
        if (!ok || (state->before != chosen && !state->changed))
          return answer_then(self, t, texts::set_failed, [=] { end_turn(self, t); });
        if (state->before == chosen)
          return answer_then(self, t, reports::set_same_text(chosen), [=] { end_turn(self, t); });
        answer_then(self, t, reports::set_changed_text(chosen), [=] {
          edit_pressed(self, t, reports::settings_text(chosen, state->time_unknown), true,
                       reports::settings_keyboard(chosen));
        });
      });
}

void run_clear_profile(session_ptr self, const turn_ptr& t) {
  auto user = t->user_id();
  auto has_data = std::make_shared<bool>(false);
  auto nonce = random_nonce();
  store_do(
      self, t, "ask to clear profile",
      [=](store::store& db) {
        *has_data = db.has_personal_data(user);
        if (*has_data) db.save_clear_request(user, {nonce, now_utc() + clear_question_s});
      },
      [=](bool ok) {
        if (!ok) return quick_reply(self, t, texts::error_generic, false);
        if (!*has_data) return quick_reply(self, t, texts::clear_none, false);
        quick_reply(self, t, texts::clear_ask, true, reports::clear_keyboard(nonce));
      });
}

void on_clear_button(session_ptr self, const turn_ptr& t) {
  const auto& data = t->parsed.callback_query->data;
  // x:{nonce}:y | x:{nonce}:n
  bool shape = data.size() == 12 && data[10] == ':' && (data[11] == 'y' || data[11] == 'n');
  if (!press_is_fresh(t) || !shape) return answer_stale(self, t, [=] { end_turn(self, t); });
  auto nonce = data.substr(2, 8);
  bool erase = data[11] == 'y';
  auto user = t->user_id();
  auto pending = std::make_shared<bool>(false);
  store_do(
      self, t, "check clear question",
      [=](store::store& db) {
        auto request = db.load_clear_request(user);
        *pending = request && request->nonce == nonce && request->expires_at > now_utc();
      },
      [=](bool ok) {
        if (!ok || !*pending) return answer_stale(self, t, [=] { end_turn(self, t); });
        answer_then(self, t, {}, [=] {
          if (!erase) {
            return store_do(
                self, t, "drop clear question",
                [=](store::store& db) { db.delete_clear_request(user); },
                [=](bool) { edit_pressed(self, t, texts::clear_kept, false); });
          }
          store_do(
              self, t, "clear profile", [=](store::store& db) { db.clear_user(user); },
              [=](bool done) {
                if (done) spdlog::info("[session] chat={} user data deleted", t->chat_id());
                edit_pressed(self, t, done ? texts::clear_done : texts::clear_failed, done);
              });
        });
      });
}

void run_subscribe(session_ptr self, const turn_ptr& t, const std::string& args) {
  auto user = t->user_id();
  std::optional<std::string> wanted;
  if (!args.empty()) {
    wanted = subscription_time(args);
    if (!wanted) {
      // Without birth data the need for /natal comes first.
      auto has_birth = std::make_shared<bool>(false);
      return store_do(
          self, t, "load birth data",
          [=](store::store& db) { *has_birth = db.load_birth(user).has_value(); },
          [=](bool ok) {
            if (!ok) return quick_reply(self, t, texts::error_generic, false);
            quick_reply(self, t, *has_birth ? texts::sub_bad_time : texts::sub_need_natal, false);
          });
    }
  }
  struct outcome {
    bool has_birth = false;
    bool was_active = false;
    std::string time, zone;
  };
  auto result = std::make_shared<outcome>();
  store_do(
      self, t, "subscribe",
      [=](store::store& db) {
        auto birth = db.load_birth(user);
        if (!birth) return;
        result->has_birth = true;
        auto existing = db.load_subscription(user);
        result->was_active = existing && existing->active;
        store::subscription_record sub;
        if (result->was_active) sub = *existing;
        sub.time = wanted ? *wanted : (result->was_active ? existing->time : "09:00");
        sub.zone = birth->zone;
        sub.active = true;
        sub.disabled_reason.reset();
        sub.next_due_utc.reset();  // the scheduler computes it for the new time
        db.save_subscription(user, sub);
        result->time = sub.time;
        result->zone = sub.zone;
      },
      [=](bool ok) {
        if (!ok) return quick_reply(self, t, texts::error_generic, false);
        if (!result->has_birth) return quick_reply(self, t, texts::sub_need_natal, false);
        quick_reply(self, t,
                    result->was_active ? reports::sub_changed_text(result->time, result->zone)
                                       : reports::sub_ok_text(result->time, result->zone),
                    true);
      });
}

void run_unsubscribe(session_ptr self, const turn_ptr& t) {
  auto user = t->user_id();
  auto was_active = std::make_shared<bool>(false);
  store_do(
      self, t, "unsubscribe",
      [=](store::store& db) { *was_active = db.disable_subscription(user, "user"); },
      [=](bool ok) {
        if (!ok) return quick_reply(self, t, texts::error_generic, false);
        quick_reply(self, t, *was_active ? texts::unsub_ok : texts::unsub_none, false);
      });
}

void on_membership(session_ptr self, const turn_ptr& t) {
  const auto& m = *t->parsed.my_chat_member;
  if (!m.chat.is_private() || (m.new_status != "kicked" && m.new_status != "member"))
    return end_turn(self, t);
  bool active = m.new_status == "member";
  auto user = m.chat.id;
  store_do(
      self, t, "set user active", [=](store::store& db) { db.set_user_active(user, active); },
      [=](bool) {
        spdlog::info("[session] chat={} user {} the bot", t->chat_id(),
                     active ? "unblocked" : "blocked");
        end_turn(self, t);
      });
}

}  // namespace nocturna::actors
