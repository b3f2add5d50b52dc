// The lunar calendar's questions answered by libswe (clients/astro/lunar_ephemeris.hpp).
#include "clients/astro/lunar_ephemeris.hpp"

#include <swephexp.h>

#include <string>

#include "clients/astro/swiss_ephemeris.hpp"

namespace nocturna::astro {
namespace {

constexpr int calc_flags = SEFLG_SWIEPH | SEFLG_SPEED;
// swetest's defaults for -rise (-at1013.25,15): the vectors of tests/unit/lunar_vectors.tsv
// were made with them.
constexpr double pressure_hpa = 1013.25;
constexpr double temperature_c = 15;
// libswe answers "no rise" (-2) when the Moon stays above or below the horizon for the day it
// searched; the search then goes on from half a day later.
constexpr double no_rise_step_days = 0.5;

[[noreturn]] void fail(const char* what, const char* serr) {
  throw ephemeris_failure(std::string(what) + ": " + serr);
}

}  // namespace

lunar_ephemeris::motion swiss_lunar_ephemeris::ecliptic(body b, double jd_ut) {
  auto p = swe_body_position(jd_ut, b);
  if (!p) throw ephemeris_failure(p.error().detail);
  return {p.value().longitude, p.value().speed};
}

double swiss_lunar_ephemeris::illuminated_fraction(double jd_ut) {
  ensure_swe_thread();
  double attr[20] = {};
  char serr[AS_MAXCH] = {};
  if (swe_pheno_ut(jd_ut, SE_MOON, SEFLG_SWIEPH, attr, serr) < 0) fail("swe_pheno_ut", serr);
  return attr[1];
}

std::optional<double> swiss_lunar_ephemeris::next_moonrise(double jd_ut, double latitude,
                                                           double longitude, double limit_jd) {
  ensure_swe_thread();
  double geopos[3] = {longitude, latitude, 0};
  for (double from = jd_ut; from < limit_jd; from += no_rise_step_days) {
    double tret[10] = {};
    char serr[AS_MAXCH] = {};
    const int32 rc = swe_rise_trans(from, SE_MOON, nullptr, SEFLG_SWIEPH, SE_CALC_RISE, geopos,
                                    pressure_hpa, temperature_c, tret, serr);
    if (rc == -1) fail("swe_rise_trans", serr);
    if (rc == 0) return tret[0] < limit_jd ? std::optional<double>(tret[0]) : std::nullopt;
  }
  return std::nullopt;
}

eclipse_event swiss_lunar_ephemeris::next_solar_eclipse(double jd_ut) {
  ensure_swe_thread();
  double tret[10] = {};
  char serr[AS_MAXCH] = {};
  const int32 rc = swe_sol_eclipse_when_glob(jd_ut, SEFLG_SWIEPH, 0, tret, 0, serr);
  if (rc < 0) fail("swe_sol_eclipse_when_glob", serr);
  eclipse_event e;
  e.max_jd = tret[0];
  e.kind = (rc & SE_ECL_ANNULAR_TOTAL) ? eclipse_kind::solar_hybrid
           : (rc & SE_ECL_TOTAL)       ? eclipse_kind::solar_total
           : (rc & SE_ECL_ANNULAR)     ? eclipse_kind::solar_annular
                                       : eclipse_kind::solar_partial;
  return e;
}

eclipse_event swiss_lunar_ephemeris::next_lunar_eclipse(double jd_ut) {
  ensure_swe_thread();
  double tret[10] = {};
  char serr[AS_MAXCH] = {};
  const int32 rc = swe_lun_eclipse_when(jd_ut, SEFLG_SWIEPH, 0, tret, 0, serr);
  if (rc < 0) fail("swe_lun_eclipse_when", serr);
  eclipse_event e;
  e.max_jd = tret[0];
  e.kind = (rc & SE_ECL_TOTAL)     ? eclipse_kind::lunar_total
           : (rc & SE_ECL_PARTIAL) ? eclipse_kind::lunar_partial
                                   : eclipse_kind::lunar_penumbral;
  return e;
}

}  // namespace nocturna::astro
