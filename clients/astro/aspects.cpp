// Aspects (docs/calculations.md §5).
#include "clients/astro/aspects.hpp"

#include <algorithm>
#include <cmath>
#include <tuple>

namespace nocturna::astro {

namespace {

constexpr aspect_type all_types[] = {aspect_type::conjunction, aspect_type::opposition,
                                     aspect_type::trine, aspect_type::square, aspect_type::sextile};

bool aspected(body b) {
  return static_cast<int>(b) <= static_cast<int>(body::pluto);
}

// Sort rank of a point: bodies by §1.1 order, then ASC, then MC.
int rank(const aspect_point& p) {
  if (p.id) return static_cast<int>(*p.id);
  return p.angle == "ASC" ? 100 : 101;
}

// λ₂ − λ₁ in (−180, 180].
double signed_separation(double lon1, double lon2) {
  double d = std::fmod(lon2 - lon1, 360.0);
  if (d <= -180.0) d += 360.0;
  if (d > 180.0) d -= 360.0;
  return d;
}

aspect_body from_position(const body_position& p, bool fixed) {
  aspect_body a;
  a.point.id = p.id;
  a.longitude = p.longitude;
  a.speed = fixed ? 0.0 : p.speed;
  return a;
}

aspect_body from_angle(const char* name, double lon) {
  aspect_body a;
  a.point.angle = name;
  a.longitude = lon;
  return a;
}

}  // namespace

double aspect_orbs::of(aspect_type t) const {
  switch (t) {
    case aspect_type::conjunction:
      return conjunction;
    case aspect_type::opposition:
      return opposition;
    case aspect_type::trine:
      return trine;
    case aspect_type::square:
      return square;
    case aspect_type::sextile:
      return sextile;
  }
  return 0;
}

double aspect_angle(aspect_type t) {
  switch (t) {
    case aspect_type::conjunction:
      return 0;
    case aspect_type::opposition:
      return 180;
    case aspect_type::trine:
      return 120;
    case aspect_type::square:
      return 90;
    case aspect_type::sextile:
      return 60;
  }
  return 0;
}

std::optional<aspect> match_aspect(const aspect_body& p1, const aspect_body& p2,
                                   const aspect_orbs& orbs) {
  const double d = signed_separation(p1.longitude, p2.longitude);
  const double sep = std::fabs(d);
  const double sign_d = d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0);
  const double rate = sign_d * (p2.speed - p1.speed);  // d(sep)/dt
  for (aspect_type t : all_types) {
    const double e = sep - aspect_angle(t);
    if (std::fabs(e) > orbs.of(t)) continue;
    aspect a;
    a.p1 = p1.point;
    a.p2 = p2.point;
    a.type = t;
    a.orb = std::fabs(e);
    a.applying = e * rate < 0;  // e = 0 or rate = 0 → separating
    return a;
  }
  return std::nullopt;
}

std::vector<aspect> chart_aspects(const std::vector<body_position>& positions) {
  std::vector<const body_position*> bodies;
  for (const auto& p : positions)
    if (aspected(p.id)) bodies.push_back(&p);
  std::sort(bodies.begin(), bodies.end(), [](auto* a, auto* b) { return a->id < b->id; });
  std::vector<aspect> out;
  for (std::size_t i = 0; i < bodies.size(); ++i)
    for (std::size_t j = i + 1; j < bodies.size(); ++j)
      if (auto a = match_aspect(from_position(*bodies[i], false), from_position(*bodies[j], false),
                                natal_orbs))
        out.push_back(*a);
  sort_aspects(out);
  return out;
}

std::vector<aspect> transit_natal_aspects(const std::vector<body_position>& natal,
                                          const std::optional<angles>& natal_angles,
                                          const std::vector<body_position>& transit) {
  std::vector<aspect_body> natal_points;
  for (const auto& p : natal)
    if (aspected(p.id)) natal_points.push_back(from_position(p, true));
  if (natal_angles) {
    natal_points.push_back(from_angle("ASC", natal_angles->asc));
    natal_points.push_back(from_angle("MC", natal_angles->mc));
  }
  std::vector<aspect> out;
  for (const auto& n : natal_points)
    for (const auto& t : transit)
      if (aspected(t.id))
        if (auto a = match_aspect(n, from_position(t, false), transit_orbs)) out.push_back(*a);
  sort_aspects(out);
  return out;
}

std::vector<aspect> synastry_aspects(const chart& inner, const chart& outer) {
  const bool angles =
      inner.time_known && outer.time_known && inner.chart_angles && outer.chart_angles;
  auto points = [angles](const chart& c) {
    std::vector<aspect_body> out;
    for (const auto& p : c.positions)
      if (aspected(p.id)) out.push_back(from_position(p, true));
    std::sort(out.begin(), out.end(),
              [](const aspect_body& a, const aspect_body& b) { return *a.point.id < *b.point.id; });
    if (angles) {
      out.push_back(from_angle("ASC", c.chart_angles->asc));
      out.push_back(from_angle("MC", c.chart_angles->mc));
    }
    return out;
  };
  const auto mine = points(inner), theirs = points(outer);
  std::vector<aspect> out;
  for (const auto& a : mine)
    for (const auto& b : theirs)
      if (auto found = match_aspect(a, b, natal_orbs)) out.push_back(*found);
  sort_aspects(out);
  return out;
}

void sort_aspects(std::vector<aspect>& aspects) {
  std::stable_sort(aspects.begin(), aspects.end(), [](const aspect& a, const aspect& b) {
    return std::make_tuple(a.orb, rank(a.p1), rank(a.p2)) <
           std::make_tuple(b.orb, rank(b.p1), rank(b.p2));
  });
}

}  // namespace nocturna::astro
