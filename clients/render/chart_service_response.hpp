// Reading the chart service's answer (docs/integrations.md §2.5): pure, so it is tested without
// HTTP.
#pragma once

#include <cstddef>
#include <string>

#include "clients/render/chart_service_error.hpp"

namespace nocturna::render {

inline constexpr std::size_t max_chart_image_bytes = 10u * 1024 * 1024;  // decoded PNG
inline constexpr int min_chart_image_side = 100;
inline constexpr int max_chart_image_side = 4096;

// The PNG of a 200 answer, or the error for any status and body. `retry_after` is the value of
// the Retry-After header ("" when absent; a 429 without it means 60 s).
chart_service_result parse_chart_service_response(int status, const std::string& body,
                                                  const std::string& retry_after = "");

// Checks decoded image bytes: ≤ max_chart_image_bytes, PNG signature and IHDR, each side within
// [min_chart_image_side, max_chart_image_side].
chart_service_result validate_chart_png(std::string bytes);

}  // namespace nocturna::render
