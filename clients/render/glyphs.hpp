// Symbols (DejaVu Sans has all of these; the sextile ⚹ is missing there, so it is drawn as a
// shape by the painter instead) and the palette of the chart pictures.
#pragma once

#include "protocol/chart.hpp"

namespace nocturna::render {

// UTF-8 symbol of a body: ☉ ☽ ☿ ♀ ♂ ♃ ♄ ♅ ♆ ♇, ☊ for both nodes, ⚸ Lilith, ⚷ Chiron.
const char* body_glyph(astro::body b);
// UTF-8 symbol of a sign, 0 = ♈ … 11 = ♓.
const char* sign_glyph(int sign);
// UTF-8 symbol of an aspect; nullptr for the sextile (no glyph in DejaVu Sans).
const char* aspect_glyph(astro::aspect_type t);
// Russian name of an aspect, lower case (docs/behaviour.md §2).
const char* aspect_label_ru(astro::aspect_type t);
inline constexpr const char* retrograde_glyph = "\u211E";  // ℞

struct rgb {
  double r = 0, g = 0, b = 0;
};
constexpr rgb from_hex(unsigned v) {
  return {((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
}

// Night-sky palette.
namespace palette {
inline constexpr unsigned background = 0x0d1224;
inline constexpr unsigned zodiac_fill = 0x1a2244;
inline constexpr unsigned house_fill = 0x121a35;
inline constexpr unsigned transit_fill = 0x111933;
inline constexpr unsigned aspect_fill = 0x0a0f1e;
inline constexpr unsigned rule = 0x4a5788;       // ring outlines, 30° divisions
inline constexpr unsigned fine_rule = 0x33406b;  // degree ticks, cusp lines
inline constexpr unsigned house_number = 0x93a1d3;
inline constexpr unsigned angle_axis = 0xe9c46a;  // ASC/MC lines and labels
inline constexpr unsigned natal_planet = 0xf4eee0;
inline constexpr unsigned transit_planet = 0xffc857;
inline constexpr unsigned degree_text = 0xaab4d8;
inline constexpr unsigned legend_text = 0xd5dbf0;
inline constexpr unsigned fire = 0xff7b5c;
inline constexpr unsigned earth = 0x9bd46b;
inline constexpr unsigned air = 0xffd966;
inline constexpr unsigned water = 0x5cc8f5;
}  // namespace palette

// Colour of a sign glyph by its element (fire, earth, air, water).
unsigned sign_colour(int sign);
// Colour of an aspect line: conjunction lavender, opposition red, square orange, trine green,
// sextile blue.
unsigned aspect_colour(astro::aspect_type t);

}  // namespace nocturna::render
