// The offline gazetteer (docs/integrations.md §3): an immutable in-memory index of libgeonames'
// cities, searched by Russian or Latin name (with the alias file) and by nearest point. Once built
// it never calls libgeonames again, so one instance can be shared by all threads. Compact: every
// text once in a string pool, fixed-size rows (~3 MB for 24,000 cities instead of ~28 MB of
// std::strings; docs/benchmarks.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clients/geo/geo_aliases.hpp"
#include "clients/geo/string_pool.hpp"

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

  // Builds an index one city at a time: the loader streams libgeonames into it, so the 24,000
  // cities never exist all at once as std::strings (a peak of ~20 MB otherwise).
  class builder {
   public:
    builder();
    ~builder();
    builder(builder&&) noexcept;
    void add(const place& city);
    std::size_t size() const;
    gazetteer finish(alias_table aliases) &&;

   private:
    struct lookup;  // build-time de-duplication of regions and countries
    std::unique_ptr<gazetteer> index_;
    std::unique_ptr<lookup> lookup_;
  };

  // Reads every libgeonames city and `<share_dir>/geo_aliases_ru.tsv`. Throws alias_file_error
  // for a bad alias file. Call prepare_geonames_locale() first for Russian names.
  static std::shared_ptr<const gazetteer> load(const std::string& share_dir);
  // The same with the alias table already read.
  static std::shared_ptr<const gazetteer> from_geonames(alias_table aliases);

  // docs/integrations.md §3.4. Empty, invalid or absurd input → no matches, never an exception.
  search_result search(std::string_view text, std::size_t limit = 5) const;

  // docs/integrations.md §3.5: nullopt when latitude/longitude are out of range or not finite.
  std::optional<nearest_place> nearest(double latitude, double longitude) const;

  std::size_t size() const { return cities_.size(); }
  // Whether the self-check found Russian names (Moscow, RU → Москва).
  bool localised() const { return localised_; }
  // Heap bytes of the index (logged at start-up; docs/benchmarks.md).
  std::size_t memory_bytes() const;

 private:
  gazetteer() = default;
  using text_id = string_pool::id;
  // Each text once in `strings_`; a city names its region and country by their row, which keeps
  // their texts and normalised search keys once for all their cities.
  struct region_row {
    text_id name, name_en, key, key_en;
  };
  struct country_row {
    text_id name, name_en, key, key_en, code, code_key;
  };
  struct city_row {
    double latitude, longitude;
    std::uint32_t population;
    text_id name, name_en, key, key_en;  // as libgeonames has them; normalised (search keys)
    text_id zone;
    std::uint32_t region;
    std::uint32_t country;
  };
  std::string_view text_of(text_id id) const { return strings_.get(id); }
  place place_of(const city_row& c) const;
  std::string label_of(const city_row& c) const;

  string_pool strings_;
  std::vector<city_row> cities_;
  std::vector<region_row> regions_;
  std::vector<country_row> countries_;
  alias_table aliases_;
  bool localised_ = false;
};

// Great-circle distance in km (haversine, R = 6371.0088 km).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace nocturna::geo
