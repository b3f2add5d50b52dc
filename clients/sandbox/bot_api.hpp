// The Bot API endpoint /bot{token}/{method}: token and method checks, parameter reading, the call
// log, fault injection, schema validation, rate limits, then the method itself.
#pragma once

#include <string>

#include "clients/sandbox/api_reply.hpp"
#include "clients/sandbox/sandbox_state.hpp"

namespace httplib {
struct Request;
}

namespace nocturna::sandbox {

api_reply handle_bot_request(sandbox_state& s, const std::string& token, const std::string& method,
                             const httplib::Request& req);

}  // namespace nocturna::sandbox
