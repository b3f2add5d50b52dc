#include "clients/render/wheel_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nocturna::render {
namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double rad = pi / 180.0;

// A run of neighbouring points laid out `sep` apart around `centre`.
struct cluster {
  std::size_t first = 0;  // index into the unwrapped order
  std::size_t count = 1;
  double sum = 0;  // sum of the members' true (unwrapped) longitudes
  double start(double sep) const { return sum / count - sep * (count - 1) / 2.0; }
  double end(double sep) const { return start(sep) + sep * (count - 1); }
};

}  // namespace

double normalize_degrees(double deg) {
  double r = std::fmod(deg, 360.0);
  if (r < 0) r += 360.0;
  if (r >= 360.0) r = 0;  // -1e-17 + 360 rounds to 360
  return r;
}

bool chart_has_houses(const astro::chart& c) {
  return c.time_known && c.houses.size() == 12 && c.chart_angles.has_value();
}

double wheel_start_longitude(const astro::chart& c) {
  return chart_has_houses(c) ? normalize_degrees(c.chart_angles->asc) : 0.0;
}

point longitude_to_xy(const wheel_frame& f, double longitude, double radius) {
  const double theta = (180.0 + longitude - f.start_longitude) * rad;
  return {f.cx + radius * std::cos(theta), f.cy - radius * std::sin(theta)};
}

double min_glyph_separation(double glyph_size, double radius) {
  // Two centres a chord c apart differ by at least c/√2 along x or y; boxes of side g are apart
  // when that is ≥ g, so c = g·√2 suffices in every direction.
  const double half_chord = glyph_size * std::sqrt(2.0) / 2.0;
  if (radius <= half_chord) return 180.0;
  return 2.0 * std::asin(half_chord / radius) / rad;
}

std::vector<double> spread_longitudes(const std::vector<double>& longitudes, double min_sep) {
  const std::size_t n = longitudes.size();
  std::vector<double> out(n);
  if (n == 0) return out;
  const double sep = std::min(std::max(min_sep, 0.0), 360.0 / n);

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> lon(n);
  for (std::size_t i = 0; i < n; ++i) lon[i] = normalize_degrees(longitudes[i]);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return lon[a] < lon[b]; });

  // Open the circle at its widest gap: the sequence starts right after it.
  std::size_t start = 0;
  double widest = -1;
  for (std::size_t k = 0; k < n; ++k) {
    const double next = k + 1 < n ? lon[order[k + 1]] : lon[order[0]] + 360.0;
    const double gap = next - lon[order[k]];
    if (gap > widest) {
      widest = gap;
      start = (k + 1) % n;
    }
  }
  std::vector<double> u(n);  // unwrapped, non-decreasing
  std::vector<std::size_t> idx(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t j = (start + k) % n;
    idx[k] = order[j];
    u[k] = lon[order[j]] + (j < start ? 360.0 : 0.0);
  }

  std::vector<cluster> cl;
  for (std::size_t k = 0; k < n; ++k) cl.push_back({k, 1, u[k]});
  constexpr double eps = 1e-9;
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i + 1 < cl.size(); ++i) {
      if (cl[i].end(sep) + sep > cl[i + 1].start(sep) + eps) {
        cl[i].count += cl[i + 1].count;
        cl[i].sum += cl[i + 1].sum;
        cl.erase(cl.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        merged = true;
        break;
      }
    }
  }
  // Across the opening: the last glyph must stay `sep` short of the first one + 360.
  if (cl.size() > 1 && cl.back().end(sep) + sep > cl.front().start(sep) + 360.0 + eps) {
    cluster all{0, n, std::accumulate(u.begin(), u.end(), 0.0)};
    cl.assign(1, all);
  }
  for (const auto& c : cl) {
    for (std::size_t j = 0; j < c.count; ++j)
      out[idx[c.first + j]] = normalize_degrees(c.start(sep) + sep * j);
  }
  return out;
}

std::vector<glyph_placement> layout_glyphs(const std::vector<double>& longitudes,
                                           const wheel_frame& f, double radius, double glyph_size) {
  const auto shown = spread_longitudes(longitudes, min_glyph_separation(glyph_size, radius));
  std::vector<glyph_placement> out;
  out.reserve(longitudes.size());
  const double h = glyph_size / 2.0;
  for (std::size_t i = 0; i < longitudes.size(); ++i) {
    glyph_placement g;
    g.true_longitude = normalize_degrees(longitudes[i]);
    g.display_longitude = shown[i];
    g.centre = longitude_to_xy(f, shown[i], radius);
    g.bounds = {g.centre.x - h, g.centre.y - h, g.centre.x + h, g.centre.y + h};
    out.push_back(g);
  }
  return out;
}

}  // namespace nocturna::render
