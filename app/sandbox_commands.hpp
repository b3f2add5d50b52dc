// The `sandbox` and `inject` sub-commands (docs/telegram.md §4.5, docs/sandbox.md).
#pragma once

#include <string>
#include <vector>

#include "app/config.hpp"

namespace nocturna {

// `nocturna-bot sandbox [--port N] [--rate-limits]`: runs the sandbox alone until SIGINT/SIGTERM.
// `args` excludes the program name and the sub-command. Returns the exit code (2 = usage error).
int sandbox_main(const std::vector<std::string>& args, const config& cfg);

// `nocturna-bot inject [--sandbox URL] [--chat ID] [--json] TEXT...`: sends each TEXT as a user
// message, waits for the bot's replies (until ~1.5 s pass without a change, at most 30 s) and
// prints the new bot messages as they stand. Exit 0 = answered, 1 = nothing came, 2 = usage.
int inject_main(const std::vector<std::string>& args);

}  // namespace nocturna
