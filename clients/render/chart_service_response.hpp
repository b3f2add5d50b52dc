// Reading the chart service's answer (integrations.md §2.5): pure, so it is tested without HTTP.
#pragma once

#include <cstddef>
#include <string>

#include "clients/render/chart_service_error.hpp"

namespace nocturna::render {

inline constexpr std::size_t kMaxChartImageBytes = 10u * 1024 * 1024;  // decoded PNG
inline constexpr int kMinChartImageSide = 100;
inline constexpr int kMaxChartImageSide = 4096;

// The PNG of a 200 answer, or the error for any status and body. `retry_after` is the value of
// the Retry-After header ("" when absent; a 429 without it means 60 s).
chart_service_result parse_chart_service_response(int status, const std::string& body,
                                                  const std::string& retry_after = "");

// Checks decoded image bytes: ≤ kMaxChartImageBytes, PNG signature and IHDR, each side within
// [kMinChartImageSide, kMaxChartImageSide].
chart_service_result validate_chart_png(std::string bytes);

}  // namespace nocturna::render
