// libgeonames read by a child process of the bot binary (clients/geo/geonames_child.hpp): the
// same index as reading it in this process, and a clear error for a child that fails.
#include "clients/geo/geonames_child.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "clients/geo/geo_aliases.hpp"
#include "clients/geo/geonames_source.hpp"
#include "tests/support/bot_process.hpp"

using namespace nocturna;
using namespace nocturna::geo;

namespace {

constexpr auto child_wait = std::chrono::seconds(120);

alias_table aliases() {
  return load_aliases(std::string(NOCTURNA_SOURCE_SHARE_DIR) + "/" + alias_file_name);
}

std::string labels(const search_result& r) {
  std::string out = std::to_string(r.total) + ":";
  for (const auto& p : r.matches)
    out += " " + p.label() + " " + p.zone + " " + std::to_string(p.latitude);
  return out;
}

std::string error_of(const std::string& program) {
  try {
    gazetteer_from_child(program, aliases(), child_wait);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("geonames child: the bot binary's child gives the index this process reads itself") {
  prepare_geonames_locale();
  const auto from_child = gazetteer_from_child(testing::bot_binary(), aliases(), child_wait);
  const auto here = gazetteer::from_geonames(aliases());
  REQUIRE(from_child.get() != nullptr);
  CHECK(from_child->size() > 20000);
  CHECK(from_child->size() == here->size());
  CHECK(from_child->memory_bytes() == here->memory_bytes());
  CHECK(from_child->localised() == here->localised());
  for (const char* query : {"Москва", "Санкт-Петербург", "London", "Париж, Франция", "Йошкар-Ола",
                            "springfield", "Нью-Йорк", "Ростов"})
    CHECK(labels(from_child->search(query)) == labels(here->search(query)));
  for (auto [lat, lon] : {std::pair{55.75, 37.62}, {-33.87, 151.21}, {64.5, -21.9}, {0.0, 0.0}}) {
    const auto a = from_child->nearest(lat, lon);
    const auto b = here->nearest(lat, lon);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->city.label() == b->city.label());
    CHECK(a->distance_km == b->distance_km);
  }
}

TEST_CASE("geonames child: a child that fails, is missing or writes something else is an error") {
  CHECK(error_of("/bin/false").find("exited with 1") != std::string::npos);
  CHECK(error_of("/nonexistent/nocturna-bot").find("cannot run") != std::string::npos);
  // echo writes its argument back: not the city stream.
  CHECK(error_of("/bin/echo").find("broken stream") != std::string::npos);
  // true writes nothing and succeeds: the stream has no end.
  CHECK(error_of("/bin/true").find("ended early") != std::string::npos);
}
