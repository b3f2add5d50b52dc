// The built-in chart renderer (issue 6): PNGs decode with the stated sizes, differ between charts,
// show each planet where the layout puts it, never overlap planet glyphs, and draw no houses for
// an unknown birth time. Charts are typed in by hand, independent of the engine.
#include <cairo.h>
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/render_commands.hpp"
#include "clients/render/chart_renderer.hpp"
#include "clients/render/glyphs.hpp"
#include "clients/render/png_codec.hpp"
#include "clients/render/wheel_geometry.hpp"
#include "clients/render/wheel_layout.hpp"
#include "tests/support/bot_process.hpp"

using namespace nocturna;
using namespace nocturna::render;
using astro::body;

namespace {

astro::body_position pos(body b, double lon, double speed = 1.0) {
  astro::body_position p;
  p.id = b;
  p.longitude = lon;
  p.speed = speed;
  return p;
}

// SUN..PLUTO at the given longitudes; Placidus-like cusps from `asc` every 30° when `houses`.
astro::chart make_chart(const std::vector<double>& lons, bool houses, double asc = 85.0) {
  astro::chart c;
  const body ids[] = {body::sun,     body::moon,   body::mercury, body::venus,   body::mars,
                      body::jupiter, body::saturn, body::uranus,  body::neptune, body::pluto};
  for (std::size_t i = 0; i < lons.size() && i < 10; ++i)
    c.positions.push_back(pos(ids[i], lons[i], i == 2 ? -0.5 : 1.0));
  c.time_known = houses;
  if (houses) {
    for (int i = 0; i < 12; ++i) c.houses.push_back({i + 1, std::fmod(asc + 30.0 * i, 360.0)});
    c.chart_angles = astro::angles{asc, std::fmod(asc + 270, 360), std::fmod(asc + 180, 360),
                                   std::fmod(asc + 90, 360)};
  }
  return c;
}

const std::vector<double> kSpread = {10, 50, 95, 140, 185, 230, 262, 300, 330, 350};

struct image {
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> s{nullptr,
                                                                       cairo_surface_destroy};
  int width() const { return cairo_image_surface_get_width(s.get()); }
  int height() const { return cairo_image_surface_get_height(s.get()); }
  unsigned pixel(int x, int y) const {
    const auto* row = cairo_image_surface_get_data(s.get()) +
                      static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(s.get());
    return reinterpret_cast<const std::uint32_t*>(row)[x] & 0xFFFFFF;
  }
  unsigned pixel(point p) const {
    return pixel(static_cast<int>(std::lround(p.x)), static_cast<int>(std::lround(p.y)));
  }
};

image decode(const std::string& png) {
  image img;
  img.s.reset(decode_png(png));
  REQUIRE(img.s != nullptr);
  return img;
}

bool near_colour(unsigned a, unsigned b, int tolerance) {
  for (int shift = 0; shift <= 16; shift += 8) {
    const int d = int((a >> shift) & 0xFF) - int((b >> shift) & 0xFF);
    if (std::abs(d) > tolerance) return false;
  }
  return true;
}

// Pixels of (about) `colour` inside `b`.
int count_colour(const image& img, const box& b, unsigned colour, int tolerance = 24) {
  int n = 0;
  for (int y = static_cast<int>(std::ceil(b.y0)); y <= static_cast<int>(b.y1); ++y)
    for (int x = static_cast<int>(std::ceil(b.x0)); x <= static_cast<int>(b.x1); ++x)
      if (x >= 0 && y >= 0 && x < img.width() && y < img.height() &&
          near_colour(img.pixel(x, y), colour, tolerance))
        ++n;
  return n;
}

std::vector<planet_placement> natal_placements(const astro::chart& c, int size = 800) {
  return place_planets(drawn_bodies(c, true), frame_for(c, size),
                       single_wheel_layout_for(c, size).natal);
}

double circular_distance(double a, double b) {
  const double d = std::fabs(normalize_degrees(a - b));
  return std::min(d, 360.0 - d);
}

}  // namespace

