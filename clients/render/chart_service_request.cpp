#include "clients/render/chart_service_request.hpp"

#include <fmt/format.h>

#include <cmath>
#include <ctime>

#include "protocol/json_writer.hpp"

namespace nocturna::render {
namespace {

using astro::body;

struct planet_key {
  body id;
  const char* key;
};
constexpr planet_key planet_keys[] = {{body::sun, "sun"},         {body::moon, "moon"},
                                      {body::mercury, "mercury"}, {body::venus, "venus"},
                                      {body::mars, "mars"},       {body::jupiter, "jupiter"},
                                      {body::saturn, "saturn"},   {body::uranus, "uranus"},
                                      {body::neptune, "neptune"}, {body::pluto, "pluto"}};

const astro::body_position* find_body(const astro::chart& c, body b) {
  for (const auto& p : c.positions)
    if (p.id == b) return &p;
  return nullptr;
}

std::string planets_json(const astro::chart& c) {
  json::object planets;
  for (const auto& pk : planet_keys) {
    const auto* p = find_body(c, pk.id);
    if (!p) continue;
    planets.add_raw(pk.key, json::object()
                                .add("lon", p->longitude)
                                .add("lat", p->latitude)
                                .add("retrograde", p->is_retrograde())
                                .str());
  }
  return planets.str();
}

std::string houses_json(const astro::chart& c) {
  std::string out = "[";
  for (std::size_t i = 0; i < c.houses.size(); ++i) {
    if (i) out += ',';
    out += json::object().add("lon", c.houses[i].longitude).str();
  }
  return out + "]";
}

std::string render_options_json(int size) {
  return json::object()
      .add("format", "png")
      .add("width", size)
      .add("height", size)
      .add("quality", 90)
      .add("theme", "light")
      .str();
}

std::string type_json(double orb) {
  return json::object().add("enabled", true).add("orb", orb).str();
}

// The natal orbs per type, as the aspects a report lists (docs/calculations.md §5.1).
std::string natal_types_json() {
  return json::object()
      .add_raw("conjunction", type_json(8))
      .add_raw("opposition", type_json(8))
      .add_raw("trine", type_json(6))
      .add_raw("square", type_json(6))
      .add_raw("sextile", type_json(4))
      .str();
}

std::string person_json(const astro::chart& c) {
  return json::object().add_raw("planets", planets_json(c)).add_raw("houses", houses_json(c)).str();
}

}  // namespace

bool chart_service_can_send(const astro::chart& c, bool need_houses) {
  for (const auto& pk : planet_keys) {
    const auto* p = find_body(c, pk.id);
    if (!p || !std::isfinite(p->longitude) || !std::isfinite(p->latitude) || p->longitude < 0 ||
        p->longitude >= 360 || p->latitude < -90 || p->latitude > 90 || !std::isfinite(p->speed))
      return false;
  }
  if (!need_houses) return true;
  if (c.houses.size() != 12) return false;
  for (const auto& h : c.houses)
    if (!std::isfinite(h.longitude) || h.longitude < 0 || h.longitude > 360) return false;
  return true;
}

std::string wheel_request_json(const astro::chart& c, int size) {
  const std::string types = natal_types_json();
  return json::object()
      .add_raw("planets", planets_json(c))
      .add_raw("houses", houses_json(c))
      .add_raw("aspectSettings",
               json::object().add("enabled", true).add("orb", 8).add_raw("types", types).str())
      .add_raw("renderOptions", render_options_json(size))
      .str();
}

std::string transit_request_json(const astro::chart& natal, const astro::chart& transit, int size) {
  const std::string on = json::object().add("enabled", true).str();
  const std::string types = json::object()
                                .add_raw("conjunction", on)
                                .add_raw("opposition", on)
                                .add_raw("trine", on)
                                .add_raw("square", on)
                                .add_raw("sextile", on)
                                .str();
  const std::string off = json::object().add("enabled", false).add("orb", 6).str();
  const std::string settings =
      json::object()
          .add_raw("natal", off)
          .add_raw("transit", off)
          .add_raw("natalToTransit",
                   json::object().add("enabled", true).add("orb", 3).add_raw("types", types).str())
          .str();
  return json::object()
      .add_raw("natal", json::object()
                            .add_raw("planets", planets_json(natal))
                            .add_raw("houses", houses_json(natal))
                            .str())
      .add_raw("transit", json::object()
                              .add_raw("planets", planets_json(transit))
                              .add("datetime", utc_iso8601(transit.moment_utc))
                              .str())
      .add_raw("aspectSettings", settings)
      .add_raw("renderOptions", render_options_json(size))
      .str();
}

std::string synastry_request_json(const astro::chart& user, const astro::chart& partner, int size) {
  const std::string off = json::object().add("enabled", false).add("orb", 6).str();
  const std::string aspects = json::object()
                                  .add_raw("person1", off)
                                  .add_raw("person2", off)
                                  .add_raw("interaspects", json::object()
                                                               .add("enabled", true)
                                                               .add("orb", 8)
                                                               .add_raw("types", natal_types_json())
                                                               .str())
                                  .str();
  return json::object()
      .add_raw("person1", person_json(user))
      .add_raw("person2", person_json(partner))
      .add_raw(
          "synastrySettings",
          json::object().add("useHousesFrom", "person1").add_raw("aspectSettings", aspects).str())
      .add_raw("renderOptions", render_options_json(size))
      .str();
}

std::string utc_iso8601(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace nocturna::render
