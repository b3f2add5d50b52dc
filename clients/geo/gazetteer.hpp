// The offline gazetteer (docs/integrations.md §3): an immutable in-memory index of libgeonames'
// cities, searched by Russian or Latin name (with the alias file) and by nearest point. Once built
// it never calls libgeonames again, so one instance can be shared by all threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/geo/geo_aliases.hpp"

namespace nocturna::geo {

struct place {
  std::string name, region, country;           // localised (Russian when translated)
  std::string name_en, region_en, country_en;  // English, from the record itself
  std::string country_code;                    // ISO, e.g. "RU"
  std::string zone;                            // IANA, e.g. "Europe/Moscow"
  double latitude = 0, longitude = 0;
  std::uint32_t population = 0;

  // "{name}, {region}, {country}"; region omitted when empty or equal to the name.
  std::string label() const;
};

struct search_result {
  std::vector<place> matches;  // best first, at most `limit`
  std::size_t total = 0;       // all distinct matches (for "showing 5 of N")
};

struct nearest_place {
  place city;
  double distance_km = 0;  // great circle, R = 6371.0088 km
  long rounded_km() const;
};

class gazetteer {
 public:
  // Pure constructor (tests build small indexes by hand).
  gazetteer(std::vector<place> cities, alias_table aliases);

  // Reads every libgeonames city and `<share_dir>/geo_aliases_ru.tsv`. Throws alias_file_error
  // for a bad alias file. Call prepare_geonames_locale() first for Russian names.
  static std::shared_ptr<const gazetteer> load(const std::string& share_dir);

  // docs/integrations.md §3.4. Empty, invalid or absurd input → no matches, never an exception.
  search_result search(std::string_view text, std::size_t limit = 5) const;

  // docs/integrations.md §3.5: nullopt when latitude/longitude are out of range or not finite.
  std::optional<nearest_place> nearest(double latitude, double longitude) const;

  std::size_t size() const { return cities_.size(); }
  // Whether the self-check found Russian names (Moscow, RU → Москва).
  bool localised() const { return localised_; }

 private:
  // A place plus its normalised search keys (computed once at construction).
  struct entry {
    place city;
    std::string name, name_en, first, first_en;
    std::string region, region_en, country, country_en, code;
  };
  std::vector<entry> cities_;
  alias_table aliases_;
  bool localised_ = false;
};

// Great-circle distance in km (haversine, R = 6371.0088 km).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace nocturna::geo
