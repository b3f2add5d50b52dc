// The chart model shared by the engine, the remote backend, the reports and the renderer
// (docs/calculations.md §1.3). Plain data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nocturna::astro {

// docs/calculations.md §1.1, in report order. Names are the API names ("SUN", "NORTH_NODE", ...).
enum class body {
  sun,
  moon,
  mercury,
  venus,
  mars,
  jupiter,
  saturn,
  uranus,
  neptune,
  pluto,
  mean_node,
  true_node,
  mean_lilith,
  chiron
};
const char* body_api_name(body b);
std::optional<body> body_from_api_name(const std::string& name);

enum class aspect_type { conjunction, opposition, trine, square, sextile };
const char* aspect_name(aspect_type t);  // lower-case English: "conjunction", ...

// House systems by their libswe letter: P K E W O R C.
using house_system = char;

// Sign and D/M/S of a longitude, by truncation (docs/calculations.md §3.3). sign 0 = ARIES.
struct dms {
  int sign = 0;
  int degree = 0;
  int minute = 0;
  int second = 0;
};
dms to_dms(double longitude);
const char* sign_api_name(int sign);  // "ARIES" ... "PISCES"

struct body_position {
  body id = body::sun;
  double longitude = 0;  // [0, 360)
  double latitude = 0;
  double distance = 0;  // AU
  double speed = 0;     // degrees/day in longitude
  bool is_retrograde() const { return speed < 0; }
  std::optional<int> house;  // 1..12 when houses exist
};

struct house_cusp {
  int number = 1;
  double longitude = 0;
};

struct angles {
  double asc = 0, mc = 0, dsc = 0, ic = 0;
};

// A point of an aspect: a body or, for transit-to-natal aspects, the natal ASC/MC.
struct aspect_point {
  std::optional<body> id;  // empty for an angle
  std::string angle;       // "ASC" or "MC" when id is empty
  std::string api_name() const;
};

struct aspect {
  aspect_point p1, p2;
  aspect_type type = aspect_type::conjunction;
  double orb = 0;  // |separation − exact angle|, degrees
  bool applying = false;
};

struct chart {
  std::int64_t moment_utc = 0;  // Unix seconds
  double jd_ut = 0;
  double latitude = 0, longitude = 0;
  std::string zone;
  bool time_known = true;
  std::string ephemeris;  // "swieph" | "moshier" | "remote"
  house_system system_requested = 'P';
  house_system system_used = 'P';
  bool houses_fallback = false;  // polar fallback to Porphyry (docs/calculations.md §4.2)
  std::vector<body_position> positions;
  std::vector<house_cusp> houses;  // 12 when time_known, else empty
  std::optional<angles> chart_angles;
  std::vector<aspect> aspects;

  const body_position* find(body b) const;
};

}  // namespace nocturna::astro
