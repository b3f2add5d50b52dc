// Embedded engine benchmark (issue 3 "Benchmark"): microseconds per chart bundle, i.e. one
// build_chart (time conversion, 14 bodies, Placidus houses and angles, aspects). Three workloads:
// random UT moments 1900–2099 and random local times (natal charts: libswe reads a new file
// segment for most of them), and moments 10 minutes apart (sky/transit charts: the segments stay
// cached). The lead wires run_astro_bench() into the bench executable next to the loopback
// `calc serve` figure.
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "clients/astro/chart_builder.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "tests/bench/bench.hpp"

namespace {

using clock_type = std::chrono::steady_clock;
using namespace nocturna::astro;

enum class workload { random_ut, random_local, consecutive };

std::vector<chart_request> make_requests(workload w, int n) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> when(-2208988800, 4102444799);  // 1900–2099 UT
  std::uniform_real_distribution<double> lat(-60, 60), lon(-180, 180);
  const std::int64_t sky_start = 1767225600;  // 2026-01-01T00:00:00Z
  std::vector<chart_request> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    switch (w) {
      case workload::random_ut:
        out.push_back(chart_request::at_utc(when(rng), lat(rng), lon(rng)));
        break;
      case workload::random_local:
        out.push_back(chart_request::at_local(unix_to_fields(when(rng)), "Europe/Moscow", lat(rng),
                                              lon(rng)));
        break;
      case workload::consecutive:
        out.push_back(chart_request::at_utc(sky_start + 600 * std::int64_t{i}, 55.7558, 37.6173));
        break;
    }
  }
  return out;
}

// Microseconds per build_chart over `n` requests of the workload.
double us_per_chart(positions_backend& backend, workload w, int n) {
  const auto requests = make_requests(w, n);
  std::size_t aspects = 0;  // consumed so the work cannot be optimised away
  const auto start = clock_type::now();
  for (const auto& r : requests) {
    auto c = build_chart(backend, r);
    if (c) aspects += c.value().aspects.size();
  }
  const std::chrono::duration<double, std::micro> took = clock_type::now() - start;
  if (aspects == 0) std::fprintf(stderr, "bench: no aspects computed?\n");
  return took.count() / n;
}

}  // namespace

void run_astro_bench() {
  constexpr int n = 5000;
  swiss_ephemeris engine;
  us_per_chart(engine, workload::random_ut, 200);  // warm-up: files opened
  const double ut = us_per_chart(engine, workload::random_ut, n);
  const double local = us_per_chart(engine, workload::random_local, n);
  const double sky = us_per_chart(engine, workload::consecutive, n);
  std::printf(
      "embedded (%s), us per chart bundle, %d charts each: random UT moments %.1f, random local "
      "times (Europe/Moscow) %.1f, moments 10 min apart %.1f\n",
      engine.ephemeris_name().c_str(), n, ut, local, sky);
}