TEST_CASE("render pictures are PNGs of the stated sizes that cairo reads back") {
  const auto natal = make_chart(kSpread, true);
  const auto transit = make_chart({20, 70, 120, 160, 200, 240, 280, 310, 340, 355}, false);

  const std::string wheel = render_natal_wheel(natal);
  const std::string sky = render_sky(natal, "11.01.2026 20:00\nEurope/Moscow (UTC+03:00)");
  const std::string bi = render_transit_biwheel(natal, transit, {});
  for (const auto* png : {&wheel, &sky, &bi}) {
    REQUIRE(png->size() > 1000);
    CHECK(png->compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  }
  CHECK(decode(wheel).width() == 800);
  CHECK(decode(wheel).height() == 800);
  CHECK(decode(sky).width() == 800);
  CHECK(decode(sky).height() == 800);
  CHECK(decode(bi).width() == 1000);
  CHECK(decode(bi).height() == 1000);
  const auto size = read_png_size(bi);
  REQUIRE(size);
  CHECK(size->width == 1000);
  CHECK(size->height == 1000);

  wheel_options big;
  big.size = 1200;
  CHECK(decode(render_natal_wheel(natal, big)).width() == 1200);
}

TEST_CASE("render pictures differ between charts and are deterministic") {
  const auto a = make_chart(kSpread, true);
  auto b = a;
  b.positions[0].longitude = 200;  // the Sun moves
  const auto pa = render_natal_wheel(a);
  CHECK(render_natal_wheel(a) == pa);
  CHECK(render_natal_wheel(b) != pa);
  CHECK(render_natal_wheel(make_chart(kSpread, false)) != pa);
  CHECK(render_sky(a, "01.01.2026 00:00") != render_sky(a, "01.01.2026 01:00"));
  CHECK(render_transit_biwheel(a, a, {}) != render_transit_biwheel(a, b, {}));
}

TEST_CASE("render draws each planet glyph inside its computed box") {
  const auto c = make_chart(kSpread, true);
  const auto img = decode(render_natal_wheel(c));
  const auto places = natal_placements(c);
  REQUIRE(places.size() == 10);
  for (const auto& p : places) {
    CAPTURE(static_cast<int>(p.id));
    CHECK(count_colour(img, p.glyph.bounds, palette::natal_planet) >= 15);
    // Isolated planets stay at their true longitude.
    CHECK(p.glyph.display_longitude == doctest::Approx(p.glyph.true_longitude));
  }

  // Move the Sun: its old box is empty, its new box is inked.
  auto moved = c;
  moved.positions[0].longitude = 160;
  const auto img2 = decode(render_natal_wheel(moved));
  const auto places2 = natal_placements(moved);
  CHECK(count_colour(img2, places[0].glyph.bounds, palette::natal_planet) == 0);
  CHECK(count_colour(img2, places2[0].glyph.bounds, palette::natal_planet) >= 15);
  // The glyph sits at the longitude: 10° from the ASC (85°) is 75° clockwise from 9 o'clock.
  const auto l = single_wheel_layout(800);
  const point expect = longitude_to_xy(frame_for(c, 800), 10, l.natal.glyph_radius);
  CHECK(places[0].glyph.centre.x == doctest::Approx(expect.x));
  CHECK(places[0].glyph.centre.y == doctest::Approx(expect.y));
}

TEST_CASE("render transit biwheel draws transit glyphs on the outer ring") {
  const auto natal = make_chart(kSpread, true);
  const auto transit = make_chart({20, 70, 120, 160, 200, 240, 280, 310, 340, 355}, true, 200);
  astro::aspect a;
  a.p1.id = body::sun;
  a.p2.id = body::moon;
  a.type = astro::aspect_type::sextile;
  a.orb = 0.5;
  const auto img = decode(render_transit_biwheel(natal, transit, {a}));
  const auto l = biwheel_layout(1000);
  const auto f = frame_for(natal, 1000);  // the natal chart orients the biwheel
  CHECK(f.start_longitude == doctest::Approx(85.0));
  const auto outer = place_planets(drawn_bodies(transit, true), f, l.transit);
  const auto inner = place_planets(drawn_bodies(natal, true), f, l.natal);
  for (const auto& p : outer)
    CHECK(count_colour(img, p.glyph.bounds, palette::transit_planet) >= 12);
  for (const auto& p : inner) CHECK(count_colour(img, p.glyph.bounds, palette::natal_planet) >= 12);
  CHECK(l.transit.glyph_radius > l.natal.glyph_radius);
  // The aspect line: its midpoint carries the sextile colour.
  const point p1 = longitude_to_xy(f, 10, l.aspect_radius - 3);
  const point p2 = longitude_to_xy(f, 70, l.aspect_radius - 3);
  const point mid{(p1.x + p2.x) / 2, (p1.y + p2.y) / 2};
  CHECK(count_colour(img, {mid.x - 2, mid.y - 2, mid.x + 2, mid.y + 2},
                     aspect_colour(astro::aspect_type::sextile), 40) > 0);
}

TEST_CASE("render spreads a 5-planet stellium without overlapping glyph boxes") {
  // Sun, Mercury, Venus, Mars, Saturn within 4°, across 0° Aries; the rest scattered.
  const auto c = make_chart({358.5, 120, 359.2, 0.4, 1.1, 200, 2.3, 250, 300, 60}, true);
  auto check_ring = [](const std::vector<planet_placement>& places) {
    for (std::size_t i = 0; i < places.size(); ++i)
      for (std::size_t j = i + 1; j < places.size(); ++j) {
        CAPTURE(i);
        CAPTURE(j);
        CHECK_FALSE(places[i].glyph.bounds.overlaps(places[j].glyph.bounds));
      }
  };
  const auto single = natal_placements(c);
  REQUIRE(single.size() == 10);
  check_ring(single);

  const auto f = frame_for(c, 1000);
  const auto l = biwheel_layout(1000);
  check_ring(place_planets(drawn_bodies(c, true), f, l.natal));
  check_ring(place_planets(drawn_bodies(c, true), f, l.transit));

  // The fan keeps the zodiac order and stays centred on the group.
  const double sep = min_glyph_separation(single_wheel_layout(800).natal.glyph_size,
                                          single_wheel_layout(800).natal.glyph_radius);
  const std::size_t group[] = {0, 2, 3, 4, 6};  // by longitude
  for (std::size_t k = 0; k + 1 < 5; ++k)
    CHECK(normalize_degrees(single[group[k + 1]].glyph.display_longitude -
                            single[group[k]].glyph.display_longitude) ==
          doctest::Approx(sep).epsilon(1e-6));
  // Each glyph is drawn in its box, and ticks mark the true degrees.
  const auto img = decode(render_natal_wheel(c));
  for (const std::size_t k : group)
    CHECK(count_colour(img, single[k].glyph.bounds, palette::natal_planet) >= 15);
}

TEST_CASE("render spread_longitudes keeps isolated points and separates close ones") {
  CHECK(spread_longitudes({}, 8).empty());
  const auto one = spread_longitudes({123.4}, 8);
  CHECK(one[0] == doctest::Approx(123.4));

  const auto two = spread_longitudes({100, 102, 250}, 8);
  CHECK(two[0] == doctest::Approx(97));
  CHECK(two[1] == doctest::Approx(105));
  CHECK(two[2] == doctest::Approx(250));

  // A group across 0° and a chain that pushes into its neighbour.
  const std::vector<double> lons = {359, 0.5, 1.5, 12, 14, 180};
  const auto out = spread_longitudes(lons, 6);
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = i + 1; j < out.size(); ++j)
      CHECK(circular_distance(out[i], out[j]) >= 6 - 1e-9);
  CHECK(out[5] == doctest::Approx(180));

  // More points than fit: the spacing shrinks to 360/n and nothing overlaps.
  std::vector<double> many(40, 10.0);
  const auto crowd = spread_longitudes(many, 20);
  for (std::size_t i = 0; i < crowd.size(); ++i)
    for (std::size_t j = i + 1; j < crowd.size(); ++j)
      CHECK(circular_distance(crowd[i], crowd[j]) >= 9 - 1e-6);
}

