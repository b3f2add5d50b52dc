// Tiny text helpers shared by the sandbox's files.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::sandbox {

// ASCII lower case (method names, parse modes).
std::string lower(std::string_view s);

}  // namespace nocturna::sandbox
