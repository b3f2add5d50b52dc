#include "actors/session_io.hpp"

#include <spdlog/spdlog.h>

#include <random>

#include "actors/calc_request.hpp"
#include "actors/interfaces.hpp"
#include "clients/astro/display_time.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::actors {

std::int64_t turn::user_id() const {
  if (parsed.callback_query) return parsed.callback_query->from.id;
  if (parsed.message && parsed.message->from) return parsed.message->from->id;
  return u.chat_id;
}

namespace {

constexpr auto chat_action_interval = std::chrono::milliseconds(4500);

}  // namespace

std::chrono::milliseconds time_left(const turn_ptr& t, std::int64_t floor_ms) {
  return std::chrono::milliseconds(std::max<std::int64_t>(floor_ms, t->deadline_ms - steady_ms()));
}

std::int64_t sent_message_id(const bot::api_response& r) {
  if (!r.succeeded()) return 0;
  return bot::parse_message_id(r.result_json).value_or(0);
}

namespace {

constexpr auto sender_restart_poll = std::chrono::milliseconds(100);

// Sends `call` (already numbered) to the sender. While the sender restarts (not registered, or
// it went down with the call) the call is handed to the next one: the call ledger
// (actors/call_ledger.hpp) makes sure one the dead sender had in flight is not made twice.
void send_numbered(session_ptr self, msg::bot_call call, api_continuation on_result) {
  auto sender = find<sender_api>(self->system());
  auto retry_later = [=](const std::string& why) {
    if (steady_ms() + sender_restart_poll.count() >= call.deadline_ms) {
      on_result(bot::network_failure(why));
      return;
    }
    self->delayed_send(self, sender_restart_poll, atoms::next::value);
    self->state.waiting.push_back([=] { send_numbered(self, call, on_result); });
  };
  if (!sender) {
    retry_later("sender not running");
    return;
  }
  // The sender answers by the call's deadline; the extra margin only covers a lost sender.
  auto wait = std::chrono::milliseconds(
      std::max<std::int64_t>(1000, call.deadline_ms - steady_ms() + 5000));
  self->request(sender, wait, call)
      .then([=](bot::api_response& r) { on_result(r); },
            [=](caf::error& e) {
              if (e == caf::sec::request_receiver_down)
                retry_later("sender went down");
              else
                on_result(bot::network_failure(self->system().render(e)));
            });
}

}  // namespace

void resume_waiting(session_ptr self) {
  auto waiting = std::move(self->state.waiting);
  self->state.waiting.clear();
  for (auto& f : waiting) f();
}

void bot_call(session_ptr self, const turn_ptr& t, msg::bot_call call, api_continuation k) {
  auto seq = t->next_seq++;
  if (auto it = t->already_sent.find(seq); it != t->already_sent.end()) {
    // Accepted by Telegram before the restart (docs/telegram.md §3.2): not made again.
    bot::api_response done;
    done.kind = bot::outcome::ok;
    done.result_json = it->second;
    k(done);
    return;
  }
  // A turn's calls go to its chat, unless the caller names another (the inviter of /compat).
  if (call.chat_id == 0) call.chat_id = t->chat_id();
  call.update_id = t->u.update_id;
  call.seq = seq;
  if (call.deadline_ms == 0) call.deadline_ms = t->deadline_ms;
  auto method = call.method;
  send_numbered(self, std::move(call), [=](const bot::api_response& r) {
    if (!r.succeeded())
      spdlog::warn("[session] chat={} update={} {} failed: {}", t->chat_id(), t->u.update_id,
                   method, r.description);
    k(r);
  });
}

void bot_call(session_ptr self, const turn_ptr& t, std::string method, std::string json_body,
              api_continuation k) {
  msg::bot_call call;
  call.method = std::move(method);
  call.json_body = std::move(json_body);
  bot_call(self, t, std::move(call), std::move(k));
}