TEST_CASE("render orientation puts the ASC or 0 Aries at 9 o clock and runs counter-clockwise") {
  const wheel_frame f{400, 400, 85};
  const point asc = longitude_to_xy(f, 85, 100);
  CHECK(asc.x == doctest::Approx(300));
  CHECK(asc.y == doctest::Approx(400));
  const point ic_side = longitude_to_xy(f, 175, 100);  // +90°: 6 o'clock
  CHECK(ic_side.x == doctest::Approx(400));
  CHECK(ic_side.y == doctest::Approx(500));
  const point mc_side = longitude_to_xy(f, 355, 100);  // +270°: 12 o'clock
  CHECK(mc_side.x == doctest::Approx(400));
  CHECK(mc_side.y == doctest::Approx(300));

  CHECK(wheel_start_longitude(make_chart(kSpread, true, 85)) == doctest::Approx(85));
  CHECK(wheel_start_longitude(make_chart(kSpread, false)) == 0);
  CHECK(min_glyph_separation(20, 200) > 0);
  CHECK(normalize_degrees(-30) == doctest::Approx(330));
  CHECK(normalize_degrees(720.5) == doctest::Approx(0.5));
}

TEST_CASE("render unknown birth time draws no houses or cusps or ASC MC marks") {
  const auto with = make_chart(kSpread, true, 85);
  const auto without = make_chart(kSpread, false);
  REQUIRE_FALSE(chart_has_houses(without));
  const int size = 800;
  const auto l = single_wheel_layout(size);
  const auto img_with = decode(render_natal_wheel(with));
  const auto img_without = decode(render_natal_wheel(without));

  // Just outside the zodiac ring only the ASC/MC wedges are drawn.
  const double r_mark = l.zodiac_outer + 4;
  const auto f_with = frame_for(with, size);
  CHECK(near_colour(img_with.pixel(longitude_to_xy(f_with, 85, r_mark)), palette::angle_axis, 8));
  CHECK(near_colour(img_with.pixel(longitude_to_xy(f_with, 355, r_mark)), palette::angle_axis, 8));
  const auto f_without = frame_for(without, size);
  int outside = 0;
  for (int k = 0; k < 720; ++k)
    outside +=
        img_without.pixel(longitude_to_xy(f_without, k / 2.0, r_mark)) != palette::background;
  CHECK(outside == 0);

  // The house ring: filled with its colour when known, bare background (apart from the planets'
  // ticks) when unknown. Sampled halfway between the cusps, away from any planet.
  const double r_ring = (l.house_outer + l.house_inner) / 2;
  int ring_with = 0, ring_without = 0;
  for (int k = 0; k < 360; k += 5) {
    bool near_planet = false;
    for (double lon : kSpread) near_planet |= circular_distance(lon, k) < 4;
    if (near_planet) continue;
    ring_with +=
        near_colour(img_with.pixel(longitude_to_xy(f_with, k, r_ring)), palette::house_fill, 2);
    ring_without += img_without.pixel(longitude_to_xy(f_without, k, r_ring)) != palette::background;
  }
  CHECK(ring_with > 30);
  CHECK(ring_without == 0);

  // The biwheel of a natal chart without houses: no marks either.
  const auto lb = biwheel_layout(1000);
  const auto bi = decode(render_transit_biwheel(without, with, {}));
  const auto fb = frame_for(without, 1000);
  int bi_outside = 0;
  for (int k = 0; k < 720; ++k)
    bi_outside +=
        bi.pixel(longitude_to_xy(fb, k / 2.0, lb.zodiac_outer + 4)) != palette::background;
  CHECK(bi_outside == 0);
}

