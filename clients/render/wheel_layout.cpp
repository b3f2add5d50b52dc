#include "clients/render/wheel_layout.hpp"

#include <cmath>

namespace nocturna::render {

wheel_layout single_wheel_layout(int size) {
  const double h = size / 2.0;  // all radii in units of the half side (400 px at 800)
  wheel_layout l;
  l.size = size;
  l.zodiac_outer = 0.875 * h;
  l.zodiac_inner = 0.76 * h;
  l.sign_glyph_size = 0.075 * h;
  l.house_outer = l.zodiac_inner;
  l.house_inner = 0.70 * h;
  l.natal.glyph_radius = 0.615 * h;
  l.natal.glyph_size = 0.064 * h;
  l.natal.degree_radius = 0.527 * h;
  l.natal.retro_radius = 0.477 * h;
  l.natal.label_size = 0.037 * h;
  l.natal.tick_outer = l.house_inner;
  l.natal.tick_inner = l.house_inner - 0.025 * h;
  l.aspect_radius = 0.44 * h;
  return l;
}

wheel_layout biwheel_layout(int size) {
  const double h = size / 2.0;  // 500 px at 1000
  wheel_layout l;
  l.size = size;
  l.zodiac_outer = 0.875 * h;
  l.zodiac_inner = 0.80 * h;
  l.sign_glyph_size = 0.058 * h;
  l.transit_outer = l.zodiac_inner;
  l.transit_inner = 0.645 * h;
  l.transit.glyph_radius = 0.758 * h;
  l.transit.glyph_size = 0.052 * h;
  l.transit.degree_radius = 0.696 * h;
  l.transit.retro_radius = 0.664 * h;
  l.transit.label_size = 0.03 * h;
  l.transit.tick_outer = l.transit_outer;
  l.transit.tick_inner = l.transit_outer - 0.018 * h;
  l.house_outer = l.transit_inner;
  l.house_inner = 0.595 * h;
  l.natal.glyph_radius = 0.535 * h;
  l.natal.glyph_size = 0.052 * h;
  l.natal.degree_radius = 0.473 * h;
  l.natal.retro_radius = 0.438 * h;
  l.natal.label_size = 0.03 * h;
  l.natal.tick_outer = l.house_inner;
  l.natal.tick_inner = l.house_inner - 0.018 * h;
  l.aspect_radius = 0.405 * h;
  return l;
}

wheel_layout without_house_ring(wheel_layout l) {
  const double tick = l.natal.tick_outer - l.natal.tick_inner;
  l.natal.tick_outer = l.house_outer;
  l.natal.tick_inner = l.house_outer - tick;
  return l;
}

wheel_layout single_wheel_layout_for(const astro::chart& c, int size) {
  return chart_has_houses(c) ? single_wheel_layout(size)
                             : without_house_ring(single_wheel_layout(size));
}

wheel_layout biwheel_layout_for(const astro::chart& natal, int size) {
  return chart_has_houses(natal) ? biwheel_layout(size) : without_house_ring(biwheel_layout(size));
}

wheel_frame frame_for(const astro::chart& c, int size) {
  return {size / 2.0, size / 2.0, wheel_start_longitude(c)};
}

std::vector<astro::body_position> drawn_bodies(const astro::chart& c, bool with_points) {
  using astro::body;
  static const body order[] = {body::sun,     body::moon,    body::mercury,   body::venus,
                               body::mars,    body::jupiter, body::saturn,    body::uranus,
                               body::neptune, body::pluto,   body::mean_node, body::mean_lilith,
                               body::chiron};
  std::vector<astro::body_position> out;
  for (body b : order) {
    const bool point = b == body::mean_node || b == body::mean_lilith || b == body::chiron;
    if (point && !with_points) continue;
    for (const auto& p : c.positions) {
      if (p.id == b && std::isfinite(p.longitude) && std::isfinite(p.speed)) {
        out.push_back(p);
        break;
      }
    }
  }
  return out;
}

std::vector<planet_placement> place_planets(const std::vector<astro::body_position>& bodies,
                                            const wheel_frame& f, const planet_ring& ring) {
  std::vector<double> lons;
  lons.reserve(bodies.size());
  for (const auto& b : bodies) lons.push_back(b.longitude);
  const auto glyphs = layout_glyphs(lons, f, ring.glyph_radius, ring.glyph_size);
  std::vector<planet_placement> out;
  out.reserve(bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    planet_placement p;
    p.id = bodies[i].id;
    p.retrograde = bodies[i].is_retrograde();
    p.degree_in_sign = std::fmod(glyphs[i].true_longitude, 30.0);
    p.glyph = glyphs[i];
    out.push_back(p);
  }
  return out;
}

}  // namespace nocturna::render
