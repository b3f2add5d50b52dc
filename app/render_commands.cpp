#include "app/render_commands.hpp"

#include <chrono>
#include <fstream>
#include <iostream>

#include "clients/render/canvas.hpp"
#include "clients/render/chart_renderer.hpp"
#include "clients/render/sample_charts.hpp"

namespace nocturna {
namespace {

constexpr const char* usage_text =
    "usage: nocturna-bot render sample --out FILE [--kind natal|natal-notime|transit|sky]\n";

std::string render_kind(const std::string& kind) {
  using namespace render;
  if (kind == "natal") return render_natal_wheel(sample_natal_chart());
  if (kind == "natal-notime") return render_natal_wheel(sample_natal_chart_without_time());
  if (kind == "transit")
    return render_transit_biwheel(sample_natal_chart(), sample_transit_chart(),
                                  sample_transit_aspects());
  return render_sky(sample_sky_chart(),
                    "Небо над Москвой\n11.01.2026 20:00\nEurope/Moscow (UTC+03:00)");
}

}  // namespace

int render_sample_main(const std::vector<std::string>& args) {
  std::string out, kind = "natal";
  std::size_t i = !args.empty() && args[0] == "sample" ? 1 : 0;
  for (; i < args.size(); ++i) {
    if (args[i] == "--out" && i + 1 < args.size()) {
      out = args[++i];
    } else if (args[i] == "--kind" && i + 1 < args.size()) {
      kind = args[++i];
    } else {
      std::cerr << usage_text;
      return 2;
    }
  }
  if (out.empty() ||
      (kind != "natal" && kind != "natal-notime" && kind != "transit" && kind != "sky")) {
    std::cerr << usage_text;
    return 2;
  }
  std::string png;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    png = render_kind(kind);
  } catch (const render::render_error& e) {
    std::cerr << "render failed: " << e.what() << "\n";
    return 1;
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(png.data(), static_cast<std::streamsize>(png.size()));
  f.close();
  if (!f) {
    std::cerr << "cannot write " << out << "\n";
    return 1;
  }
  std::cout << "wrote " << out << " (" << kind << ", " << png.size() << " bytes, " << ms.count()
            << " ms)\n";
  return 0;
}

}  // namespace nocturna
