// CAF glue for the message types: atoms and the local-only type declarations.
#pragma once

#include <caf/all.hpp>
#include <functional>
#include <optional>

#include "clients/astro/chart_builder.hpp"
#include "clients/astro/lunar_calendar.hpp"
#include "clients/llm/prompts.hpp"
#include "protocol/messages.hpp"

namespace nocturna::msg {

// A chart for the calculations gateway; `deadline_ms` is steady-clock ms (0 = none).
struct chart_query {
  astro::chart_request request;
  std::int64_t deadline_ms = 0;
};

// Exactly one of `chart` and `error` is meaningful: the chart when present.
struct chart_answer {
  std::optional<astro::chart> chart;
  astro::calc_error error;
  std::int64_t elapsed_ms = 0;
};

// A lunar calendar for the calculations gateway (issue 21); `deadline_ms` as in chart_query.
struct moon_query {
  astro::lunar_query query;
  std::int64_t deadline_ms = 0;
};

// The calendar when present, else `error`.
struct moon_answer {
  std::optional<astro::lunar_calendar> calendar;
  astro::calc_error error;
};

// A picture for the renderer pool (issue 6).
// synastry: `chart` the user, `transit` the partner, `aspects` the inter-aspects (/compat).
enum class picture_kind { sky, natal, transit, synastry };
struct picture_query {
  picture_kind kind = picture_kind::sky;
  astro::chart chart;                   // the sky or the natal chart
  std::optional<astro::chart> transit;  // the transit sky of a biwheel
  std::vector<astro::aspect> aspects;   // transit-to-natal aspects of a biwheel
  std::string legend;
  std::int64_t deadline_ms = 0;
  // Non-empty for a picture many chats ask for (the sky of an hour): drawn once, shared.
  std::string shared_key;
};

// PNG bytes, or empty with the reason in `error` (for the log only).
struct picture_answer {
  std::string png;
  std::string source;  // "chart_service" or "builtin"
  std::string error;
};

// An interpretation for the LLM actor. A non-empty `shared_date` marks the day's text: one
// generation per (local date, sky place, model), shared by every asker and cached (memory +
// store; docs/integrations.md §1.7).
struct llm_query {
  llm::purpose purpose = llm::purpose::day;
  std::string data;  // the data block of the purpose (clients/llm/prompts.hpp)
  std::string shared_date, shared_place;
  std::int64_t deadline_ms = 0;  // steady-clock ms
  bool background = false;       // a forecast: waits behind every interactive query
};

// The sanitised text, or `error` (for the log only).
struct llm_answer {
  std::optional<std::string> text;
  std::string error;
};

}  // namespace nocturna::msg

// Messages stay inside one process, so they need no serialization.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::bot_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::bot::api_response)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::chart_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::chart_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::moon_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::moon_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::picture_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::picture_answer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::llm_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::llm_answer)

namespace nocturna::atoms {

using poll = caf::atom_constant<caf::atom("poll")>;
using stop = caf::atom_constant<caf::atom("stop")>;
using identity = caf::atom_constant<caf::atom("identity")>;
using done = caf::atom_constant<caf::atom("done")>;
using dead = caf::atom_constant<caf::atom("dead")>;
using sent = caf::atom_constant<caf::atom("sent")>;
using sent_log = caf::atom_constant<caf::atom("sentlog")>;
using tick = caf::atom_constant<caf::atom("tick")>;
using retry = caf::atom_constant<caf::atom("retry")>;
using sweep = caf::atom_constant<caf::atom("sweep")>;
using drain = caf::atom_constant<caf::atom("drain")>;
using flush = caf::atom_constant<caf::atom("flush")>;
using call = caf::atom_constant<caf::atom("call")>;
using answer = caf::atom_constant<caf::atom("answer")>;
using attempt = caf::atom_constant<caf::atom("attempt")>;
using restart = caf::atom_constant<caf::atom("restart")>;
using idle = caf::atom_constant<caf::atom("idle")>;
using next = caf::atom_constant<caf::atom("next")>;
using calc = caf::atom_constant<caf::atom("calc")>;
using moon = caf::atom_constant<caf::atom("moon")>;
using render = caf::atom_constant<caf::atom("render")>;
using typing = caf::atom_constant<caf::atom("typing")>;
using interpret = caf::atom_constant<caf::atom("interpret")>;
using nudge = caf::atom_constant<caf::atom("nudge")>;
// (chat_moved, from, to): a group became a supergroup; its session now serves the new id.
using chat_moved = caf::atom_constant<caf::atom("chatmoved")>;
using trim = caf::atom_constant<caf::atom("trim")>;
// (ended, chat_id, actor id, reason): a session is gone (actors/session.cpp spawn_session).
using ended = caf::atom_constant<caf::atom("ended")>;
using takeover = caf::atom_constant<caf::atom("takeover")>;
// Several webhook instances: pick up the inbox rows of the chats this instance serves.
using claim = caf::atom_constant<caf::atom("claim")>;

}  // namespace nocturna::atoms
