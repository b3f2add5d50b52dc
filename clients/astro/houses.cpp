// Houses via swe_houses (docs/calculations.md §4).
#include "clients/astro/houses.hpp"

#include <swephexp.h>

#include <cctype>
#include <cmath>

#include "clients/astro/swiss_ephemeris.hpp"

namespace nocturna::astro {

namespace {

struct system_entry {
  const char* name;
  house_system letter;
};
constexpr system_entry systems[] = {{"placidus", 'P'},   {"koch", 'K'},     {"equal", 'E'},
                                    {"whole_sign", 'W'}, {"porphyry", 'O'}, {"regiomontanus", 'R'},
                                    {"campanus", 'C'}};

// Raw swe_houses: false when libswe reports an error (P/K beyond the polar circle).
bool swe_cusps(double jd_ut, double lat, double lon, house_system letter, house_result& out) {
  double cusps[13] = {};
  double ascmc[10] = {};
  if (swe_houses(jd_ut, lat, lon, letter, cusps, ascmc) < 0) return false;
  for (int i = 0; i < 12; ++i) out.cusps[i] = normalise_degrees(cusps[i + 1]);
  out.chart_angles.asc = normalise_degrees(ascmc[0]);
  out.chart_angles.mc = normalise_degrees(ascmc[1]);
  out.chart_angles.dsc = normalise_degrees(ascmc[0] + 180.0);
  out.chart_angles.ic = normalise_degrees(ascmc[1] + 180.0);
  return true;
}

}  // namespace

double normalise_degrees(double x) {
  double r = std::fmod(x, 360.0);
  if (r < 0) r += 360.0;
  return r >= 360.0 ? 0.0 : r;
}

std::optional<house_system> house_system_from_name(const std::string& name) {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (const auto& s : systems)
    if (lower == s.name) return s.letter;
  return std::nullopt;
}

const char* house_system_name(house_system letter) {
  for (const auto& s : systems)
    if (s.letter == letter) return s.name;
  return "";
}

bool valid_house_system(house_system letter) {
  return *house_system_name(letter) != '\0';
}

calc_result<house_result> compute_houses(double jd_ut, double latitude, double longitude,
                                         house_system letter) {
  if (!(latitude >= -90.0 && latitude <= 90.0) || !(longitude >= -180.0 && longitude <= 180.0))
    return calc_error{calc_error_kind::bad_place, "latitude/longitude out of range"};
  if (!valid_house_system(letter))
    return calc_error{calc_error_kind::internal, std::string("unknown house system ") + letter};
  ensure_swe_thread();
  house_result r;
  r.requested = letter;
  r.used = letter;
  if (swe_cusps(jd_ut, latitude, longitude, letter, r)) return r;
  // libswe decides where P/K fail (no hard-coded latitude); only they fall back.
  if (letter == 'P' || letter == 'K') {
    r.used = 'O';
    r.fallback = true;
    if (swe_cusps(jd_ut, latitude, longitude, 'O', r)) return r;
  }
  return calc_error{calc_error_kind::internal, std::string("swe_houses failed for ") + letter};
}

std::array<double, 12> porphyry_from_angles(double asc, double mc) {
  const double ic = normalise_degrees(mc + 180.0);
  const double a = normalise_degrees(asc - mc);
  const double b = normalise_degrees(ic - asc);
  std::array<double, 12> c{};
  c[9] = normalise_degrees(mc);
  c[10] = normalise_degrees(mc + a / 3.0);
  c[11] = normalise_degrees(mc + 2.0 * a / 3.0);
  c[0] = normalise_degrees(asc);
  c[1] = normalise_degrees(asc + b / 3.0);
  c[2] = normalise_degrees(asc + 2.0 * b / 3.0);
  c[3] = ic;
  c[4] = normalise_degrees(c[10] + 180.0);
  c[5] = normalise_degrees(c[11] + 180.0);
  c[6] = normalise_degrees(c[0] + 180.0);
  c[7] = normalise_degrees(c[1] + 180.0);
  c[8] = normalise_degrees(c[2] + 180.0);
  return c;
}

std::optional<int> house_of(double longitude, const std::array<double, 12>& cusps) {
  const double lon = normalise_degrees(longitude);
  for (int i = 0; i < 12; ++i) {
    const double c1 = cusps[i];
    const double c2 = cusps[(i + 1) % 12];
    const bool inside = c1 <= c2 ? (c1 <= lon && lon < c2) : (lon >= c1 || lon < c2);
    if (inside) return i + 1;
  }
  return std::nullopt;
}

}  // namespace nocturna::astro
