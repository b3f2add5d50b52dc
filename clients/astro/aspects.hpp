// Aspects (docs/calculations.md §5): pure functions over longitudes and speeds.
#pragma once

#include <optional>
#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::astro {

// Orb limits per type (inclusive), indexed by aspect_type.
struct aspect_orbs {
  double conjunction, opposition, trine, square, sextile;
  double of(aspect_type t) const;
};
constexpr aspect_orbs natal_orbs{8, 8, 6, 6, 4};    // natal and sky charts
constexpr aspect_orbs transit_orbs{3, 3, 3, 3, 3};  // transit-to-natal

// Exact angle of a type in degrees (0, 180, 120, 90, 60).
double aspect_angle(aspect_type t);

// One point of a pair: what it is, where, how fast (natal points of a transit pair: speed 0).
struct aspect_body {
  aspect_point point;
  double longitude = 0;
  double speed = 0;
};

// §5.3 for one ordered pair: the aspect within `orbs`, if any (windows do not overlap, so at most
// one). `applying` ⇔ the separation moves toward the exact angle.
std::optional<aspect> match_aspect(const aspect_body& p1, const aspect_body& p2,
                                   const aspect_orbs& orbs);

// §5.2 natal/sky: every unordered pair of SUN..PLUTO once, planet1 earlier in §1.1 order; sorted.
std::vector<aspect> chart_aspects(const std::vector<body_position>& positions);

// §5.2 transit-to-natal: natal SUN..PLUTO (+ ASC and MC when `natal_angles` is set, i.e. the
// birth time is known) × transiting SUN..PLUTO, orb 3°; planet1 natal; sorted.
std::vector<aspect> transit_natal_aspects(const std::vector<body_position>& natal,
                                          const std::optional<angles>& natal_angles,
                                          const std::vector<body_position>& transit);

// Synastry (docs/interpretations.md "Compatibility"): `inner` (the user) SUN..PLUTO × `outer` (the
// partner) SUN..PLUTO with the natal orbs; ASC and MC of both join only when both birth times are
// known (`chart::time_known` and angles present). Both charts are fixed moments, so no aspect is
// applying. planet1 is the inner chart's; sorted by orb.
std::vector<aspect> synastry_aspects(const chart& inner, const chart& outer);

// Orb ascending, then planet1, planet2 in §1.1 order (ASC, MC after the bodies).
void sort_aspects(std::vector<aspect>& aspects);

}  // namespace nocturna::astro