void bot_calls(session_ptr self, const turn_ptr& t, std::vector<bot::outgoing_call> calls,
               std::function<void()> k) {
  if (calls.empty()) {
    k();
    return;
  }
  auto first = std::move(calls.front());
  calls.erase(calls.begin());
  bot_call(self, t, std::move(first.method), std::move(first.json_body),
           [=](const bot::api_response&) { bot_calls(self, t, calls, k); });
}

store_failure_log store_failure_logger(const turn_ptr& t, std::string what) {
  auto chat = t->chat_id();
  return [chat, what = std::move(what)](const std::string& why) {
    spdlog::error("[session] chat={} {} failed: {}", chat, what, why);
  };
}

namespace {

// One question to the calculations gateway within the turn's deadline (actors/calc_request.hpp).
template <class Answer, class Atom, class Query>
void ask_gateway(session_ptr self, const turn_ptr& t, Atom atom, Query q,
                 std::function<void(Answer&)> k) {
  ask_calc_gateway<Answer>(self, time_left(t, 1), atom, std::move(q), std::move(k));
}

}  // namespace

void calculate(session_ptr self, const turn_ptr& t, astro::chart_request request,
               std::function<void(msg::chart_answer&)> k) {
  ask_gateway<msg::chart_answer>(self, t, atoms::calc::value,
                                 msg::chart_query{std::move(request), t->deadline_ms},
                                 std::move(k));
}

void lunar(session_ptr self, const turn_ptr& t, astro::lunar_query query,
           std::function<void(msg::moon_answer&)> k) {
  ask_gateway<msg::moon_answer>(self, t, atoms::moon::value, msg::moon_query{query, t->deadline_ms},
                                std::move(k));
}

void draw(session_ptr self, const turn_ptr& t, msg::picture_query query,
          std::function<void(msg::picture_answer&)> k) {
  auto renderer = find<renderer_api>(self->system());
  if (!renderer) {
    msg::picture_answer a;
    a.error = "renderer not running";
    k(a);
    return;
  }
  auto wait = std::chrono::milliseconds(std::max<std::int64_t>(1, query.deadline_ms - steady_ms()));
  self->request(renderer, wait, atoms::render::value, std::move(query))
      .then([=](msg::picture_answer& a) { k(a); },
            [=](caf::error& e) {
              msg::picture_answer a;
              a.error = self->system().render(e);
              k(a);
            });
}

reports::birth_view birth_view_of(const store::birth_record& b) {
  reports::birth_view v;
  v.date = astro::iso_to_dmy(b.date);
  v.time = b.time;
  v.zone = b.zone;
  v.place_label = b.place_label;
  v.by_location = b.source == store::place_source::location;
  v.latitude = b.latitude;
  v.longitude = b.longitude;
  return v;
}

std::string random_nonce() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string nonce(8, '0');
  auto bits = rng();
  for (auto& c : nonce) {
    c = hex[bits & 15];
    bits >>= 4;
  }
  return nonce;
}

void renew_chat_action(session_ptr self, std::uint64_t generation) {
  auto& st = self->state;
  if (generation != st.typing_generation || st.typing_action.empty()) return;
  msg::bot_call call;
  call.chat_id = st.chat_id;
  call.method = "sendChatAction";
  call.json_body = json::object().add("chat_id", st.chat_id).add("action", st.typing_action).str();
  // Nobody waits for a chat action; a lost one only shortens the indicator.
  if (auto sender = find<sender_api>(self->system())) caf::anon_send(sender, std::move(call));
  self->delayed_send(self, chat_action_interval, atoms::typing::value, generation);
}

void start_chat_action(session_ptr self, const std::string& action) {
  auto& st = self->state;
  st.typing_action = action;
  renew_chat_action(self, ++st.typing_generation);
}

void stop_chat_action(session_ptr self) {
  self->state.typing_action.clear();
  ++self->state.typing_generation;
}

}  // namespace nocturna::actors
