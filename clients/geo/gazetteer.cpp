// Gazetteer search and nearest city (docs/integrations.md §3.4, §3.5).
#include "clients/geo/gazetteer.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "clients/geo/place_text.hpp"

namespace nocturna::geo {

namespace {

constexpr double earth_radius_km = 6371.0088;
constexpr double pi = 3.14159265358979323846;
// No place name is anywhere near this long; longer input is garbage, not worth normalising.
constexpr std::size_t max_query_bytes = 256;

bool starts_with(std::string_view s, std::string_view prefix) {
  return !prefix.empty() && s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool matches_qualifier(std::string_view key, std::string_view qualifier) {
  return !key.empty() && starts_with(key, qualifier);  // "equals or starts with"
}

std::string trim_spaces(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

}  // namespace

std::string place::label() const {
  std::string out = name;
  if (!region.empty() && region != name) out += ", " + region;
  if (!country.empty()) out += ", " + country;
  return out;
}

long nearest_place::rounded_km() const {
  return std::lround(distance_km);
}

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  const double rad = pi / 180.0;
  const double dlat = (lat2 - lat1) * rad;
  const double dlon = (lon2 - lon1) * rad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(a)));
}

gazetteer::gazetteer(std::vector<place> cities, alias_table aliases)
    : aliases_(std::move(aliases)) {
  cities_.reserve(cities.size());
  for (auto& c : cities) {
    entry e;
    e.name = normalise_place(c.name);
    e.name_en = normalise_place(c.name_en);
    e.first = std::string(first_word(e.name));
    e.first_en = std::string(first_word(e.name_en));
    e.region = normalise_place(c.region);
    e.region_en = normalise_place(c.region_en);
    e.country = normalise_place(c.country);
    e.country_en = normalise_place(c.country_en);
    e.code = normalise_place(c.country_code);
    if (c.country_code == "RU" && c.name_en == "Moscow" && c.name == "Москва") localised_ = true;
    e.city = std::move(c);
    cities_.push_back(std::move(e));
  }
}

search_result gazetteer::search(std::string_view text, std::size_t limit) const {
  search_result result;
  if (text.size() > max_query_bytes) return result;
  const std::string query = normalise_place(text);
  if (query.empty()) return result;

  // Step 2: city part and qualifier, each replaced by its alias when it is one.
  const auto comma = query.find(',');
  std::string city = trim_spaces(query.substr(0, comma));
  std::string qualifier = comma == std::string::npos ? "" : trim_spaces(query.substr(comma + 1));
  if (auto it = aliases_.find(city); it != aliases_.end()) {
    city = it->second;
    // A canonical query may carry its own qualifier ("город, страна").
    if (const auto c = city.find(','); c != std::string::npos) {
      if (qualifier.empty()) qualifier = trim_spaces(city.substr(c + 1));
      city = trim_spaces(city.substr(0, c));
    }
  }
  if (auto it = aliases_.find(qualifier); it != aliases_.end()) qualifier = it->second;
  if (city.empty()) return result;

  // Step 3: exact name or first word; else, for 3+ characters, a name prefix.
  std::vector<const entry*> found;
  for (const auto& e : cities_)
    if (e.name == city || e.name_en == city || e.first == city || e.first_en == city)
      found.push_back(&e);
  if (found.empty() && utf8_length(city) >= 3)
    for (const auto& e : cities_)
      if (starts_with(e.name, city) || starts_with(e.name_en, city)) found.push_back(&e);

  // Step 4: the qualifier narrows by country, region or ISO code.
  if (!qualifier.empty()) {
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const entry* e) {
                                 return !(matches_qualifier(e->country, qualifier) ||
                                          matches_qualifier(e->country_en, qualifier) ||
                                          matches_qualifier(e->region, qualifier) ||
                                          matches_qualifier(e->region_en, qualifier) ||
                                          matches_qualifier(e->code, qualifier));
                               }),
                found.end());
  }

  // Step 5: population descending, then name; one per label.
  std::stable_sort(found.begin(), found.end(), [](const entry* a, const entry* b) {
    if (a->city.population != b->city.population) return a->city.population > b->city.population;
    return a->city.name < b->city.name;
  });
  std::set<std::string> labels;
  for (const entry* e : found) {
    if (!labels.insert(e->city.label()).second) continue;
    ++result.total;
    if (result.matches.size() < limit) result.matches.push_back(e->city);
  }
  return result;
}

std::optional<nearest_place> gazetteer::nearest(double latitude, double longitude) const {
  if (!std::isfinite(latitude) || !std::isfinite(longitude) || latitude < -90 || latitude > 90 ||
      longitude < -180 || longitude > 180 || cities_.empty())
    return std::nullopt;
  const entry* best = nullptr;
  double best_km = 0;
  for (const auto& e : cities_) {
    const double km = great_circle_km(latitude, longitude, e.city.latitude, e.city.longitude);
    if (!best || km < best_km || (km == best_km && e.city.population > best->city.population)) {
      best = &e;
      best_km = km;
    }
  }
  return nearest_place{best->city, best_km};
}

}  // namespace nocturna::geo
