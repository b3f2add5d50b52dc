// nocturna-bot-bench [NAME...]: runs the named benchmarks (all when none is named).
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "tests/bench/bench.hpp"

int main(int argc, char** argv) {
  // Embedded and loopback chart figures run one after the other so they compare side by side.
  const std::map<std::string, std::function<void()>> benches = {
      {"astro",
       [] {
         run_astro_bench();
         run_calc_serve_bench();
       }},
      {"render", run_render_bench},
      {"interpret", run_interpret_bench},
      {"runtime", nocturna::bench::run_runtime_bench},
      {"transit", nocturna::bench::run_transit_bench},
      {"footprint", nocturna::bench::run_footprint_bench},
  };
  if (argc == 1) {
    for (auto& [name, run] : benches) run();
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    auto it = benches.find(argv[i]);
    if (it == benches.end()) {
      std::fprintf(stderr, "unknown benchmark: %s\n", argv[i]);
      return 2;
    }
    it->second();
  }
  return 0;
}
