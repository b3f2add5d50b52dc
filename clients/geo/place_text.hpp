// Normalisation of place names for matching (docs/integrations.md §3.4 step 1). Pure.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::geo {

// Trim, Unicode lower-case, ё→е, hyphens/dashes → space, apostrophes dropped ("Kazan’" = "Kazan"),
// whitespace collapsed, one trailing '.' or '!' dropped. Invalid UTF-8 → "" (never matches).
std::string normalise_place(std::string_view text);

// The part before the first space ("ростов на дону" → "ростов").
std::string_view first_word(std::string_view normalised);

// Number of UTF-8 characters (for the "≥ 3 characters" prefix rule).
std::size_t utf8_length(std::string_view s);

}  // namespace nocturna::geo
