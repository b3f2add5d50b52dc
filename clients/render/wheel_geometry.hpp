// Pure geometry of the chart wheels: where a longitude lands on the picture, and how planet glyphs
// are spread so that close planets do not overlap. No drawing here, so tests can check positions.
//
// Orientation: `start_longitude` sits at 9 o'clock (the ASC when the chart has houses, else 0°
// Aries) and longitudes increase counter-clockwise. Picture coordinates: x to the right, y down.
#pragma once

#include <cstddef>
#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::render {

struct point {
  double x = 0, y = 0;
};

// An axis-aligned rectangle; touching edges do not count as overlap.
struct box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool overlaps(const box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
  bool contains(point p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

struct wheel_frame {
  double cx = 0, cy = 0;       // centre of the wheel in pixels
  double start_longitude = 0;  // the longitude drawn at 9 o'clock
};

// `deg` brought into [0, 360).
double normalize_degrees(double deg);

// The ASC when the chart has houses and angles, else 0 (Aries).
double wheel_start_longitude(const astro::chart& c);

// True when the wheel draws houses, cusps and ASC/MC for this chart (12 cusps and the angles).
bool chart_has_houses(const astro::chart& c);

// The pixel at ecliptic `longitude` on the circle of `radius` around the frame's centre.
point longitude_to_xy(const wheel_frame& f, double longitude, double radius);

// Smallest angular distance (degrees) between two glyph centres on a circle of `radius` so that
// their square boxes of side `glyph_size` can never overlap, whatever the direction.
double min_glyph_separation(double glyph_size, double radius);

// Display longitudes for points at `longitudes` (any order) such that neighbours on the circle are
// at least `min_sep` degrees apart (reduced to 360/n when n points cannot fit). Close points are
// fanned out symmetrically around the mean of their group; circular order is kept; isolated points
// stay where they are. Results are in [0, 360), one per input, in input order.
std::vector<double> spread_longitudes(const std::vector<double>& longitudes, double min_sep);

struct glyph_placement {
  double true_longitude = 0;
  double display_longitude = 0;
  point centre;
  box bounds;  // square of side glyph_size centred on `centre`
};

// Places one glyph per longitude on the circle of `radius`, spread so no two boxes overlap.
std::vector<glyph_placement> layout_glyphs(const std::vector<double>& longitudes,
                                           const wheel_frame& f, double radius, double glyph_size);

}  // namespace nocturna::render
