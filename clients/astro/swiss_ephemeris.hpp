// The embedded positions backend: Swiss Ephemeris (libswe 2.10.03), docs/calculations.md §3.
// libswe keeps its state per thread (built with TLS), so there is no lock: each thread that calls
// it is set up once (ensure_swe_thread) and then works on its own state.
#pragma once

#include <string>
#include <vector>

#include "clients/astro/positions_backend.hpp"

namespace nocturna::astro {

// Sets this thread's ephemeris path (SWE_EPHE_PATH, else the library default) once. Every function
// in clients/astro that calls libswe calls this first; it is cheap after the first time. When the
// thread ends, its libswe state is closed (files and buffers freed).
void ensure_swe_thread();

// What the start-up probe found (docs/calculations.md §3.1); probed and logged once per process.
struct swe_capabilities {
  bool files = false;  // true: "swieph", false: Moshier fallback ("moshier")
  bool chiron = false;
};
const swe_capabilities& swe_probe();

// One body at jd_ut with flags SEFLG_SWIEPH|SEFLG_SPEED (258). libswe's error text goes to
// calc_error::detail (kind internal).
calc_result<body_position> swe_body_position(double jd_ut, body b);

class swiss_ephemeris : public positions_backend {
 public:
  swiss_ephemeris();
  // SUN..PLUTO, MEAN_NODE, TRUE_NODE, MEAN_LILITH, and CHIRON when available. date_out_of_range
  // outside the supported span (civil_time.hpp), internal on a negative libswe return.
  calc_result<std::vector<body_position>> positions(double jd_ut) override;
  std::string ephemeris_name() const override;
  bool chiron_available() const { return caps_.chiron; }

 private:
  swe_capabilities caps_;
};

}  // namespace nocturna::astro
