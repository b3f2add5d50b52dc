// `nocturna-bot render sample --out FILE [--kind natal|natal-notime|transit|sky]`: writes a chart
// picture of a fixed, hand-typed chart (docs/calculations.md V6 and the sky of 2026-01-11 17:00 UT)
// with the built-in renderer, to look at the pictures without Telegram.
#pragma once

#include <string>
#include <vector>

namespace nocturna {

// `args` excludes the program name and "render"; a leading "sample" is accepted and skipped.
// Returns the exit code: 0 written, 1 render or write failure, 2 usage error.
int render_sample_main(const std::vector<std::string>& args);

}  // namespace nocturna
