// Benchmarks (not tests): `make bench` runs them all and prints figures side by side.
#pragma once

namespace nocturna::bench {

void run_runtime_bench();
void run_transit_bench();
void run_footprint_bench();

}  // namespace nocturna::bench

void run_astro_bench();
void run_calc_serve_bench();
void run_render_bench();
void run_interpret_bench();
