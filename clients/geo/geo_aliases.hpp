// The alias file share/geo_aliases_ru.tsv (docs/integrations.md §3.4): `alias<TAB>canonical query`
// lines that map common inputs the index cannot match (Питер, СПб, UK) to queries it can.
#pragma once

#include <map>
#include <stdexcept>
#include <string>

namespace nocturna::geo {

// A malformed alias file: the message names the file and line; the process exits with code 2.
struct alias_file_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Normalised alias → normalised canonical query.
using alias_table = std::map<std::string, std::string>;

// Parses the file text. Blank lines and lines starting with '#' are skipped. Throws
// alias_file_error("<file>:<line>: ...") for a line without exactly one tab, an empty column,
// or an alias listed twice (after normalisation).
alias_table parse_aliases(const std::string& text, const std::string& file_name);

// Reads and parses `path`; a missing or unreadable file is an alias_file_error too.
alias_table load_aliases(const std::string& path);

// The file name inside the share directory.
constexpr const char* alias_file_name = "geo_aliases_ru.tsv";

}  // namespace nocturna::geo
