// The cities of libgeonames as a byte stream, from a child process to the bot: reading
// libgeonames leaves its data (~2.4 MiB, never freed by the library) and gettext's catalogues of
// the city names (~1.9 MiB) in the process that reads it, for good. A child of the bot reads
// them and writes each city here; the bot builds its index from the stream
// (clients/geo/geonames_child.hpp). Both ends are the same binary, so numbers are written in the
// machine's own byte order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "clients/geo/gazetteer.hpp"

namespace nocturna::geo {

// Record tags: a city, a city skipped (its zone is not in the tz database: English name and zone
// in the name_en and zone fields), the end (the number of cities written).
void write_city(std::string& out, const place& city);
void write_skipped(std::string& out, const std::string& name_en, const std::string& zone);
void write_end(std::string& out, std::uint64_t cities);

// Reads a stream fed in pieces of any size. A record is handed over once all its bytes are in.
class place_stream_reader {
 public:
  using city_fn = std::function<void(const place&)>;
  using skipped_fn = std::function<void(const std::string& name_en, const std::string& zone)>;
  place_stream_reader(city_fn on_city, skipped_fn on_skipped);

  // False once the stream is malformed (an unknown tag, a text longer than any city's, bytes
  // after the end); nothing more is read then.
  bool feed(std::string_view bytes);
  // The end record came, its count matched the cities read, and nothing is left over.
  bool complete() const { return ended_ && !broken_ && pending_.empty(); }
  std::uint64_t cities() const { return cities_; }

 private:
  // Parses one record of `pending_` from `at` on, advancing `at` past it: 1 = done, 0 = needs
  // more bytes, -1 = broken.
  int take_one(std::size_t& at);

  city_fn on_city_;
  skipped_fn on_skipped_;
  std::string pending_;
  std::uint64_t cities_ = 0;
  bool ended_ = false;
  bool broken_ = false;
};

}  // namespace nocturna::geo
