// Standard base64 (RFC 4648 §4, alphabet A–Z a–z 0–9 + /, '=' padding), e.g. the PNG inside the
// chart service's JSON answer (docs/integrations.md §2.5). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace nocturna {

// Encodes bytes with padding, no line breaks.
std::string base64_encode(std::string_view bytes);

// Decodes strict standard base64: length a multiple of 4, only the standard alphabet, '=' only as
// the last one or two characters. Whitespace, the URL-safe alphabet and missing padding are
// rejected (std::nullopt). The empty input decodes to the empty string.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace nocturna
