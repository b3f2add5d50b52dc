// House cusps and angles, computed locally in both backends (docs/calculations.md §4).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "clients/astro/calc_error.hpp"
#include "protocol/chart.hpp"

namespace nocturna::astro {

// "placidus" → 'P', "koch" → 'K', "equal" → 'E', "whole_sign" → 'W', "porphyry" → 'O',
// "regiomontanus" → 'R', "campanus" → 'C' (case-insensitive). Anything else → nullopt.
std::optional<house_system> house_system_from_name(const std::string& name);
// The lower-case setting name of a letter ("placidus"), "" for an unknown letter.
const char* house_system_name(house_system letter);
bool valid_house_system(house_system letter);

struct house_result {
  house_system requested = 'P';
  house_system used = 'P';
  bool fallback = false;           // P/K failed beyond the polar circle → Porphyry (§4.2)
  std::array<double, 12> cusps{};  // cusps[0] = house 1, each in [0, 360)
  angles chart_angles;
};

// swe_houses for the letter, with the polar fallback of §4.2. Errors: bad_place (latitude outside
// ±90 or longitude outside ±180), internal (unknown letter, libswe failure).
calc_result<house_result> compute_houses(double jd_ut, double latitude, double longitude,
                                         house_system letter);

// §4.3: Porphyry cusps from ASC and MC (the reference for tests).
std::array<double, 12> porphyry_from_angles(double asc, double mc);

// §4.4: the house (1..12) containing `longitude`; nullopt only when every cusp is equal.
std::optional<int> house_of(double longitude, const std::array<double, 12>& cusps);

// (x mod 360) in [0, 360).
double normalise_degrees(double x);

}  // namespace nocturna::astro
