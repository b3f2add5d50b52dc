// Names and sign arithmetic of the chart model (docs/calculations.md §1.1, §3.3).
#include "protocol/chart.hpp"

#include <cmath>

namespace nocturna::astro {

namespace {

constexpr const char* body_names[] = {"SUN",        "MOON",      "MERCURY", "VENUS",   "MARS",
                                      "JUPITER",    "SATURN",    "URANUS",  "NEPTUNE", "PLUTO",
                                      "NORTH_NODE", "TRUE_NODE", "LILITH",  "CHIRON"};

constexpr const char* sign_names[] = {"ARIES",       "TAURUS",    "GEMINI",   "CANCER",
                                      "LEO",         "VIRGO",     "LIBRA",    "SCORPIO",
                                      "SAGITTARIUS", "CAPRICORN", "AQUARIUS", "PISCES"};

constexpr const char* aspect_names[] = {"conjunction", "opposition", "trine", "square", "sextile"};

}  // namespace

const char* body_api_name(body b) {
  return body_names[static_cast<int>(b)];
}

std::optional<body> body_from_api_name(const std::string& name) {
  for (int i = 0; i < static_cast<int>(std::size(body_names)); ++i)
    if (name == body_names[i]) return static_cast<body>(i);
  return std::nullopt;
}

const char* aspect_name(aspect_type t) {
  return aspect_names[static_cast<int>(t)];
}

const char* sign_api_name(int sign) {
  if (sign < 0 || sign > 11) return "";
  return sign_names[sign];
}

dms to_dms(double longitude) {
  // Normalise defensively; callers should already pass [0, 360).
  double lon = std::fmod(longitude, 360.0);
  if (lon < 0) lon += 360.0;
  if (lon >= 360.0) lon = 0.0;
  dms r;
  r.sign = static_cast<int>(std::floor(lon / 30.0));
  if (r.sign > 11) r.sign = 11;  // guards lon = 359.99999999999997 rounding up in the division
  const double d = lon - 30.0 * r.sign;
  r.degree = static_cast<int>(std::trunc(d));
  const double m = (d - r.degree) * 60.0;
  r.minute = static_cast<int>(std::trunc(m));
  r.second = static_cast<int>(std::trunc((m - r.minute) * 60.0));
  return r;
}

std::string aspect_point::api_name() const {
  return id ? body_api_name(*id) : angle;
}

const body_position* chart::find(body b) const {
  for (const auto& p : positions)
    if (p.id == b) return &p;
  return nullptr;
}

}  // namespace nocturna::astro
