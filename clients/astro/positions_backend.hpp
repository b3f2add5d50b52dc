// Where body positions come from: the embedded Swiss Ephemeris or the remote Nocturna API
// (docs/calculations.md §3, §7). Everything else (time, houses, aspects) is computed locally for
// both. Implementations block (files, HTTP): call them only from detached actors / worker threads.
#pragma once

#include <string>
#include <vector>

#include "clients/astro/calc_error.hpp"
#include "protocol/chart.hpp"

namespace nocturna::astro {

class positions_backend {
 public:
  virtual ~positions_backend() = default;
  // Positions of every body of docs/calculations.md §1.1 at `jd_ut` (Chiron only when available),
  // without houses. `house` fields stay empty.
  virtual calc_result<std::vector<body_position>> positions(double jd_ut) = 0;
  // "swieph", "moshier" or "remote".
  virtual std::string ephemeris_name() const = 0;
};

}  // namespace nocturna::astro
