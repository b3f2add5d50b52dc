// The control API under /sandbox/: what tests, `inject` and the web page use to play the user's
// side (send, press, location, edit, raw) and to inspect the bot (transcript, wait, calls, stats),
// plus fault injection and reset. Documented in docs/sandbox.md.
#pragma once

#include "clients/sandbox/sandbox_state.hpp"

namespace httplib {
class Server;
}

namespace nocturna::sandbox {

void register_control_api(httplib::Server& server, sandbox_state& s);

}  // namespace nocturna::sandbox
