// libgeonames read in a child process (clients/geo/place_stream.hpp says why): the bot runs its
// own binary with `geonames_child_argument`, which writes every city to its standard output, and
// builds the index from that stream. Only the index is left in the bot.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "clients/geo/gazetteer.hpp"

namespace nocturna::geo {

// argv[1] of the child (app/main.cpp answers it before anything else).
inline constexpr const char* geonames_child_argument = "--geonames-cities";

// The child's side: reads libgeonames and writes the city stream to `fd`; the exit code.
int write_geonames_cities(int fd);

// Runs `program geonames_child_argument` and builds the index from what it writes. Throws
// std::runtime_error when the child cannot start, fails, writes a broken stream or is not done
// within `deadline` (then it is killed).
std::shared_ptr<const gazetteer> gazetteer_from_child(const std::string& program,
                                                      alias_table aliases,
                                                      std::chrono::milliseconds deadline);

}  // namespace nocturna::geo
