// `nocturna-bot run`: the bot itself (with the embedded sandbox when no token is set).
#pragma once

#include "app/config.hpp"

namespace nocturna {

// Runs until SIGINT/SIGTERM or a fatal error; returns the process exit code.
int run_bot(const config& cfg);

}  // namespace nocturna
