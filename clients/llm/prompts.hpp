// What the model is asked (docs/behaviour.md §7.3, docs/integrations.md §1.2–§1.3): the purposes
// with their request parameters, the Russian system prompts from `<share_dir>/prompts_ru/`, and the
// data blocks built from charts in the vocabulary of docs/behaviour.md §2. Nothing personal goes
// into a data block: no name, birth date or birth place, only positions, houses, angles and aspects
// (and for /moon the date, the phase, the lunar day and the Moon's sign).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "clients/astro/lunar_calendar.hpp"
#include "protocol/chart.hpp"

namespace nocturna::llm {

// compat: the /compat pair (docs/interpretations.md «Compatibility»); moon: the short text of
// /moon.
enum class purpose { day, natal, transits, compat, moon };

struct purpose_params {
  const char* name;  // "day", "natal", …: the prompt's file stem and the log label
  int max_tokens;    // docs/integrations.md §1.2
  double temperature;
  std::size_t hard_cap;  // UTF-16 units of the sanitised text (§1.6)
};

const purpose_params& params_of(purpose p);

struct prompt_set {
  std::string day, natal, transits, compat, moon;
  const std::string& of(purpose p) const;
};

// Reads `<share_dir>/prompts_ru/{day,natal,transits,compat,moon}.txt`. Throws std::runtime_error
// naming the file when one is missing, empty or not valid UTF-8: a silent empty prompt would make
// every answer ignore the rules.
prompt_set load_prompts(const std::string& share_dir);

// Day (noon sky): `Дата: {date_text} ({zone}), положение планет на 12:00.`, the positions and the
// sky aspects, tightest first.
std::string day_input(const astro::chart& noon, const std::string& date_text,
                      const std::string& zone);

// Natal: positions (with houses when the birth time is known), angles, cusps and aspects; with the
// time unknown the block says so and forbids the Ascendant and houses instead.
std::string natal_input(const astro::chart& natal);

// Personal transits: natal positions, at most 15 transit-to-natal aspects (tightest first; p1 is
// the natal point, p2 the transiting body, as astro::transit_aspects returns them), the transiting
// Moon's sign and `date_text`.
std::string transits_input(const astro::chart& natal, const astro::chart& transit,
                           const std::vector<astro::aspect>& transit_aspects,
                           const std::string& date_text);

inline constexpr std::size_t max_transit_aspects = 15;

// Compatibility, for the reader of `inner` («вы») about `outer` («партнёр»): both charts'
// positions (houses and angles only for a known birth time), at most 20 inter-aspects (p1 the
// reader's point, p2 the partner's, as astro::synastry_aspects returns them; tightest first), the
// areas of protocol/synastry.hpp with their verdicts and both element balances. Neither birth
// date, time, place nor name: the partner's data never reaches the model.
std::string compat_input(const astro::chart& inner, const astro::chart& outer,
                         const std::vector<astro::aspect>& inter);

inline constexpr std::size_t max_inter_aspects = 20;

// /moon: the local date, the phase, the lunar day (or that it cannot be named at this place) and
// the Moon's sign at the calendar's moment. The illumination and the times are left out on
// purpose: the block is the key of the shared text (actors/llm_actor.cpp), so the same day at
// places with the same lunar day and sign shares one generation.
std::string moon_input(const astro::lunar_calendar& c, const std::string& date_text);

}  // namespace nocturna::llm