TEST_CASE("render can run on several threads at once") {
  const auto c = make_chart(kSpread, true);
  const std::string expected = render_natal_wheel(c);
  std::vector<std::string> out(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < out.size(); ++i)
    threads.emplace_back([&, i] { out[i] = render_natal_wheel(c); });
  for (auto& t : threads) t.join();
  for (const auto& png : out) CHECK(png == expected);
}

TEST_CASE("render skips non-finite positions and aspects to angles") {
  auto c = make_chart(kSpread, true);
  c.positions[3].longitude = std::nan("");
  CHECK(drawn_bodies(c, true).size() == 9);
  astro::aspect to_asc;
  to_asc.p1.id = body::sun;
  to_asc.p2.angle = "ASC";
  c.aspects.push_back(to_asc);
  CHECK(decode(render_natal_wheel(c)).width() == 800);

  auto points = c;
  points.positions.push_back(pos(body::mean_node, 40, -0.05));
  points.positions.push_back(pos(body::true_node, 41, 0.01));
  points.positions.push_back(pos(body::chiron, 77, 0.02));
  CHECK(drawn_bodies(points, true).size() == 11);  // no true node
  CHECK(drawn_bodies(points, false).size() == 9);
}

TEST_CASE("render sample command writes the fixed chart pictures") {
  nocturna::testing::temp_dir dir;
  const std::pair<const char*, int> kinds[] = {
      {"natal", 800}, {"natal-notime", 800}, {"sky", 800}, {"transit", 1000}};
  for (const auto& [kind, side] : kinds) {
    CAPTURE(kind);
    const std::string out = dir.path() + "/" + kind + ".png";
    REQUIRE(render_sample_main({"sample", "--out", out, "--kind", kind}) == 0);
    std::ifstream f(out, std::ios::binary);
    const std::string png{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
    const auto size = read_png_size(png);
    REQUIRE(size);
    CHECK(size->width == side);
    CHECK(size->height == side);
  }
  CHECK(render_sample_main({"sample"}) == 2);
  CHECK(render_sample_main({"sample", "--out", dir.path() + "/x.png", "--kind", "moon"}) == 2);
  CHECK(render_sample_main({"--out", dir.path() + "/no/such/dir/x.png"}) == 1);
}
