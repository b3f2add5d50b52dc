// CAF glue for the message types: atoms and the local-only type declarations.
#pragma once

#include <caf/all.hpp>

#include "protocol/messages.hpp"

// Messages stay inside one process, so they need no serialization.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::msg::bot_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(nocturna::bot::api_response)

namespace nocturna::atoms {

using poll = caf::atom_constant<caf::atom("poll")>;
using stop = caf::atom_constant<caf::atom("stop")>;
using identity = caf::atom_constant<caf::atom("identity")>;
using done = caf::atom_constant<caf::atom("done")>;
using dead = caf::atom_constant<caf::atom("dead")>;
using sent = caf::atom_constant<caf::atom("sent")>;
using sent_log = caf::atom_constant<caf::atom("sentlog")>;
using tick = caf::atom_constant<caf::atom("tick")>;
using retry = caf::atom_constant<caf::atom("retry")>;
using sweep = caf::atom_constant<caf::atom("sweep")>;
using drain = caf::atom_constant<caf::atom("drain")>;
using flush = caf::atom_constant<caf::atom("flush")>;
using call = caf::atom_constant<caf::atom("call")>;
using attempt = caf::atom_constant<caf::atom("attempt")>;
using restart = caf::atom_constant<caf::atom("restart")>;
using idle = caf::atom_constant<caf::atom("idle")>;
using next = caf::atom_constant<caf::atom("next")>;

}  // namespace nocturna::atoms
