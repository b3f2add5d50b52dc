// Russian typesetting of a composed text (docs/interpretations.md): a non-breaking space before
// a dash, so a phone never starts a line with «—», and after a one-letter word («в», «к», «и», …),
// so it never ends a line; «...» becomes «…». Pure: the tables keep plain spaces, and a text set
// twice stays the same.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::typography {

constexpr const char* nbsp = "\xC2\xA0";  // U+00A0

std::string typeset(std::string_view text);

}  // namespace nocturna::typography
