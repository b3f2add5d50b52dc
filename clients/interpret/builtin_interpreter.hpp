// The built-in interpretation texts, used when no LLM text is available: pure functions of the
// tables (share/meanings_ru/) and the chart, so the same input always gives the same text.
// docs/interpretations.md describes the composition and shows full examples.
//
// Output: Telegram HTML, every table text and name escaped. Paragraphs are separated by one
// blank line; each is an emoji, a bold label and, on the next line, the text:
// `☀️ <b>Солнце в Рыбах</b>\n…`. No sentence appears twice in one text: variants
// are chosen by a hash of the chart (or date) and the pair, skipping any whose sentences were
// already used. No header (the caller adds T_HDR_*_SHORT). At most builtin_text_max visible UTF-16
// units: when the aspects would not fit, the looser ones are left out. Only bodies present in the
// chart (and, for transits, the given aspects) are named.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "clients/astro/lunar_calendar.hpp"
#include "clients/interpret/meanings.hpp"
#include "protocol/chart.hpp"

namespace nocturna::interpret {

constexpr std::size_t builtin_text_max = 2500;

// The day text for the sky at 12:00 local, addressed to every reader: 🌙 the Moon's sign, the
// planet that rules the weekday in its sign (Monday, the Moon's own day, takes a slow planet in
// turn), 🔮 up to 3 aspects (the Moon's first, then the tightest; never two slow planets),
// ⚠️ retrograde Mercury, 💡 one of the closing advices by the date.
std::string day_text(const meanings& m, const astro::chart& noon_sky);

// The natal text: ☀️ Sun, 🌙 Moon, 🌅 Ascendant (only when the birth time is known), 💬
// Mercury, 💞 Venus, 🔥 Mars, 🍀 Jupiter, ⏳ Saturn, 🔮 up to 4 tightest aspects that involve a planet
// from the Sun to Mars.
std::string natal_text(const meanings& m, const astro::chart& natal);

// The personal-transit text: 🔮 up to 5 tightest transit-to-natal aspects, each the transiting
// planet's text toward the natal point and how long it lasts, or ✨ bi_no_transits; then 🌙 the
// transiting Moon's sign and 💡 a closing advice.
// `transit_to_natal` as astro::transit_aspects returns them: p1 natal, p2 transiting.
std::string transits_text(const meanings& m, const astro::chart& transit_sky,
                          const std::vector<astro::aspect>& transit_to_natal);

// The /moon text: the phase's paragraph under its name («🌖 <b>Убывающая Луна</b>»), then, when
// the lunar day is known, the day's under «🗓 <b>16-й лунный день</b>».
std::string moon_text(const meanings& m, astro::moon_phase phase, std::optional<int> lunar_day);

// The /compat text for the reader of `inner`: one paragraph per area of protocol/synastry
// (🌙 emotions, 🔥 attraction, 💬 communication, 💎 values, ⏳ stability) by its verdict from
// `inter` (astro::synastry_aspects(inner, outer)). A pair reads the same from either side.
std::string compat_text(const meanings& m, const astro::chart& inner, const astro::chart& outer,
                        const std::vector<astro::aspect>& inter);

}  // namespace nocturna::interpret
