#include "clients/render/wheel_painter.hpp"

#include <algorithm>
#include <cmath>

#include "clients/render/glyphs.hpp"

namespace nocturna::render {
namespace {

constexpr unsigned retro_colour = 0xff8f8f;

const astro::body_position* find_body(const astro::chart& c, const astro::aspect_point& p) {
  if (!p.id) return nullptr;
  for (const auto& b : c.positions)
    if (b.id == *p.id && std::isfinite(b.longitude)) return &b;
  return nullptr;
}

double midpoint_longitude(double from, double to) {
  return normalize_degrees(from + normalize_degrees(to - from) / 2.0);
}

// A wedge pointing at the zodiac ring from outside, and the label beyond it.
void paint_angle_mark(canvas& cv, const wheel_frame& f, const wheel_layout& l, double lon,
                      const char* label) {
  const double u = l.size / 800.0;
  const double wedge = 10 * u;
  const point tip = longitude_to_xy(f, lon, l.zodiac_outer);
  const point b1 = longitude_to_xy(f, lon - 1.5, l.zodiac_outer + wedge);
  const point b2 = longitude_to_xy(f, lon + 1.5, l.zodiac_outer + wedge);
  cairo_t* cr = cv.cr();
  cairo_new_path(cr);
  cairo_move_to(cr, tip.x, tip.y);
  cairo_line_to(cr, b1.x, b1.y);
  cairo_line_to(cr, b2.x, b2.y);
  cairo_close_path(cr);
  cv.set_colour(palette::angle_axis);
  cairo_fill(cr);
  // Centre the label so its box clears the wedge along the radius, whatever the direction.
  const double size = 14 * u;
  const point ext = cv.text_size(label, size, true);
  const point dir = longitude_to_xy({0, 0, f.start_longitude}, lon, 1.0);
  const double half = std::fabs(dir.x) * ext.x / 2 + std::fabs(dir.y) * ext.y / 2;
  cv.text_centred(label, longitude_to_xy(f, lon, l.zodiac_outer + wedge + 3 * u + half), size,
                  palette::angle_axis, true);
}

}  // namespace

void paint_zodiac(canvas& cv, const wheel_frame& f, const wheel_layout& l) {
  const point c{f.cx, f.cy};
  const double u = l.size / 800.0;  // line widths scale with the picture
  cv.fill_background(palette::background);
  cv.ring(c, l.zodiac_outer, l.zodiac_inner, palette::zodiac_fill);
  if (l.transit_outer > 0) cv.ring(c, l.transit_outer, l.transit_inner, palette::transit_fill);
  cv.ring(c, l.aspect_radius, 0, palette::aspect_fill);

  std::vector<std::pair<point, point>> fine, coarse;
  for (int d = 0; d < 360; ++d) {
    const double len = d % 10 == 0 ? 9 * u : d % 5 == 0 ? 6 * u : 3 * u;
    (d % 5 == 0 ? coarse : fine)
        .push_back(
            {longitude_to_xy(f, d, l.zodiac_inner), longitude_to_xy(f, d, l.zodiac_inner + len)});
  }
  cv.segments(fine, palette::fine_rule, 0.8 * u);
  cv.segments(coarse, palette::fine_rule, 1.2 * u);
  for (int s = 0; s < 12; ++s) {
    cv.line(longitude_to_xy(f, s * 30.0, l.zodiac_inner),
            longitude_to_xy(f, s * 30.0, l.zodiac_outer), palette::rule, 1.4 * u);
    const double r = (l.zodiac_outer + l.zodiac_inner) / 2.0 + 2 * u;
    cv.text_centred(sign_glyph(s), longitude_to_xy(f, s * 30.0 + 15.0, r), l.sign_glyph_size,
                    sign_colour(s));
  }
  cv.circle(c, l.zodiac_outer, palette::rule, 1.6 * u);
  cv.circle(c, l.zodiac_inner, palette::rule, 1.4 * u);
  if (l.transit_outer > 0) cv.circle(c, l.transit_inner, palette::rule, 1.2 * u);
  cv.circle(c, l.aspect_radius, palette::rule, 1.2 * u);
}

void paint_houses(canvas& cv, const wheel_frame& f, const wheel_layout& l, const astro::chart& c) {
  if (!chart_has_houses(c)) return;
  const point centre{f.cx, f.cy};
  const double u = l.size / 800.0;
  cv.ring(centre, l.house_outer, l.house_inner, palette::house_fill);
  cv.circle(centre, l.house_inner, palette::rule, 1.0 * u);
  cv.circle(centre, l.house_outer, palette::rule, 1.2 * u);

  std::vector<double> cusp(12);
  for (std::size_t i = 0; i < 12; ++i) cusp[i] = c.houses[i].longitude;
  for (std::size_t i = 0; i < 12; ++i) {
    if (i % 3 != 0)  // the angles get the bold axes below
      cv.line(longitude_to_xy(f, cusp[i], l.house_outer),
              longitude_to_xy(f, cusp[i], l.aspect_radius), palette::fine_rule, 1.0 * u);
    const double mid = midpoint_longitude(cusp[i], cusp[(i + 1) % 12]);
    cv.text_centred(std::to_string(i + 1),
                    longitude_to_xy(f, mid, (l.house_outer + l.house_inner) / 2.0),
                    0.3 * (l.house_outer - l.house_inner) + 6 * u, palette::house_number);
  }

  const auto& a = *c.chart_angles;
  const double axes[4] = {a.asc, a.mc, a.dsc, a.ic};
  for (int k = 0; k < 4; ++k) {
    const double lon = axes[k];
    const bool marked = k < 2;  // ASC and MC
    cv.line(longitude_to_xy(f, lon, l.aspect_radius), longitude_to_xy(f, lon, l.house_inner),
            palette::angle_axis, (marked ? 2.4 : 1.4) * u, marked ? 1.0 : 0.7);
    if (l.transit_outer > 0)
      cv.line(longitude_to_xy(f, lon, l.house_outer), longitude_to_xy(f, lon, l.transit_outer),
              palette::angle_axis, 1.0 * u, 0.45);
    if (marked) paint_angle_mark(cv, f, l, lon, k == 0 ? "ASC" : "MC");
  }
}

void paint_aspects(canvas& cv, const wheel_frame& f, double radius,
                   const std::vector<astro::aspect>& aspects, const astro::chart& first,
                   const astro::chart& second, double max_orb) {
  const double u = (f.cx * 2) / 800.0;
  // Widest orb first so the tightest lines end up on top.
  std::vector<const astro::aspect*> order;
  for (const auto& a : aspects) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(),
                   [](const astro::aspect* x, const astro::aspect* y) { return x->orb > y->orb; });
  for (const astro::aspect* a : order) {
    const auto* b1 = find_body(first, a->p1);
    const auto* b2 = find_body(second, a->p2);
    if (!b1 || !b2 || !std::isfinite(a->orb)) continue;
    const double tight = std::clamp(1.0 - a->orb / std::max(max_orb, 0.1), 0.0, 1.0);
    const double width = (1.0 + 1.8 * tight) * u;
    const double inset = 3 * u;  // stop just inside the circle, off the planet dots
    cv.line(longitude_to_xy(f, b1->longitude, radius - inset),
            longitude_to_xy(f, b2->longitude, radius - inset), aspect_colour(a->type), width,
            0.55 + 0.4 * tight);
  }
}

