// /compat in a session: the partner list and its buttons, the report (status-message pattern of
// actors/session_heavy.hpp), and the invitation link with its one-time answer. Texts and payloads
// are pure functions of protocol/compat_texts and protocol/synastry.
#include <spdlog/spdlog.h>

#include <ctime>
#include <random>

#include "actors/session_commands.hpp"
#include "actors/session_heavy.hpp"
#include "actors/session_interpretation.hpp"
#include "actors/session_io.hpp"
#include "clients/astro/aspects.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/store/store.hpp"
#include "protocol/call_bodies.hpp"
#include "protocol/compat_texts.hpp"
#include "protocol/natal_input.hpp"
#include "protocol/synastry.hpp"
#include "protocol/texts.hpp"

namespace nocturna::actors {
namespace {

constexpr std::int64_t invite_ttl_s = 7 * 24 * 3600;

// One side of a pair: the birth data, the house system of its chart, the name the other side sees.
struct side {
  store::birth_record birth;
  char system = 'P';
  std::string name;
};

struct pair_charts {
  astro::chart inner, outer;
};

void answer(session_ptr self, const turn_ptr& t, std::string text, std::function<void()> k) {
  bot_call(self, t, "answerCallbackQuery",
           bot::answer_callback_body(t->parsed.callback_query->id, text),
           [=](const bot::api_response&) { k(); });
}

std::string first_name(const turn_ptr& t) {
  if (t->parsed.callback_query) return t->parsed.callback_query->from.first_name;
  if (auto* m = t->message(); m && m->from) return m->from->first_name;
  return {};
}

// The two charts of a pair, inner first; a failure becomes the status's error reply.
void pair_of_charts(session_ptr self, const turn_ptr& t, const side& inner, const side& outer,
                    std::function<void(std::shared_ptr<pair_charts>)> k) {
  auto request = [](const side& s) {
    const auto& b = s.birth;
    return astro::natal_request({b.date, b.time, b.zone, b.latitude, b.longitude}, s.system);
  };
  auto first = request(inner), second = request(outer);
  if (!first || !second)
    return fail(self, t, compat::context, texts::reason_input, "stored birth data malformed");
  auto second_request = *second;
  calculate(self, t, *first, [=](msg::chart_answer& a) {
    if (!a.chart) return fail_calc(self, t, compat::context, a.error, true);
    auto charts = std::make_shared<pair_charts>();
    charts->inner = std::move(*a.chart);
    calculate(self, t, second_request, [=](msg::chart_answer& b) {
      if (!b.chart) return fail_calc(self, t, compat::context, b.error, true);
      charts->outer = std::move(*b.chart);
      k(charts);
    });
  });
}

// The report for `inner` (the reader) about `outer`, as the heavy commands deliver theirs.
output_ptr compat_output(const pair_charts& c, std::string_view outer_name,
                         std::vector<astro::aspect> inter, std::string block) {
  auto out = std::make_shared<heavy_output>();
  out->context = compat::context;
  out->caption = synastry::caption(outer_name);
  out->text = with_block(synastry::report(inter, c.inner, c.outer, outer_name), block);
  msg::picture_query q;
  q.kind = msg::picture_kind::synastry;
  q.chart = c.inner;
  q.transit = c.outer;
  q.aspects = std::move(inter);
  out->picture = std::move(q);
  return out;
}

// Status, both charts, the text and the picture; the turn ends when all is delivered.
void report_pair(session_ptr self, const turn_ptr& t, side inner, side outer,
                 std::function<void(std::shared_ptr<pair_charts>)> after = {}) {
  begin(self, t, compat::status, [=] {
    pair_of_charts(self, t, inner, outer, [=](std::shared_ptr<pair_charts> c) {
      auto inter = astro::synastry_aspects(c->inner, c->outer);
      compat_interpretation(self, t, c->inner, c->outer, inter, [=](std::string block) {
        auto out = compat_output(*c, outer.name, inter, block);
        if (after) out->after = [=] { after(c); };
        deliver(self, t, out);
      });
    });
  });
}

std::vector<compat::listed_partner> listed(const std::vector<store::partner_record>& partners) {
  std::vector<compat::listed_partner> out;
  for (const auto& p : partners) out.push_back({p.id, p.name, natal::display_date(p.birth.date)});
  return out;
}

using list_data = msg::partner_list;

void load_list(session_ptr self, const turn_ptr& t, std::function<void(list_data&)> k) {
  store_ask<list_data>(
      self, t, "load partners",
      [=](std::optional<list_data> data) {
        if (!data) return quick_reply(self, t, texts::error_generic, false);
        k(*data);
      },
      atoms::load_partners::value, t->user_id());
}

void delete_partner(session_ptr self, const turn_ptr& t, std::int64_t id) {
  store_ask<bool>(
      self, t, "delete partner",
      [=](std::optional<bool> deleted) {
        if (!deleted) return answer(self, t, texts::error_generic, [=] { end_turn(self, t); });
        if (!*deleted) return answer(self, t, compat::answer_gone, [=] { end_turn(self, t); });
        answer(self, t, compat::answer_deleted, [=] {
          load_list(self, t, [=](list_data& d) {
            const auto& m = *t->parsed.callback_query->message;
            bot_call(self, t, "editMessageText",
                     bot::edit_text_body(
                         t->chat_id(), m.message_id,
                         compat::list_text(d.partners.size(), store::store::max_partners), true,
                         compat::list_keyboard(listed(d.partners), store::store::max_partners)),
                     [=](const bot::api_response&) { end_turn(self, t); });
          });
        });
      },
      atoms::delete_partner::value, t->user_id(), id);
}

void add_partner(session_ptr self, const turn_ptr& t) {
  load_list(self, t, [=](list_data& d) {
    if (!d.has_birth)
      return answer(self, t, {}, [=] { quick_reply(self, t, compat::no_natal, false); });
    if (d.partners.size() >= store::store::max_partners)
      return answer(self, t, compat::answer_limit, [=] { end_turn(self, t); });
    answer(self, t, {}, [=] { start_partner_dialogue(self, t); });
  });
}

std::string new_invite_code() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return compat::format_invite_code(rng(), rng());
}

void make_invite(session_ptr self, const turn_ptr& t) {
  store::invite_record invite;
  invite.code = new_invite_code();
  invite.inviter = t->user_id();
  invite.inviter_name = first_name(t);
  invite.created_at = now_utc();
  invite.expires_at = invite.created_at + invite_ttl_s;
  auto link = compat::invite_link(*self->state.bot_username, invite.code);
  store_ask<void>(
      self, t, "save invite",
      [=](bool ok) {
        if (!ok) return answer(self, t, texts::error_generic, [=] { end_turn(self, t); });
        spdlog::info("[session] chat={} invite created", t->chat_id());
        answer(self, t, {}, [=] { quick_reply(self, t, compat::invite_link_text(link), true); });
      },
      atoms::save_invite::value, invite);
}

using invite_state = msg::invite_view;

// The inviter gets the pair's report in their own chat, from their side: text parts only after
// the picture, no status message (nothing of theirs is waiting).
void report_to_inviter(session_ptr self, const turn_ptr& t, std::shared_ptr<invite_state> s,
                       std::shared_ptr<pair_charts> invited_view) {
  pair_charts view{invited_view->outer, invited_view->inner};
  auto inter = astro::synastry_aspects(view.inner, view.outer);
  auto viewer = std::make_shared<pair_charts>(view);
  compat_interpretation(self, t, viewer->inner, viewer->outer, inter, [=](std::string block) {
    auto out = compat_output(*viewer, first_name(t), inter, block);
    out->chat_id = s->invite->inviter;
    deliver(self, t, out);
  });
}

void on_invite_answer(session_ptr self, const turn_ptr& t, const std::string& code, bool yes) {
  store_ask<invite_state>(
      self, t, "answer invite",
      [=](std::optional<invite_state> answered) {
        if (!answered) return answer(self, t, texts::error_generic, [=] { end_turn(self, t); });
        auto s = std::make_shared<invite_state>(std::move(*answered));
        if (!s->answered) return answer_stale(self, t, [=] { end_turn(self, t); });
        const auto& q = *t->parsed.callback_query;
        auto chat = t->chat_id();
        spdlog::info("[session] chat={} invite answered: {}", chat, yes ? "yes" : "no");
        answer(self, t, {}, [=] {
          const char* reply = yes && s->theirs ? compat::invite_accepted : compat::invite_refused;
          bot_call(self, t, "editMessageText",
                   bot::edit_text_body(chat, q.message->message_id, reply, false),
                   [=](const bot::api_response&) {
                     if (!yes || !s->theirs) {
                       msg::bot_call call;
                       call.chat_id = s->invite->inviter;
                       call.method = "sendMessage";
                       call.json_body = bot::send_message_body(
                           s->invite->inviter, compat::invite_declined(first_name(t)), true);
                       return bot_call(self, t, std::move(call),
                                       [=](const bot::api_response&) { end_turn(self, t); });
                     }
                     side me{*s->mine, s->my_system, first_name(t)};
                     side them{*s->theirs, s->their_system, s->invite->inviter_name};
                     report_pair(self, t, me, them, [=](std::shared_ptr<pair_charts> c) {
                       report_to_inviter(self, t, s, c);
                     });
                   });
        });
      },
      atoms::answer_invite::value, code, t->user_id(), std::string(yes ? "yes" : "no"),
      t->u.update_id);
}

}  // namespace

