#include "clients/render/chart_renderer.hpp"

#include "clients/render/canvas.hpp"
#include "clients/render/wheel_layout.hpp"
#include "clients/render/wheel_painter.hpp"

namespace nocturna::render {

std::string render_natal_wheel(const astro::chart& natal, const wheel_options& opts) {
  canvas cv(opts.size, opts.size);
  const wheel_layout l = single_wheel_layout_for(natal, opts.size);
  const wheel_frame f = frame_for(natal, opts.size);
  paint_zodiac(cv, f, l);
  paint_houses(cv, f, l, natal);
  paint_aspects(cv, f, l.aspect_radius, natal.aspects, natal, natal, natal_max_orb);
  const auto planets = place_planets(drawn_bodies(natal, opts.with_points), f, l.natal);
  paint_planets(cv, f, l.natal, planets, palette::natal_planet, l.aspect_radius);
  if (opts.aspect_key) paint_aspect_key(cv, opts.size);
  if (!opts.legend.empty()) paint_legend(cv, opts.size, opts.legend);
  return cv.png();
}

std::string render_sky(const astro::chart& sky, const std::string& legend, wheel_options opts) {
  opts.legend = legend;
  return render_natal_wheel(sky, opts);
}

namespace {

struct biwheel_key {
  const char* outer;
  const char* inner;
  double max_orb;
};

std::string render_biwheel(const astro::chart& natal, const astro::chart& outer_chart,
                           const std::vector<astro::aspect>& aspects, const biwheel_key& key,
                           const wheel_options& opts) {
  canvas cv(opts.size, opts.size);
  const wheel_layout l = biwheel_layout_for(natal, opts.size);
  const wheel_frame f = frame_for(natal, opts.size);
  paint_zodiac(cv, f, l);
  paint_houses(cv, f, l, natal);
  paint_aspects(cv, f, l.aspect_radius, aspects, natal, outer_chart, key.max_orb);
  const auto inner = place_planets(drawn_bodies(natal, opts.with_points), f, l.natal);
  const auto outer = place_planets(drawn_bodies(outer_chart, opts.with_points), f, l.transit);
  paint_planets(cv, f, l.natal, inner, palette::natal_planet, l.aspect_radius);
  paint_planets(cv, f, l.transit, outer, palette::transit_planet, l.aspect_radius);
  if (opts.aspect_key) paint_aspect_key(cv, opts.size);
  paint_biwheel_key(cv, opts.size, key.outer, key.inner);
  if (!opts.legend.empty()) paint_legend(cv, opts.size, opts.legend);
  return cv.png();
}

}  // namespace

std::string render_transit_biwheel(const astro::chart& natal, const astro::chart& transit,
                                   const std::vector<astro::aspect>& transit_aspects,
                                   const wheel_options& opts) {
  return render_biwheel(natal, transit, transit_aspects, {"транзиты", "натал", transit_orb}, opts);
}

std::string render_synastry_biwheel(const astro::chart& user, const astro::chart& partner,
                                    const std::vector<astro::aspect>& inter_aspects,
                                    const wheel_options& opts) {
  return render_biwheel(user, partner, inter_aspects, {"партнёр", "вы", natal_max_orb}, opts);
}

}  // namespace nocturna::render
