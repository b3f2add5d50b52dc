// The same chart bundle as astro_bench, with positions fetched from `calc serve` over loopback
// HTTP (the remote backend against our own server), to set beside the embedded figure.
#include <chrono>
#include <cstdio>

#include "clients/astro/chart_builder.hpp"
#include "clients/nocturna/calc_server.hpp"
#include "clients/nocturna/remote_positions.hpp"

using namespace nocturna;

void run_calc_serve_bench() {
  constexpr int n = 500;
  remote::calc_server_options opts;
  opts.port = 0;
  remote::calc_server server(opts);
  server.start();
  remote::remote_options ro;
  ro.base_url = server.base_url();
  ro.service_token = "bench";
  remote::remote_positions backend(ro);
  const std::int64_t start_moment = 1767225600;  // 2026-01-01T00:00:00Z, then 10 min apart
  int failures = 0;
  auto run = [&](int count) {
    for (int i = 0; i < count; ++i) {
      auto c = astro::build_chart(
          backend, astro::chart_request::at_utc(start_moment + 600 * i, 55.7558, 37.6173));
      if (!c) ++failures;
    }
  };
  run(20);  // warm-up: connections open
  auto started = std::chrono::steady_clock::now();
  run(n);
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - started;
  std::printf("calc serve over loopback HTTP, us per chart bundle, %d charts: %.1f (%d failed)\n",
              n, took.count() / n, failures);
  server.stop();
}
