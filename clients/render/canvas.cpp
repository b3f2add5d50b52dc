#include "clients/render/canvas.hpp"

#include <cmath>

#include "clients/render/png_codec.hpp"

namespace nocturna::render {
namespace {

constexpr const char* font_family = "DejaVu Sans";
constexpr double pi = 3.14159265358979323846;

void select_font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

}  // namespace

canvas::canvas(int width, int height) : width_(width), height_(height) {
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_surface_status(surface_));
    cairo_surface_destroy(surface_);
    throw render_error("cairo surface: " + why);
  }
  cr_ = cairo_create(surface_);
  if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
    const std::string why = cairo_status_to_string(cairo_status(cr_));
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
    throw render_error("cairo context: " + why);
  }
  cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
}

canvas::~canvas() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

void canvas::set_colour(unsigned hex, double alpha) {
  const rgb c = from_hex(hex);
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, alpha);
}

void canvas::fill_background(unsigned hex) {
  set_colour(hex);
  cairo_paint(cr_);
}

void canvas::ring(point c, double r_outer, double r_inner, unsigned fill_hex) {
  cairo_new_path(cr_);
  cairo_arc(cr_, c.x, c.y, r_outer, 0, 2 * pi);
  if (r_inner > 0) {
    cairo_new_sub_path(cr_);
    cairo_arc_negative(cr_, c.x, c.y, r_inner, 2 * pi, 0);
  }
  set_colour(fill_hex);
  cairo_fill(cr_);
}

void canvas::circle(point c, double r, unsigned hex, double width, double alpha) {
  cairo_new_path(cr_);
  cairo_arc(cr_, c.x, c.y, r, 0, 2 * pi);
  set_colour(hex, alpha);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

void canvas::line(point a, point b, unsigned hex, double width, double alpha) {
  cairo_new_path(cr_);
  cairo_move_to(cr_, a.x, a.y);
  cairo_line_to(cr_, b.x, b.y);
  set_colour(hex, alpha);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

void canvas::segments(const std::vector<std::pair<point, point>>& segs, unsigned hex,
                      double width) {
  cairo_new_path(cr_);
  for (const auto& [a, b] : segs) {
    cairo_move_to(cr_, a.x, a.y);
    cairo_line_to(cr_, b.x, b.y);
  }
  set_colour(hex);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

void canvas::text_centred(const std::string& utf8, point c, double size, unsigned hex, bool bold) {
  select_font(cr_, size, bold);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, utf8.c_str(), &e);
  cairo_new_path(cr_);
  cairo_move_to(cr_, c.x - e.x_bearing - e.width / 2.0, c.y - e.y_bearing - e.height / 2.0);
  set_colour(hex);
  cairo_show_text(cr_, utf8.c_str());
}

point canvas::text_size(const std::string& utf8, double size, bool bold) {
  select_font(cr_, size, bold);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, utf8.c_str(), &e);
  return {e.width, e.height};
}

void canvas::text_at(const std::string& utf8, point left_baseline, double size, unsigned hex,
                     bool bold) {
  select_font(cr_, size, bold);
  cairo_new_path(cr_);
  cairo_move_to(cr_, left_baseline.x, left_baseline.y);
  set_colour(hex);
  cairo_show_text(cr_, utf8.c_str());
}

void canvas::sextile_mark(point c, double r, unsigned hex, double width) {
  cairo_new_path(cr_);
  for (int k = 0; k < 3; ++k) {
    const double a = pi / 2 + k * pi / 3;
    cairo_move_to(cr_, c.x + r * std::cos(a), c.y - r * std::sin(a));
    cairo_line_to(cr_, c.x - r * std::cos(a), c.y + r * std::sin(a));
  }
  set_colour(hex);
  cairo_set_line_width(cr_, width);
  cairo_stroke(cr_);
}

std::string canvas::png() const {
  if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS)
    throw render_error(std::string("cairo drawing: ") + cairo_status_to_string(cairo_status(cr_)));
  auto bytes = encode_png_rgb24(surface_);
  if (!bytes) throw render_error("png encoding failed");
  return std::move(*bytes);
}

}  // namespace nocturna::render