void run_compat(session_ptr self, const turn_ptr& t) {
  load_list(self, t, [=](list_data& d) {
    if (!d.has_birth) return quick_reply(self, t, compat::no_natal, false);
    quick_reply(self, t, compat::list_text(d.partners.size(), store::store::max_partners), true,
                compat::list_keyboard(listed(d.partners), store::store::max_partners));
  });
}

void run_partner_report(session_ptr self, const turn_ptr& t, std::int64_t partner_id) {
  store_ask<msg::pair_data>(
      self, t, "load pair",
      [=](std::optional<msg::pair_data> data) {
        if (!data) return quick_reply(self, t, texts::error_generic, false);
        if (!data->birth) return quick_reply(self, t, compat::no_natal, false);
        if (!data->partner) return quick_reply(self, t, compat::answer_gone, false);
        report_pair(self, t, side{*data->birth, data->system, {}},
                    side{data->partner->birth, data->system, data->partner->name});
      },
      atoms::load_pair::value, t->user_id(), partner_id);
}

void on_compat_button(session_ptr self, const turn_ptr& t) {
  auto b = compat::parse_button(t->parsed.callback_query->data);
  if (!press_is_fresh(t) || !b) return answer_stale(self, t, [=] { end_turn(self, t); });
  switch (b->what) {
    case compat::button::rerun:
      return answer(self, t, {}, [=] { run_partner_report(self, t, b->partner_id); });
    case compat::button::remove:
      return delete_partner(self, t, b->partner_id);
    case compat::button::add:
      return add_partner(self, t);
    case compat::button::invite:
      return make_invite(self, t);
    case compat::button::accept:
    case compat::button::decline:
      return on_invite_answer(self, t, b->code, b->what == compat::button::accept);
  }
}

