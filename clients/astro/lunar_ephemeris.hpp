// What the lunar calendar (clients/astro/lunar_calendar.hpp) asks of an ephemeris, kept narrow so
// the calendar's logic stays a pure function of these answers. The implementation below is the
// embedded Swiss Ephemeris; it blocks (file reads), so it runs on the calculation workers
// (actors/calc_gateway.cpp), never on a scheduler thread.
#pragma once

#include <optional>
#include <stdexcept>

#include "protocol/chart.hpp"

namespace nocturna::astro {

// A libswe call failed (date outside the files, missing file): the calendar turns it into a
// calc_error of kind internal.
struct ephemeris_failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class eclipse_kind {
  solar_total,
  solar_annular,
  solar_hybrid,
  solar_partial,
  lunar_total,
  lunar_partial,
  lunar_penumbral
};

struct eclipse_event {
  eclipse_kind kind = eclipse_kind::solar_partial;
  double max_jd = 0;  // the moment of greatest eclipse (JD, UT)
};

class lunar_ephemeris {
 public:
  virtual ~lunar_ephemeris() = default;
  struct motion {
    double longitude = 0;  // tropical, degrees 0..360
    double speed = 0;      // degrees per day
  };
  // Geocentric apparent longitude and its speed of SUN..PLUTO at `jd_ut`.
  virtual motion ecliptic(body b, double jd_ut) = 0;
  // The illuminated fraction of the Moon's disc, 0..1 (swe_pheno_ut).
  virtual double illuminated_fraction(double jd_ut) = 0;
  // The first moonrise after `jd_ut` at the place (upper limb, standard refraction), if the Moon
  // rises there before `limit_jd`; nothing when it does not (circumpolar or always below the
  // horizon, as near the poles).
  virtual std::optional<double> next_moonrise(double jd_ut, double latitude, double longitude,
                                              double limit_jd) = 0;
  // The next solar eclipse anywhere on Earth / the next lunar eclipse after `jd_ut`.
  virtual eclipse_event next_solar_eclipse(double jd_ut) = 0;
  virtual eclipse_event next_lunar_eclipse(double jd_ut) = 0;
};

// The embedded Swiss Ephemeris (per-thread libswe state, clients/astro/swiss_ephemeris.hpp).
class swiss_lunar_ephemeris : public lunar_ephemeris {
 public:
  motion ecliptic(body b, double jd_ut) override;
  double illuminated_fraction(double jd_ut) override;
  std::optional<double> next_moonrise(double jd_ut, double latitude, double longitude,
                                      double limit_jd) override;
  eclipse_event next_solar_eclipse(double jd_ut) override;
  eclipse_event next_lunar_eclipse(double jd_ut) override;
};

}  // namespace nocturna::astro
