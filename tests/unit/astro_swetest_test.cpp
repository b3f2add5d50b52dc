// The embedded engine against the independent oracle `swetest` (docs/calculations.md §6): 210
// random charts (fixed seed), UT 1900–2100, places worldwide, every house system in turn. Every
// body's longitude, latitude and speed and every cusp must agree within 1″. Both sides use the same
// libswe and ephemeris files, so the differences are swetest's 7-decimal printing.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "astro_fixtures.hpp"

using namespace nocturna::astro;
using namespace nocturna::astro::testing;

namespace {

constexpr int chart_count = 210;
constexpr double arcsec = 1.0 / 3600.0;
constexpr char systems[] = {'P', 'K', 'E', 'W', 'O', 'R', 'C'};
// swetest -p letters in our body order: SUN..PLUTO, mean node, true node, mean apogee, Chiron.
constexpr const char* planet_letters = "0123456789mtAD";

struct sample {
  std::int64_t utc;
  double lat, lon;
  char system;
  std::string output;  // swetest's stdout
};

std::string run(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

std::string swetest_command(const sample& s) {
  const datetime_fields f = unix_to_fields(s.utc);
  char cmd[512];
  std::snprintf(cmd, sizeof cmd,
                "swetest -b%d.%d.%d -ut%d:%02d:%02d -p%s -fPlbs -head -eswe -house%.6f,%.6f,%c",
                f.day, f.month, f.year, f.hour, f.minute, f.second, planet_letters, s.lon, s.lat,
                s.system);
  std::string c = cmd;
  if (const char* dir = std::getenv("SWE_EPHE_PATH"); dir && *dir) c += std::string(" -edir") + dir;
  return c + " 2>/dev/null";
}

std::vector<double> numbers_of(const std::string& line) {
  std::vector<double> out;
  std::istringstream in(line);
  std::string tok;
  while (in >> tok) {
    double v;
    const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (ec == std::errc{} && ptr == tok.data() + tok.size()) out.push_back(v);
  }
  return out;
}

struct parsed {
  std::vector<std::array<double, 3>> bodies;  // lon, lat, speed
  std::vector<double> cusps;
};

// Body lines come first (name, lon, lat, speed), then "house N cusp speed" lines.
parsed parse(const std::string& out) {
  parsed p;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("house", 0) == 0) {
      const auto v = numbers_of(line);
      if (v.size() >= 2) p.cusps.push_back(v[1]);
    } else if (p.bodies.size() < 14 && p.cusps.empty()) {
      const auto v = numbers_of(line);
      if (v.size() >= 3) p.bodies.push_back({v[v.size() - 3], v[v.size() - 2], v[v.size() - 1]});
    }
  }
  return p;
}

struct worst {
  double lon = 0, lat = 0, speed = 0;
};

}  // namespace

TEST_CASE("astro swetest: 210 random charts agree within 1 arcsecond") {
  REQUIRE_MESSAGE(std::system("command -v swetest >/dev/null 2>&1") == 0,
                  "swetest is not on PATH (make deps installs it)");
  std::mt19937_64 rng(20261126);
  std::uniform_int_distribution<std::int64_t> when(fields_to_unix(dt(1900, 1, 1)),
                                                   fields_to_unix(dt(2100, 12, 31, 23, 59, 59)));
  std::uniform_real_distribution<double> lat(-75.0, 75.0), lon(-180.0, 180.0);
  std::vector<sample> samples(chart_count);
  for (int i = 0; i < chart_count; ++i)
    samples[i] = sample{when(rng),
                        std::round(lat(rng) * 1e6) / 1e6,
                        std::round(lon(rng) * 1e6) / 1e6,
                        systems[i % 7],
                        {}};

  // Two workers (the machine has two cores); swetest start-up dominates.
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w)
    workers.emplace_back([&samples, w] {
      for (std::size_t i = w; i < samples.size(); i += 2)
        samples[i].output = run(swetest_command(samples[i]));
    });
  for (auto& t : workers) t.join();

  std::map<int, worst> by_body;
  double worst_cusp = 0;
  int fallbacks = 0;
  for (const auto& s : samples) {
    INFO(swetest_command(s));
    const parsed ref = parse(s.output);
    REQUIRE(ref.bodies.size() == 14);
    REQUIRE(ref.cusps.size() == 12);
    const chart c = build_ok(chart_request::at_utc(s.utc, s.lat, s.lon, "UTC", s.system));
    REQUIRE(c.positions.size() == 14);
    fallbacks += c.houses_fallback;
    for (int b = 0; b < 14; ++b) {
      const auto& p = c.positions[b];
      CHECK(static_cast<int>(p.id) == b);
      const double dlon = angle_diff(p.longitude, ref.bodies[b][0]);
      const double dlat = std::fabs(p.latitude - ref.bodies[b][1]);
      const double dspeed = std::fabs(p.speed - ref.bodies[b][2]);
      CHECK_MESSAGE(dlon <= arcsec, body_api_name(p.id) << " longitude");
      CHECK_MESSAGE(dlat <= arcsec, body_api_name(p.id) << " latitude");
      CHECK_MESSAGE(dspeed <= arcsec, body_api_name(p.id) << " speed");
      auto& w = by_body[b];
      w.lon = std::max(w.lon, dlon);
      w.lat = std::max(w.lat, dlat);
      w.speed = std::max(w.speed, dspeed);
    }
    for (int i = 0; i < 12; ++i) {
      const double d = angle_diff(c.houses[i].longitude, ref.cusps[i]);
      CHECK_MESSAGE(d <= arcsec, "cusp " << i + 1);
      worst_cusp = std::max(worst_cusp, d);
    }
  }
  std::ostringstream report;
  report.precision(3);
  report << "swetest worst differences (arcsec) over " << chart_count << " charts, " << fallbacks
         << " polar fallbacks:";
  for (const auto& [b, w] : by_body)
    report << "\n  " << body_api_name(static_cast<body>(b)) << ": lon " << w.lon * 3600 << ", lat "
           << w.lat * 3600 << ", speed " << w.speed * 3600 << " (\"/day)";
  report << "\n  cusps: " << worst_cusp * 3600;
  MESSAGE(report.str());
}