void paint_planets(canvas& cv, const wheel_frame& f, const planet_ring& ring,
                   const std::vector<planet_placement>& planets, unsigned colour,
                   double dot_radius) {
  const double u = (f.cx * 2) / 800.0;
  for (const auto& p : planets) {
    const double t = p.glyph.true_longitude;
    const double d = p.glyph.display_longitude;
    cv.line(longitude_to_xy(f, t, ring.tick_outer), longitude_to_xy(f, t, ring.tick_inner), colour,
            1.6 * u);
    double shift = std::fabs(normalize_degrees(d - t + 180.0) - 180.0);
    if (shift > 0.4) {
      cv.line(longitude_to_xy(f, t, ring.tick_inner),
              longitude_to_xy(f, d, ring.glyph_radius + ring.glyph_size * 0.62), colour, 0.9 * u,
              0.55);
    }
    if (dot_radius > 0) {
      const point dot = longitude_to_xy(f, t, dot_radius);
      cairo_new_path(cv.cr());
      cairo_arc(cv.cr(), dot.x, dot.y, 2.6 * u, 0, 6.283185307179586);
      cv.set_colour(colour);
      cairo_fill(cv.cr());
    }
  }
  for (const auto& p : planets) {
    const double d = p.glyph.display_longitude;
    cv.text_centred(body_glyph(p.id), p.glyph.centre, ring.glyph_size / 0.88, colour);
    const int deg = static_cast<int>(std::floor(p.degree_in_sign));
    cv.text_centred(std::to_string(deg) + "\u00B0", longitude_to_xy(f, d, ring.degree_radius),
                    ring.label_size, palette::degree_text);
    if (p.retrograde && p.id != astro::body::mean_node && p.id != astro::body::true_node)
      cv.text_centred(retrograde_glyph, longitude_to_xy(f, d, ring.retro_radius), ring.label_size,
                      retro_colour);
  }
}

void paint_aspect_key(canvas& cv, double size) {
  using astro::aspect_type;
  const double u = size / 800.0;
  const aspect_type types[5] = {aspect_type::conjunction, aspect_type::opposition,
                                aspect_type::square, aspect_type::trine, aspect_type::sextile};
  const double row = 19 * u;
  const double x0 = 14 * u;
  double y = size - 14 * u - 4 * row;
  for (aspect_type t : types) {
    const unsigned col = aspect_colour(t);
    cv.line({x0, y}, {x0 + 20 * u, y}, col, 2.4 * u);
    const point sym{x0 + 33 * u, y};
    if (const char* g = aspect_glyph(t))
      cv.text_centred(g, sym, 15 * u, col);
    else
      cv.sextile_mark(sym, 6.5 * u, col, 1.7 * u);
    cv.text_at(aspect_label_ru(t), {x0 + 46 * u, y + 4.5 * u}, 12.5 * u, palette::legend_text);
    y += row;
  }
}

void paint_legend(canvas& cv, double size, const std::string& text) {
  const double u = size / 800.0;
  double y = 26 * u;
  std::size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line = text.substr(start, end - start);
    if (!line.empty())
      cv.text_at(line, {14 * u, y}, (first ? 15.5 : 13.5) * u, palette::legend_text, first);
    y += (first ? 22 : 19) * u;
    first = false;
    start = end + 1;
  }
}

void paint_biwheel_key(canvas& cv, double size, const char* outer_label, const char* inner_label) {
  const double u = size / 800.0;
  const double x = size - 120 * u;
  double y = size - 14 * u - 19 * u;
  const std::pair<unsigned, const char*> rows[2] = {{palette::transit_planet, outer_label},
                                                    {palette::natal_planet, inner_label}};
  for (const auto& [col, label] : rows) {
    cv.text_centred(body_glyph(astro::body::sun), {x, y}, 15 * u, col);
    cv.text_at(label, {x + 14 * u, y + 4.5 * u}, 12.5 * u, palette::legend_text);
    y += 19 * u;
  }
}

}  // namespace nocturna::render
