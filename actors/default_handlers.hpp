// CAF's default handler for unexpected messages (print_and_drop) writes the whole message to
// stdout through aout, past the redacting log sinks (clients/logging.hpp): a message carrying a
// token or a user's text would land in the journal verbatim. Every actor installs this one
// instead, first thing in its behavior function.
#pragma once

#include <spdlog/spdlog.h>

#include <caf/actor_system.hpp>
#include <caf/message_view.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>
#include <caf/system_messages.hpp>

namespace nocturna::actors {

// One warning line naming the actor and the message's size; the content, truncated, only at
// debug level (and redacted by the log sink like every line). The sender gets
// sec::unexpected_message, as with CAF's own handler. A down message nobody handles (CAF prints
// "*** unhandled down message" with its reason) becomes one line the same way, and so does an
// error answer nobody waits for; an actor that watches others sets its own down handler after
// this call.
inline void replace_printing_handlers(caf::scheduled_actor* self, const char* actor) {
  self->set_default_handler(
      [actor](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
        spdlog::warn("[{}] unexpected message with {} values dropped", actor, x.content().size());
        spdlog::debug("[{}] the unexpected message: {:.200}", actor, x.content().stringify());
        return caf::sec::unexpected_message;
      });
  // An error answer nobody waits for (an actor that sent a message the receiver did not expect
  // gets sec::unexpected_message back): CAF's default quits the actor with it, which would let a
  // stale message to a session take the dispatcher down. One line instead.
  self->set_error_handler([actor](caf::scheduled_actor* s, caf::error& x) {
    spdlog::warn("[{}] error answer dropped: {}", actor, s->system().render(x));
  });
  self->set_down_handler([actor](caf::scheduled_actor* s, caf::down_msg& x) {
    spdlog::warn("[{}] unhandled down message dropped", actor);
    spdlog::debug("[{}] the down reason: {:.200}", actor, s->system().render(x.reason));
  });
}

}  // namespace nocturna::actors
