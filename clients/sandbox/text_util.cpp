#include "clients/sandbox/text_util.hpp"

#include <algorithm>
#include <cctype>

namespace nocturna::sandbox {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace nocturna::sandbox
