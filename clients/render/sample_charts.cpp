#include "clients/render/sample_charts.hpp"

namespace nocturna::render {
namespace {

using astro::aspect_type;
using astro::body;

struct row {
  body id;
  double longitude, speed;
};

astro::aspect_point point_of(body b) {
  astro::aspect_point p;
  p.id = b;
  return p;
}

astro::aspect make_aspect(body a, body b, aspect_type t, double orb, bool applying) {
  astro::aspect x;
  x.p1 = point_of(a);
  x.p2 = point_of(b);
  x.type = t;
  x.orb = orb;
  x.applying = applying;
  return x;
}

void fill_positions(astro::chart& c, const std::vector<row>& rows) {
  for (const auto& r : rows) {
    astro::body_position p;
    p.id = r.id;
    p.longitude = r.longitude;
    p.speed = r.speed;
    c.positions.push_back(p);
  }
}

}  // namespace

astro::chart sample_natal_chart() {
  astro::chart c;
  c.moment_utc = 632431800;  // 1990-01-15T19:30:00Z
  c.jd_ut = 2447907.3125;
  c.latitude = 40.7128;
  c.longitude = -74.006;
  c.zone = "America/New_York";
  c.ephemeris = "swieph";
  fill_positions(c, {{body::sun, 295.396453, 1.018214},
                     {body::moon, 171.389877, 12.399494},
                     {body::mercury, 281.126909, -0.670727},
                     {body::venus, 300.499417, -0.598211},
                     {body::mars, 260.131611, 0.712142},
                     {body::jupiter, 93.329517, -0.116684},
                     {body::saturn, 287.351288, 0.117756},
                     {body::uranus, 276.631294, 0.057735},
                     {body::neptune, 282.577376, 0.037136},
                     {body::pluto, 227.434478, 0.020153},
                     {body::mean_node, 317.677286, -0.052974},
                     {body::mean_lilith, 218.067506, 0.112011},
                     {body::chiron, 102.838949, -0.066538}});
  const double cusps[12] = {85.698338,  106.029082, 126.700540, 151.458483, 184.331058, 225.847549,
                            265.698338, 286.029082, 306.700540, 331.458483, 4.331058,   45.847549};
  for (int i = 0; i < 12; ++i) c.houses.push_back({i + 1, cusps[i]});
  c.chart_angles = astro::angles{85.698338, 331.458483, 265.698338, 151.458483};
  c.aspects = {make_aspect(body::saturn, body::pluto, aspect_type::sextile, 0.0832, true),
               make_aspect(body::moon, body::mars, aspect_type::square, 1.2583, false),
               make_aspect(body::mercury, body::neptune, aspect_type::conjunction, 1.4505, false),
               make_aspect(body::jupiter, body::uranus, aspect_type::opposition, 3.3018, false),
               make_aspect(body::moon, body::pluto, aspect_type::sextile, 3.9554, false),
               make_aspect(body::sun, body::moon, aspect_type::trine, 4.0066, true),
               make_aspect(body::moon, body::saturn, aspect_type::trine, 4.0386, false),
               make_aspect(body::mercury, body::uranus, aspect_type::conjunction, 4.4956, true),
               make_aspect(body::saturn, body::neptune, aspect_type::conjunction, 4.7739, false),
               make_aspect(body::sun, body::venus, aspect_type::conjunction, 5.1030, true),
               make_aspect(body::uranus, body::neptune, aspect_type::conjunction, 5.9461, true),
               make_aspect(body::mercury, body::saturn, aspect_type::conjunction, 6.2244, false),
               make_aspect(body::mercury, body::jupiter, aspect_type::opposition, 7.7974, true)};
  return c;
}

astro::chart sample_natal_chart_without_time() {
  astro::chart c = sample_natal_chart();
  c.time_known = false;
  c.houses.clear();
  c.chart_angles.reset();
  return c;
}

astro::chart sample_transit_chart() {
  // swetest 2.10.03 (-eswe) at 11.1.2026 17:00 UT.
  astro::chart c;
  c.moment_utc = 1768150800;  // 2026-01-11T17:00:00Z
  c.jd_ut = 2461052.208333333;
  c.latitude = 55.7558;
  c.longitude = 37.6173;
  c.zone = "Europe/Moscow";
  c.ephemeris = "swieph";
  c.time_known = true;
  fill_positions(c, {{body::sun, 291.479019, 1.018933},
                     {body::moon, 213.027670, 11.939084},
                     {body::mercury, 285.340178, 1.594465},
                     {body::venus, 292.678091, 1.257826},
                     {body::mars, 290.931681, 0.773235},
                     {body::jupiter, 109.926211, -0.134890},
                     {body::saturn, 356.877090, 0.074001},
                     {body::uranus, 57.695251, -0.019784},
                     {body::neptune, 359.670939, 0.018162},
                     {body::pluto, 303.049292, 0.031504},
                     {body::mean_node, 341.603853, -0.052954},
                     {body::mean_lilith, 242.454549, 0.112035},
                     {body::chiron, 22.637429, 0.008503}});
  return c;
}

astro::chart sample_sky_chart() {
  astro::chart c = sample_transit_chart();
  // swetest -house37.6173,55.7558,P at the same moment.
  const double cusps[12] = {149.400368, 167.647466, 192.416048, 226.300546, 267.246038, 302.565934,
                            329.400368, 347.647466, 12.416048,  46.300546,  87.246038,  122.565934};
  for (int i = 0; i < 12; ++i) c.houses.push_back({i + 1, cusps[i]});
  c.chart_angles = astro::angles{149.400368, 46.300546, 329.400368, 226.300546};
  // docs/calculations.md §5 applied to the positions above (orbs 8/8/6/6/4).
  c.aspects = {make_aspect(body::moon, body::pluto, aspect_type::square, 0.0216, true),
               make_aspect(body::sun, body::mars, aspect_type::conjunction, 0.5473, false),
               make_aspect(body::saturn, body::uranus, aspect_type::sextile, 0.8182, true),
               make_aspect(body::mars, body::jupiter, aspect_type::opposition, 1.0055, false),
               make_aspect(body::sun, body::venus, aspect_type::conjunction, 1.1991, false),
               make_aspect(body::sun, body::jupiter, aspect_type::opposition, 1.5528, false),
               make_aspect(body::venus, body::mars, aspect_type::conjunction, 1.7464, false),
               make_aspect(body::uranus, body::neptune, aspect_type::sextile, 1.9757, false),
               make_aspect(body::venus, body::jupiter, aspect_type::opposition, 2.7519, false),
               make_aspect(body::saturn, body::neptune, aspect_type::conjunction, 2.7938, true),
               make_aspect(body::neptune, body::pluto, aspect_type::sextile, 3.3784, false),
               make_aspect(body::mercury, body::jupiter, aspect_type::opposition, 4.5860, true),
               make_aspect(body::venus, body::uranus, aspect_type::trine, 5.0172, true),
               make_aspect(body::uranus, body::pluto, aspect_type::trine, 5.3540, false),
               make_aspect(body::mercury, body::mars, aspect_type::conjunction, 5.5915, true),
               make_aspect(body::sun, body::mercury, aspect_type::conjunction, 6.1388, true),
               make_aspect(body::mercury, body::venus, aspect_type::conjunction, 7.3379, true)};
  return c;
}

std::vector<astro::aspect> sample_transit_aspects() {
  // docs/calculations.md A2 without the rows to ASC and MC; p1 natal, p2 transit.
  return {make_aspect(body::moon, body::sun, aspect_type::trine, 0.0891, false),
          make_aspect(body::jupiter, body::moon, aspect_type::trine, 0.3018, true),
          make_aspect(body::moon, body::mars, aspect_type::trine, 0.4582, true),
          make_aspect(body::venus, body::neptune, aspect_type::sextile, 0.8285, true),
          make_aspect(body::moon, body::venus, aspect_type::trine, 1.2882, false),
          make_aspect(body::moon, body::jupiter, aspect_type::sextile, 1.4637, false),
          make_aspect(body::sun, body::saturn, aspect_type::sextile, 1.4806, false),
          make_aspect(body::saturn, body::mercury, aspect_type::conjunction, 2.0111, true),
          make_aspect(body::pluto, body::mercury, aspect_type::sextile, 2.0943, true),
          make_aspect(body::sun, body::uranus, aspect_type::trine, 2.2988, true),
          make_aspect(body::pluto, body::jupiter, aspect_type::trine, 2.4917, true),
          make_aspect(body::venus, body::moon, aspect_type::square, 2.5283, false),
          make_aspect(body::venus, body::pluto, aspect_type::conjunction, 2.5499, false),
          make_aspect(body::saturn, body::jupiter, aspect_type::opposition, 2.5749, true),
          make_aspect(body::sun, body::venus, aspect_type::conjunction, 2.7184, true),
          make_aspect(body::neptune, body::mercury, aspect_type::conjunction, 2.7628, false),
          make_aspect(body::venus, body::uranus, aspect_type::trine, 2.8042, false)};
}

}  // namespace nocturna::render
