// What the sandbox refuses before routing (docs/sandbox.md): it runs on a developer's machine
// next to their browser, so a web page must not drive it. A Host other than loopback (DNS
// rebinding: evil.example resolving to 127.0.0.1) is refused with 403; a body on the control API
// without Content-Type application/json (a cross-site "simple" request that skips the CORS
// preflight) and a Bot API body of any type Telegram does not take are refused with 415.
#pragma once

#include <string_view>

namespace nocturna::sandbox {

// 127.0.0.1, localhost or [::1], with or without a port.
bool loopback_host_header(std::string_view host);

struct guard_verdict {
  int status = 0;  // 0: go on
  const char* description = "";
};

guard_verdict guard_request(std::string_view method, std::string_view path,
                            std::string_view host_header, std::string_view content_type,
                            bool has_body);

}  // namespace nocturna::sandbox
