// The built-in interpretation texts (bot.md §7.4), used when no LLM text is available. Pure
// functions of the tables and the chart: the same input always gives the same text.
//
// Output: Telegram HTML without tags (every table text and name is escaped), paragraphs separated
// by one blank line, each starting with its emoji; no header (the caller adds T_HDR_*_SHORT).
// At most builtin_text_max visible UTF-16 units: when the aspects would not fit, the looser ones
// are left out. Only bodies present in the chart (and, for transits, the given aspects) are named.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "clients/interpret/meanings.hpp"
#include "protocol/chart.hpp"

namespace nocturna::interpret {

constexpr std::size_t builtin_text_max = 2000;

// The day text for the sky at 12:00 local, impersonal: 🌙 tone by the Moon's sign,
// ☀️ the Sun's sign, 🔮 up to 3 tightest aspects, ⚠️ retrograde Mercury,
// 💡 advice by the Moon's element.
std::string day_text(const meanings& m, const astro::chart& noon_sky);

// The natal text: ☀️ Sun, 🌙 Moon, 🌅 Ascendant (only when the birth time is known),
// 💬 Mercury, 💞 Venus, 🔥 Mars, 🔮 up to 4 tightest natal aspects.
std::string natal_text(const meanings& m, const astro::chart& natal);

// The personal-transit text: 🔮 up to 5 tightest transit-to-natal aspects with the influence
// sentence, or ✨ bi_no_transits; then 💡 advice by the transiting Moon's element.
// `transit_to_natal` as astro::transit_aspects returns them: p1 natal, p2 transiting.
std::string transits_text(const meanings& m, const astro::chart& transit_sky,
                          const std::vector<astro::aspect>& transit_to_natal);

}  // namespace nocturna::interpret
