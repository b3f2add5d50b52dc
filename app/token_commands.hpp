// `nocturna-bot token …`: service-token tools for operators (issue 7, docs/calculations.md §7.7,
// §7.9).
//   token create API_URL EMAIL [DAYS]   log in, create a service token, print it; the password
//                                       comes from NOCTURNA_PASSWORD or the first line of stdin
//                                       (never argv: /proc/PID/cmdline is readable by everyone)
//   token check                                  decode NOCTURNA_SERVICE_TOKEN, ask the API
#pragma once

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/config.hpp"

namespace nocturna {

// `args` excludes the program name and "token" (args[0] is "create" or "check").
// Exit codes: 0 = done / token valid; 1 = refused, expired, rejected or the API unreachable;
// 2 = usage or missing configuration. The password is never printed; the token is printed only by
// `create`, which exists to print it.
// `create` refuses a plain http:// API_URL except on loopback (the password would cross the
// network in clear).
int token_main(const std::vector<std::string>& args, const config& cfg);

// Where `create` takes the password from: `password_env` (NOCTURNA_PASSWORD) when set, else the
// first line of `in`; `in_is_terminal` asks for it on `err` with echo off.
struct password_source {
  std::optional<std::string> password_env;
  std::istream& in;
  bool in_is_terminal = false;
};
int token_main(const std::vector<std::string>& args, const config& cfg, password_source password,
               std::ostream& out, std::ostream& err);

}  // namespace nocturna