void run_invite_start(session_ptr self, const turn_ptr& t, const std::string& payload) {
  auto code = compat::invite_code(payload);
  if (!code) return quick_reply(self, t, compat::invite_unknown, false);
  auto user = t->user_id();
  auto now = now_utc();
  store_ask<invite_state>(
      self, t, "open invite",
      [=](std::optional<invite_state> s) {
        if (!s) return quick_reply(self, t, texts::error_generic, false);
        const auto& i = s->invite;
        if (!i) return quick_reply(self, t, compat::invite_unknown, false);
        if (i->inviter == user) return quick_reply(self, t, compat::invite_self, false);
        if (i->answer || (i->used_by && *i->used_by != user))
          return quick_reply(self, t, compat::invite_used, false);
        if (i->expires_at <= now) return quick_reply(self, t, compat::invite_expired, false);
        if (!s->mine) return quick_reply(self, t, compat::invite_need_natal(i->inviter_name), true);
        if (!s->reserved) return quick_reply(self, t, compat::invite_used, false);
        spdlog::info("[session] chat={} invite opened", t->chat_id());
        quick_reply(self, t, compat::invite_question(i->inviter_name), true,
                    compat::invite_keyboard(*code));
      },
      atoms::open_invite::value, *code, user, now);
}

}  // namespace nocturna::actors
