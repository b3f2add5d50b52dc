// Benchmark (not a test) of what the built-in interpreter adds to a command (issue 5): µs per
// day, natal and personal-transit text for the sample charts, next to the µs of the report the
// text is appended to, measured in the same run.
#include <chrono>
#include <cstdio>
#include <functional>

#include "clients/astro/chart_builder.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "clients/render/sample_charts.hpp"
#include "protocol/reports.hpp"
#include "tests/bench/bench.hpp"

namespace {

double mean_us(int runs, const std::function<void()>& fn) {
  fn();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) fn();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() /
         runs;
}

}  // namespace

void run_interpret_bench() {
  using namespace nocturna;
  constexpr int kRuns = 2000;
  const auto m = interpret::meanings::load(NOCTURNA_SOURCE_SHARE_DIR);
  const auto natal = render::sample_natal_chart();
  const auto sky = render::sample_sky_chart();
  const auto transit = render::sample_transit_chart();
  const auto aspects = astro::transit_aspects(natal, transit);
  const reports::moment_label at{"26.11.2026", "12:00", "Europe/Moscow", "UTC+03:00"};
  const reports::birth_view birth{"15.03.1990", "14:30", "Europe/Moscow", "Москва, Россия"};
  std::size_t chars = 0;
  auto day = mean_us(kRuns, [&] { chars = interpret::day_text(m, sky).size(); });
  auto day_report = mean_us(kRuns, [&] { reports::sky_report(sky, at, "Москва"); });
  std::printf("interpret: day text %.1f us (%zu bytes) vs sky report %.1f us\n", day, chars,
              day_report);
  auto nat = mean_us(kRuns, [&] { chars = interpret::natal_text(m, natal).size(); });
  auto nat_report = mean_us(kRuns, [&] { reports::natal_report(natal, birth); });
  std::printf("interpret: natal text %.1f us (%zu bytes) vs natal report %.1f us\n", nat, chars,
              nat_report);
  auto pt = mean_us(kRuns, [&] { chars = interpret::transits_text(m, transit, aspects).size(); });
  auto pt_report = mean_us(kRuns, [&] { reports::ptransit_report(aspects, at, false); });
  std::printf("interpret: transit text %.1f us (%zu bytes) vs transit report %.1f us\n", pt, chars,
              pt_report);
}
