// The compact gazetteer: building it, search and nearest city (docs/integrations.md §3.4, §3.5).
#include "clients/geo/gazetteer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
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

// "{name}, {region}, {country}"; region omitted when empty or equal to the name.
std::string label_text(std::string_view name, std::string_view region, std::string_view country) {
  std::string out(name);
  if (!region.empty() && region != name) out.append(", ").append(region);
  if (!country.empty()) out.append(", ").append(country);
  return out;
}

}  // namespace

std::string place::label() const {
  return label_text(name, region, country);
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

struct gazetteer::builder::lookup {
  std::map<std::array<text_id, 2>, std::uint32_t> regions;    // (name, name_en) → row
  std::map<std::array<text_id, 3>, std::uint32_t> countries;  // (name, name_en, code) → row
};

gazetteer::builder::builder() : index_(new gazetteer), lookup_(std::make_unique<lookup>()) {}
gazetteer::builder::~builder() = default;
gazetteer::builder::builder(builder&&) noexcept = default;

std::size_t gazetteer::builder::size() const {
  return index_->cities_.size();
}

void gazetteer::builder::add(const place& c) {
  auto& g = *index_;
  auto& pool = g.strings_;
  // Regions and countries repeat: their keys are normalised once, when first seen.
  const std::array<text_id, 2> region{pool.intern(c.region), pool.intern(c.region_en)};
  auto r = lookup_->regions.find(region);
  if (r == lookup_->regions.end()) {
    g.regions_.push_back({region[0], region[1], pool.intern(normalise_place(c.region)),
                          pool.intern(normalise_place(c.region_en))});
    r = lookup_->regions.emplace(region, static_cast<std::uint32_t>(g.regions_.size() - 1)).first;
  }
  const std::array<text_id, 3> country{pool.intern(c.country), pool.intern(c.country_en),
                                       pool.intern(c.country_code)};
  auto k = lookup_->countries.find(country);
  if (k == lookup_->countries.end()) {
    g.countries_.push_back({country[0], country[1], pool.intern(normalise_place(c.country)),
                            pool.intern(normalise_place(c.country_en)), country[2],
                            pool.intern(normalise_place(c.country_code))});
    k = lookup_->countries.emplace(country, static_cast<std::uint32_t>(g.countries_.size() - 1))
            .first;
  }
  city_row row;
  row.latitude = c.latitude;
  row.longitude = c.longitude;
  row.population = c.population;
  row.name = pool.intern(c.name);
  row.name_en = pool.intern(c.name_en);
  row.key = pool.intern(normalise_place(c.name));
  row.key_en = pool.intern(normalise_place(c.name_en));
  row.zone = pool.intern(c.zone);
  row.region = r->second;
  row.country = k->second;
  g.cities_.push_back(row);
  if (c.country_code == "RU" && c.name_en == "Moscow" && c.name == "Москва") g.localised_ = true;
}

gazetteer gazetteer::builder::finish(alias_table aliases) && {
  auto& g = *index_;
  g.aliases_ = std::move(aliases);
  g.strings_.freeze();
  g.cities_.shrink_to_fit();
  g.regions_.shrink_to_fit();
  g.countries_.shrink_to_fit();
  lookup_.reset();
  return std::move(g);
}

gazetteer::gazetteer(std::vector<place> cities, alias_table aliases) {
  builder b;
  for (const auto& c : cities) b.add(c);
  *this = std::move(b).finish(std::move(aliases));
}

std::size_t gazetteer::memory_bytes() const {
  return strings_.bytes() + cities_.capacity() * sizeof(city_row) +
         regions_.capacity() * sizeof(region_row) + countries_.capacity() * sizeof(country_row);
}

place gazetteer::place_of(const city_row& c) const {
  const auto& region = regions_[c.region];
  const auto& country = countries_[c.country];
  place p;
  p.name = text_of(c.name);
  p.region = text_of(region.name);
  p.country = text_of(country.name);
  p.name_en = text_of(c.name_en);
  p.region_en = text_of(region.name_en);
  p.country_en = text_of(country.name_en);
  p.country_code = text_of(country.code);
  p.zone = text_of(c.zone);
  p.latitude = c.latitude;
  p.longitude = c.longitude;
  p.population = c.population;
  return p;
}

std::string gazetteer::label_of(const city_row& c) const {
  return label_text(text_of(c.name), text_of(regions_[c.region].name),
                    text_of(countries_[c.country].name));
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
  std::vector<const city_row*> found;
  for (const auto& c : cities_) {
    const auto key = text_of(c.key), key_en = text_of(c.key_en);
    if (key == city || key_en == city || first_word(key) == city || first_word(key_en) == city)
      found.push_back(&c);
  }
  if (found.empty() && utf8_length(city) >= 3)
    for (const auto& c : cities_)
      if (starts_with(text_of(c.key), city) || starts_with(text_of(c.key_en), city))
        found.push_back(&c);

  // Step 4: the qualifier narrows by country, region or ISO code.
  if (!qualifier.empty()) {
    found.erase(std::remove_if(found.begin(), found.end(),
                               [&](const city_row* c) {
                                 const auto& country = countries_[c->country];
                                 const auto& region = regions_[c->region];
                                 return !(matches_qualifier(text_of(country.key), qualifier) ||
                                          matches_qualifier(text_of(country.key_en), qualifier) ||
                                          matches_qualifier(text_of(region.key), qualifier) ||
                                          matches_qualifier(text_of(region.key_en), qualifier) ||
                                          matches_qualifier(text_of(country.code_key), qualifier));
                               }),
                found.end());
  }

  // Step 5: population descending, then name; one per label.
  std::stable_sort(found.begin(), found.end(), [&](const city_row* a, const city_row* b) {
    if (a->population != b->population) return a->population > b->population;
    return text_of(a->name) < text_of(b->name);
  });
  std::set<std::string> labels;
  for (const city_row* c : found) {
    if (!labels.insert(label_of(*c)).second) continue;
    ++result.total;
    if (result.matches.size() < limit) result.matches.push_back(place_of(*c));
  }
  return result;
}

std::optional<nearest_place> gazetteer::nearest(double latitude, double longitude) const {
  if (!std::isfinite(latitude) || !std::isfinite(longitude) || latitude < -90 || latitude > 90 ||
      longitude < -180 || longitude > 180 || cities_.empty())
    return std::nullopt;
  const city_row* best = nullptr;
  double best_km = 0;
  for (const auto& c : cities_) {
    const double km = great_circle_km(latitude, longitude, c.latitude, c.longitude);
    if (!best || km < best_km || (km == best_km && c.population > best->population)) {
      best = &c;
      best_km = km;
    }
  }
  return nearest_place{place_of(*best), best_km};
}

}  // namespace nocturna::geo
