// The one place where the configuration becomes the options of each client and actor
// (telegram-bot-api's ClientParameters idea): every struct is filled here from `config` and passed
// down, so nothing below app/ reads the configuration itself (docs/architecture.md "Code
// conventions"). Pure functions.
#pragma once

#include "actors/options.hpp"
#include "app/config.hpp"
#include "clients/llm/openrouter_client.hpp"
#include "clients/nocturna/remote_positions.hpp"
#include "clients/nocturna/retry_policy.hpp"
#include "clients/render/chart_service_client.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "clients/store/store.hpp"

namespace nocturna {

// Clients
store::store_options store_options_of(const config& c);
remote::retry_policy nocturna_retry_of(const config& c);
remote::remote_options remote_options_of(const config& c);
llm::openrouter_config openrouter_config_of(const config& c);
render::chart_service_config chart_service_config_of(const config& c);
// The embedded or stand-alone sandbox on SANDBOX_PORT with the Bot API description of share_dir.
sandbox::options sandbox_options_of(const config& c);

// Actors
product_options product_options_of(const config& c);
actors::supervisor_options supervisor_options_of(const config& c);
actors::sender_options sender_options_of(const config& c);
actors::poller_options poller_options_of(const config& c);
actors::webhook_options webhook_options_of(const config& c);
actors::dispatcher_options dispatcher_options_of(const config& c);
actors::calc_options calc_options_of(const config& c);
actors::renderer_options renderer_options_of(const config& c);
actors::llm_options llm_options_of(const config& c);
actors::tree_options tree_options_of(const config& c);

}  // namespace nocturna
