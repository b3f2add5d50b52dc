// The city stream of the libgeonames child process (clients/geo/place_stream.hpp).
#include "clients/geo/place_stream.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/same_place.hpp"

using namespace nocturna::geo;
using nocturna::testing::same_place;

namespace {

place city(std::string name, std::string zone, double latitude) {
  place p;
  p.name = std::move(name);
  p.region = "Москва";
  p.country = "Россия";
  p.name_en = "Moscow";
  p.region_en = "";
  p.country_en = "Russia";
  p.country_code = "RU";
  p.zone = std::move(zone);
  p.latitude = latitude;
  p.longitude = 37.61556;
  p.population = 10381222;
  return p;
}

struct collected {
  std::vector<place> cities;
  std::vector<std::pair<std::string, std::string>> skipped;
  place_stream_reader reader{[this](const place& p) { cities.push_back(p); },
                             [this](const std::string& name, const std::string& zone) {
                               skipped.emplace_back(name, zone);
                             }};
};

std::string sample_stream(const std::vector<place>& cities) {
  std::string out;
  write_city(out, cities[0]);
  write_skipped(out, "Nowhere", "Mars/Olympus");
  for (std::size_t i = 1; i < cities.size(); ++i) write_city(out, cities[i]);
  write_end(out, cities.size());
  return out;
}

}  // namespace

TEST_CASE("place stream: every city and skipped city comes through, in one piece or byte by byte") {
  const std::vector<place> cities = {city("Москва", "Europe/Moscow", 55.75222), city("", "", -0.0),
                                     city("Ёлки «и» палки", "UTC", 90.0)};
  const auto stream = sample_stream(cities);
  for (const std::size_t piece : {stream.size(), std::size_t{1}, std::size_t{7}}) {
    collected c;
    for (std::size_t at = 0; at < stream.size(); at += piece)
      REQUIRE(c.reader.feed(std::string_view(stream).substr(at, piece)));
    CHECK(c.reader.complete());
    CHECK(c.reader.cities() == 3);
    REQUIRE(c.cities.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(same_place(c.cities[i], cities[i]));
    REQUIRE(c.skipped.size() == 1);
    CHECK(c.skipped[0].first == "Nowhere");
    CHECK(c.skipped[0].second == "Mars/Olympus");
  }
}

TEST_CASE("place stream: a stream cut anywhere before its end is not complete") {
  const auto stream = sample_stream({city("Москва", "Europe/Moscow", 55.75222)});
  for (std::size_t cut = 0; cut < stream.size(); ++cut) {
    collected c;
    CHECK(c.reader.feed(std::string_view(stream).substr(0, cut)));
    CHECK_FALSE(c.reader.complete());
  }
}

TEST_CASE(
    "place stream: a wrong count, an unknown tag, a huge text or bytes after the end break it") {
  const auto one = city("Москва", "Europe/Moscow", 55.75222);
  std::string wrong_count;
  write_city(wrong_count, one);
  write_end(wrong_count, 2);
  std::string unknown_tag = "X";
  std::string huge;
  write_city(huge, city(std::string(5000, 'a'), "UTC", 1));
  std::string after_end;
  write_end(after_end, 0);
  after_end += "C";
  for (const auto* bad : {&wrong_count, &unknown_tag, &huge, &after_end}) {
    collected c;
    CHECK_FALSE(c.reader.feed(*bad));
    CHECK_FALSE(c.reader.complete());
    CHECK_FALSE(c.reader.feed(""));  // nothing more is read once broken
  }
}
