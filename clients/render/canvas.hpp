// An opaque cairo RGB image owned by one call (no shared state, so rendering is safe on any
// thread), with the few drawing helpers the wheels need, and PNG encoding.
#pragma once

#include <cairo.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "clients/render/glyphs.hpp"
#include "clients/render/wheel_geometry.hpp"

namespace nocturna::render {

// Thrown when cairo fails (out of memory, PNG encoding error).
struct render_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class canvas {
 public:
  canvas(int width, int height);  // throws render_error
  ~canvas();
  canvas(const canvas&) = delete;
  canvas& operator=(const canvas&) = delete;

  cairo_t* cr() const { return cr_; }
  int width() const { return width_; }
  int height() const { return height_; }

  void set_colour(unsigned hex, double alpha = 1.0);
  void fill_background(unsigned hex);
  // A ring between two radii (r_inner may be 0 for a disc), filled and/or outlined.
  void ring(point c, double r_outer, double r_inner, unsigned fill_hex);
  void circle(point c, double r, unsigned hex, double width, double alpha = 1.0);
  void line(point a, point b, unsigned hex, double width, double alpha = 1.0);
  // Text whose ink box is centred on `c`.
  void text_centred(const std::string& utf8, point c, double size, unsigned hex, bool bold = false);
  // Width and height of the ink of `utf8`.
  point text_size(const std::string& utf8, double size, bool bold = false);
  // Many straight segments of one colour and width stroked at once (much faster than line()).
  void segments(const std::vector<std::pair<point, point>>& segs, unsigned hex, double width);
  // Text starting at `left_baseline` (x of the pen, y of the baseline).
  void text_at(const std::string& utf8, point left_baseline, double size, unsigned hex,
               bool bold = false);
  // Six-pointed asterisk (the sextile symbol) of radius `r` centred on `c`.
  void sextile_mark(point c, double r, unsigned hex, double width);

  // PNG bytes of the image; throws render_error.
  std::string png() const;

 private:
  int width_, height_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

}  // namespace nocturna::render
