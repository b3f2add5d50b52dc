#include "clients/nocturna/positions_codec.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <optional>

#include "protocol/json_writer.hpp"

namespace nocturna::remote {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

constexpr double unix_epoch_jd = 2440587.5;

// Integers and floats are both numbers to the API (`"degree":14.0`, `"distance":1`).
bool number_field(object o, std::string_view key, double& out) {
  element e;
  if (o.at_key(key).get(e)) return false;
  if (!e.get(out)) return std::isfinite(out);
  std::int64_t i;
  if (!e.get(i)) {
    out = static_cast<double>(i);
    return true;
  }
  std::uint64_t u;
  if (!e.get(u)) {
    out = static_cast<double>(u);
    return true;
  }
  return false;
}

double normalise(double lon) {
  double r = std::fmod(lon, 360.0);
  if (r < 0) r += 360.0;
  if (r >= 360.0) r = 0.0;
  return r;
}

void cross_check_dms(object o, const astro::body_position& p, std::vector<std::string>* notes) {
  if (!notes) return;
  double degree = 0, minute = 0, second = 0;
  if (!number_field(o, "degree", degree) || !number_field(o, "minute", minute) ||
      !number_field(o, "second", second))
    return;
  const auto mine = astro::to_dms(p.longitude);
  if (mine.degree != static_cast<int>(degree) || mine.minute != static_cast<int>(minute) ||
      mine.second != static_cast<int>(second))
    notes->push_back(fmt::format("{}: server D/M/S {}/{}/{}, ours {}/{}/{}",
                                 astro::body_api_name(p.id), degree, minute, second, mine.degree,
                                 mine.minute, mine.second));
}

}  // namespace

const std::vector<astro::body>& standard_bodies() {
  using astro::body;
  static const std::vector<body> bodies = {
      body::sun,       body::moon,      body::mercury,    body::venus,   body::mars,
      body::jupiter,   body::saturn,    body::uranus,     body::neptune, body::pluto,
      body::mean_node, body::true_node, body::mean_lilith};
  return bodies;
}

astro::datetime_fields ut_fields_of_jd(double jd_ut) {
  const auto unix_seconds =
      static_cast<std::int64_t>(std::llround((jd_ut - unix_epoch_jd) * 86400.0));
  return astro::unix_to_fields(unix_seconds);
}

std::string positions_request(const astro::datetime_fields& ut, double latitude, double longitude,
                              const std::vector<astro::body>& bodies) {
  std::vector<std::string> names;
  names.reserve(bodies.size());
  for (auto b : bodies) names.emplace_back(astro::body_api_name(b));
  return json::object()
      .add("date", fmt::format("{:04}-{:02}-{:02}", ut.year, ut.month, ut.day))
      .add("time", fmt::format("{:02}:{:02}:{:02}", ut.hour, ut.minute, ut.second))
      .add("latitude", latitude)
      .add("longitude", longitude)
      .add("timezone", "UTC")
      .add_raw("planets", json::string_array(names))
      .str();
}

std::variant<std::vector<astro::body_position>, std::string> parse_positions(
    std::string_view payload, const std::vector<astro::body>& requested,
    std::vector<std::string>* notes) {
  simdjson::dom::parser parser;
  object root;
  if (parser.parse(payload.data(), payload.size()).get(root))
    return std::string("payload is not a JSON object");
  simdjson::dom::array list;
  if (root.at_key("positions").get(list)) return std::string("`positions` is not an array");

  std::vector<std::optional<astro::body_position>> found(requested.size());
  for (element item : list) {
    object o;
    if (item.get(o)) return std::string("a position is not an object");
    std::string_view name;
    if (o.at_key("planet").get(name)) return std::string("a position has no `planet` string");
    const auto id = astro::body_from_api_name(std::string(name));
    std::size_t slot = requested.size();
    for (std::size_t i = 0; id && i < requested.size(); ++i)
      if (requested[i] == *id) slot = i;
    // The server may know bodies we did not ask for; only the requested ones matter.
    if (slot == requested.size()) continue;
    if (found[slot]) return fmt::format("{} appears twice", name);

    astro::body_position p;
    p.id = *id;
    if (!number_field(o, "longitude", p.longitude) || !number_field(o, "latitude", p.latitude) ||
        !number_field(o, "distance", p.distance) || !number_field(o, "speed", p.speed))
      return fmt::format("{}: longitude, latitude, distance and speed must be finite numbers",
                         name);
    p.longitude = normalise(p.longitude);
    cross_check_dms(o, p, notes);
    found[slot] = p;
  }

  std::vector<astro::body_position> out;
  out.reserve(requested.size());
  for (std::size_t i = 0; i < requested.size(); ++i) {
    if (!found[i]) return fmt::format("{} is missing", astro::body_api_name(requested[i]));
    out.push_back(*found[i]);
  }
  return out;
}

}  // namespace nocturna::remote
