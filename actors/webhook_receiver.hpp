// Webhook mode (docs/telegram.md §4): a detached actor that owns the webhook HTTP server. Each
// update is committed to the inbox before the 200 answer, then handed to the dispatcher (a
// re-delivered update_id is acknowledged and ignored). At start: getMe → setWebhook →
// getWebhookInfo → setMyCommands through the sender; then getWebhookInfo every 60 s counts as
// "Telegram reached".
#pragma once

#include <caf/all.hpp>

#include "actors/interfaces.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

struct webhook_state;
webhook_api::behavior_type webhook_receiver(webhook_api::stateful_pointer<webhook_state> self,
                                            runtime_ptr rt);

// Spawns it from `parent` (detached + monitored).
caf::actor spawn_webhook_receiver(caf::event_based_actor* parent, runtime_ptr rt);

// The setWebhook parameters for `o` (pure). A WEBHOOK_URL with port 0 (`http://127.0.0.1:0`)
// gets `bound_port`, the port the webhook server listens on: with WEBHOOK_PORT=0 a local run (the
// end-to-end tests) has a port nobody else can take between choosing and binding it.
std::string set_webhook_body(const webhook_options& o, int bound_port);

}  // namespace nocturna::actors
