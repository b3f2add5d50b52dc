// `nocturna-bot token …`: service-token tools for operators (issue 7, calculations.md §7.7, §7.9).
//   token create API_URL EMAIL PASSWORD [DAYS]   log in, create a service token, print it
//   token check                                  decode NOCTURNA_SERVICE_TOKEN, ask the API
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace nocturna {

// `args` excludes the program name and "token" (args[0] is "create" or "check").
// Exit codes: 0 = done / token valid; 1 = refused, expired, rejected or the API unreachable;
// 2 = usage or missing configuration. The password is never printed; the token is printed only by
// `create`, which exists to print it.
int token_main(const std::vector<std::string>& args, const config& cfg);
int token_main(const std::vector<std::string>& args, const config& cfg, std::ostream& out,
               std::ostream& err);

}  // namespace nocturna
