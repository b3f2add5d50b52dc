// The rings of the two picture kinds (radii and glyph sizes as fractions of the picture) and
// which chart points are drawn where. Pure: the renderer draws exactly these placements, so tests
// can find each planet's glyph box without decoding the picture.
#pragma once

#include <vector>

#include "clients/render/wheel_geometry.hpp"
#include "protocol/chart.hpp"

namespace nocturna::render {

// One ring of planet glyphs: the glyph circle, the degree label and ℞ circles inside it, and the
// short tick marking each planet's true longitude at the ring's outer edge.
struct planet_ring {
  double glyph_radius = 0;
  double glyph_size = 0;  // side of the glyph's box; the ink of every symbol fits inside it
  double degree_radius = 0;
  double retro_radius = 0;
  double label_size = 0;
  double tick_outer = 0, tick_inner = 0;
};

struct wheel_layout {
  double size = 0;  // picture side in pixels
  double zodiac_outer = 0, zodiac_inner = 0;
  double sign_glyph_size = 0;
  double transit_outer = 0, transit_inner = 0;  // 0 on a single wheel
  double house_outer = 0, house_inner = 0;      // ring with the house numbers
  double aspect_radius = 0;                     // aspect lines end on this circle
  planet_ring natal;
  planet_ring transit;  // unused on a single wheel
};

// 800×800 natal wheel and sky (scaled for another `size`).
wheel_layout single_wheel_layout(int size);
// 1000×1000 transit biwheel: zodiac outside, transit ring, houses, natal planets, aspects.
wheel_layout biwheel_layout(int size);

// The layout for a chart without houses: the natal ticks start at the ring outside the house ring,
// which stays empty.
wheel_layout without_house_ring(wheel_layout l);

// The layouts the renderer uses for a chart: with the house ring when it has houses, else
// without_house_ring().
wheel_layout single_wheel_layout_for(const astro::chart& c, int size);
wheel_layout biwheel_layout_for(const astro::chart& natal, int size);

// The frame of a picture of `size` for a wheel oriented by `c` (its ASC, or 0° Aries).
wheel_frame frame_for(const astro::chart& c, int size);

// The points drawn for a chart: SUN..PLUTO, then (when `with_points`) the mean node, mean
// Lilith and Chiron when present. Non-finite positions and the true node are skipped.
std::vector<astro::body_position> drawn_bodies(const astro::chart& c, bool with_points);

struct planet_placement {
  astro::body id = astro::body::sun;
  bool retrograde = false;
  double degree_in_sign = 0;
  glyph_placement glyph;
};

// Each drawn body's glyph placement on `ring`.
std::vector<planet_placement> place_planets(const std::vector<astro::body_position>& bodies,
                                            const wheel_frame& f, const planet_ring& ring);

}  // namespace nocturna::render
