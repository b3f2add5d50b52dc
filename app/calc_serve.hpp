// `nocturna-bot calc serve [--port N]`: the embedded engine over HTTP as the Nocturna
// Calculations API (docs/calculations.md §7.9).
#pragma once

#include <string>
#include <vector>

#include "app/config.hpp"

namespace nocturna {

// `args` excludes the program name and "calc" (args[0] == "serve"). Returns the exit code.
int calc_serve_main(const std::vector<std::string>& args, const config& cfg);

}  // namespace nocturna
