// Swiss Ephemeris positions (docs/calculations.md §3).
#include "clients/astro/swiss_ephemeris.hpp"

#include <spdlog/spdlog.h>
#include <swephexp.h>

#include <cmath>
#include <cstdlib>

#include "clients/astro/civil_time.hpp"

namespace nocturna::astro {

namespace {

constexpr int calc_flags = SEFLG_SWIEPH | SEFLG_SPEED;  // 258: tropical, geocentric, apparent
constexpr double j2000 = 2451545.0;

int swe_id(body b) {
  switch (b) {
    case body::mean_node:
      return SE_MEAN_NODE;
    case body::true_node:
      return SE_TRUE_NODE;
    case body::mean_lilith:
      return SE_MEAN_APOG;
    case body::chiron:
      return SE_CHIRON;
    default:
      return static_cast<int>(b);  // SUN..PLUTO are 0..9 in both
  }
}

double normalise(double lon) {
  double r = std::fmod(lon, 360.0);
  if (r < 0) r += 360.0;
  return r >= 360.0 ? 0.0 : r;
}

swe_capabilities run_probe() {
  ensure_swe_thread();
  swe_capabilities caps;
  double xx[6];
  char serr[AS_MAXCH] = {};
  const int32 sun = swe_calc_ut(j2000, SE_SUN, calc_flags, xx, serr);
  // libswe silently falls back to Moshier when the files are missing; the returned flag says so.
  caps.files = sun >= 0 && (sun & SEFLG_MOSEPH) == 0;
  serr[0] = '\0';
  caps.chiron = swe_calc_ut(j2000, SE_CHIRON, calc_flags, xx, serr) >= 0;
  char version[AS_MAXCH] = {};
  spdlog::info("swiss ephemeris {}: mode {}, chiron {}", swe_version(version),
               caps.files ? "swieph" : "moshier", caps.chiron ? "available" : "not available");
  if (!caps.chiron) spdlog::debug("chiron probe: {}", serr);
  return caps;
}

}  // namespace

namespace {

// Whether this thread has set libswe up; closes its state when the thread ends. libswe keeps the
// open ephemeris files and their segment buffers per thread and lets them go only in swe_close(),
// so every thread that calculated (a worker pool's thread, a replaced worker, an httplib thread of
// `calc serve`) would otherwise leave its files open and its buffers leaked when it ends.
struct swe_thread_state {
  bool ready = false;
  ~swe_thread_state() {
    if (ready) swe_close();
  }
};

}  // namespace

void ensure_swe_thread() {
  thread_local swe_thread_state state;
  if (state.ready) return;
  const char* path = std::getenv("SWE_EPHE_PATH");
  // NULL keeps the library default, which contains the swe-basic-data directory.
  swe_set_ephe_path(path && *path ? const_cast<char*>(path) : nullptr);
  state.ready = true;
  // One calculation opens the files and fixes this thread's tidal acceleration (used by Delta T),
  // so swe_houses gives the same result whether or not positions were computed on the thread first.
  double xx[6];
  char serr[AS_MAXCH];
  swe_calc_ut(j2000, SE_SUN, calc_flags, xx, serr);
}

const swe_capabilities& swe_probe() {
  static const swe_capabilities caps = run_probe();  // thread-safe static initialisation
  return caps;
}

calc_result<body_position> swe_body_position(double jd_ut, body b) {
  ensure_swe_thread();
  double xx[6] = {};
  char serr[AS_MAXCH] = {};
  if (swe_calc_ut(jd_ut, swe_id(b), calc_flags, xx, serr) < 0) {
    return calc_error{calc_error_kind::internal,
                      std::string("swe_calc_ut ") + body_api_name(b) + ": " + serr};
  }
  body_position p;
  p.id = b;
  p.longitude = normalise(xx[0]);
  p.latitude = xx[1];
  p.distance = xx[2];
  p.speed = xx[3];
  return p;
}

swiss_ephemeris::swiss_ephemeris() : caps_(swe_probe()) {}

std::string swiss_ephemeris::ephemeris_name() const {
  return caps_.files ? "swieph" : "moshier";
}

calc_result<std::vector<body_position>> swiss_ephemeris::positions(double jd_ut) {
  if (!std::isfinite(jd_ut) || !supported_jd(jd_ut))
    return calc_error{calc_error_kind::date_out_of_range, "julian day outside 1800–2399"};
  std::vector<body_position> out;
  out.reserve(14);
  for (int i = 0; i <= static_cast<int>(body::mean_lilith); ++i) {
    auto p = swe_body_position(jd_ut, static_cast<body>(i));
    if (!p) {
      spdlog::error("{} (jd {})", p.error().detail, jd_ut);
      return p.error();
    }
    out.push_back(p.value());
  }
  if (caps_.chiron) {
    // Chiron is optional everywhere (docs/calculations.md §1.1): a failure omits it, never the
    // chart. Its file ends a few hours inside the supported span, so the very edges lose it.
    auto p = swe_body_position(jd_ut, body::chiron);
    if (p)
      out.push_back(p.value());
    else
      spdlog::debug("{} (jd {}): chiron omitted", p.error().detail, jd_ut);
  }
  return out;
}

}  // namespace nocturna::astro
