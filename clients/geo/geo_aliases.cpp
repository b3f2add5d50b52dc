// Alias file parsing (docs/integrations.md §3.4).
#include "clients/geo/geo_aliases.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "clients/geo/place_text.hpp"

namespace nocturna::geo {

namespace {

[[noreturn]] void fail(const std::string& file, int line, const std::string& what) {
  throw alias_file_error(file + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

alias_table parse_aliases(const std::string& text, const std::string& file_name) {
  alias_table table;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate CRLF checkouts
    const bool blank =
        std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
    if (blank || line.front() == '#') continue;
    if (std::count(line.begin(), line.end(), '\t') != 1)
      fail(file_name, number, "expected exactly one tab between alias and canonical query");
    const auto tab = line.find('\t');
    const std::string alias = normalise_place(line.substr(0, tab));
    const std::string canonical = normalise_place(line.substr(tab + 1));
    if (alias.empty() || canonical.empty()) fail(file_name, number, "empty alias or query");
    if (!table.emplace(alias, canonical).second)
      fail(file_name, number, "alias listed twice: " + alias);
  }
  return table;
}

alias_table load_aliases(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw alias_file_error(path + ": cannot read the alias file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_aliases(text.str(), path);
}

}  // namespace nocturna::geo
