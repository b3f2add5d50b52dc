// The single-file web chat page served at / (vanilla JS, no external resources).
#pragma once

#include <string_view>

namespace nocturna::sandbox {

std::string_view web_page_html();

}  // namespace nocturna::sandbox
