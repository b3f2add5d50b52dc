// libgeonames → our own index (docs/integrations.md §3.3).
#include "clients/geo/geonames_source.hpp"

#include <geonames.h>
#include <libintl.h>
#include <spdlog/spdlog.h>

#include <clocale>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

#include "clients/astro/civil_time.hpp"

namespace nocturna::geo {

namespace {

std::string text(const gchar* s) {
  return s ? s : "";
}

// The English fields are children 1, 3, 5 of the record (sssssssudd) = (id, name, region code,
// region, country code, country, zone, population, latitude, longitude); the accessors return the
// translations instead.
std::string english_child(GeonamesCity* city, gsize index) {
  const gchar* s = nullptr;
  g_variant_get_child(city, index, "&s", &s);
  return text(s);
}

}  // namespace

void prepare_geonames_locale() {
  const char* messages = std::setlocale(LC_MESSAGES, "");
  if (!messages || std::strcmp(messages, "C") == 0 || std::strcmp(messages, "POSIX") == 0)
    std::setlocale(LC_MESSAGES, "C.UTF-8");  // gettext ignores LANGUAGE under plain C
  setenv("LANGUAGE", "ru", 0);               // the product is Russian; an explicit value wins
  // Without this gettext converts to LC_CTYPE's charset, which transliterates under C.
  bind_textdomain_codeset("geonames", "UTF-8");
}

void warn_skipped_city(const std::string& name_en, const std::string& zone) {
  spdlog::warn("gazetteer: {} skipped, zone {} not in the tz database", name_en, zone);
}

std::size_t read_geonames_cities(const std::function<void(const place&)>& each,
                                 const skipped_city_fn& skipped_city) {
  const gint n = geonames_get_n_cities();
  bool warned_type = false;
  std::size_t handed = 0, skipped = 0;
  // A few hundred zones for 24,000 cities: each is checked once.
  std::map<std::string, bool> zone_known;
  for (gint i = 0; i < n; ++i) {
    GeonamesCity* city = geonames_get_city(i);
    if (!city) continue;
    place p;
    p.name = text(geonames_city_get_name(city));
    p.region = text(geonames_city_get_state(city));
    p.country = text(geonames_city_get_country(city));
    p.country_code = text(geonames_city_get_country_code(city));
    p.zone = text(geonames_city_get_timezone(city));
    p.latitude = geonames_city_get_latitude(city);
    p.longitude = geonames_city_get_longitude(city);
    p.population = geonames_city_get_population(city);
    if (std::strcmp(g_variant_get_type_string(city), "(sssssssudd)") == 0) {
      p.name_en = english_child(city, 1);
      p.region_en = english_child(city, 3);
      p.country_en = english_child(city, 5);
    } else if (!warned_type) {
      warned_type = true;
      spdlog::warn(
          "gazetteer: unexpected libgeonames record type {}; matching localised names only",
          g_variant_get_type_string(city));
    }
    geonames_city_free(city);
    auto known = zone_known.find(p.zone);
    if (known == zone_known.end())
      known = zone_known.emplace(p.zone, astro::zone_exists_uncached(p.zone)).first;
    if (!known->second) {
      ++skipped;
      if (skipped_city)
        skipped_city(p.name_en, p.zone);
      else
        warn_skipped_city(p.name_en, p.zone);
      continue;
    }
    each(p);
    ++handed;
  }
  spdlog::info("gazetteer: {} cities indexed, {} skipped", handed, skipped);
  return handed;
}

std::vector<place> read_geonames_cities() {
  std::vector<place> out;
  read_geonames_cities([&](const place& p) { out.push_back(p); });
  return out;
}

std::shared_ptr<const gazetteer> gazetteer::load(const std::string& share_dir) {
  return from_geonames(load_aliases(share_dir + "/" + alias_file_name));
}

std::shared_ptr<const gazetteer> gazetteer::from_geonames(alias_table aliases) {
  gazetteer::builder index;
  read_geonames_cities([&](const place& p) { index.add(p); });
  auto g = std::make_shared<const gazetteer>(std::move(index).finish(std::move(aliases)));
  if (!g->localised())
    spdlog::warn("gazetteer names are not localised (set LANG=C.UTF-8 LANGUAGE=ru)");
  return g;
}

}  // namespace nocturna::geo
