// Shared helpers of the astrology unit tests: one engine per process, the V6 chart.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "clients/astro/chart_builder.hpp"
#include "clients/astro/swiss_ephemeris.hpp"

namespace nocturna::astro::testing {

inline swiss_ephemeris& engine() {
  static swiss_ephemeris e;
  return e;
}

inline datetime_fields dt(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  datetime_fields f;
  f.year = y;
  f.month = mo;
  f.day = d;
  f.hour = h;
  f.minute = mi;
  f.second = s;
  return f;
}

inline chart build_ok(const chart_request& r) {
  auto c = build_chart(engine(), r);
  if (!c) FAIL("build_chart failed: " << c.error().detail);
  return c.value();
}

// V6: 1990-01-15 14:30 America/New_York, 40.7128 N 74.0060 W (docs/calculations.md §6).
inline const chart& v6_chart() {
  static const chart c = build_ok(
      chart_request::at_local(dt(1990, 1, 15, 14, 30), "America/New_York", 40.7128, -74.006));
  return c;
}

// Longitude difference folded into [0, 180] (359.99999 vs 0.0 are close).
inline double angle_diff(double a, double b) {
  double d = std::fmod(std::fabs(a - b), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

// Tolerances of docs/calculations.md §6.
constexpr double lon_tol = 0.0001;
constexpr double speed_tol = 0.00001;
constexpr double jd_tol = 1e-9;
constexpr double orb_tol = 0.0001;
// The spec's SE values are libswe's output rounded to 6 decimals: this proves the files were used.
constexpr double se_tol = 2e-6;

}  // namespace nocturna::astro::testing
