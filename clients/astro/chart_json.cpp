// Chart → JSON (calculations.md §1.3).
#include "clients/astro/chart_json.hpp"

#include "clients/astro/civil_time.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::astro {

namespace {

std::string join_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i];
  }
  return out + "]";
}

void add_dms(json::object& o, double longitude) {
  const dms d = to_dms(longitude);
  o.add("sign", sign_api_name(d.sign))
      .add("degree", d.degree)
      .add("minute", d.minute)
      .add("second", d.second);
}

std::string cusp_json(const house_cusp& h) {
  json::object o;
  o.add("number", h.number).add("longitude", h.longitude);
  add_dms(o, h.longitude);
  return o.str();
}

}  // namespace

std::string position_json(const body_position& p) {
  json::object o;
  o.add("planet", body_api_name(p.id))
      .add("longitude", p.longitude)
      .add("latitude", p.latitude)
      .add("distance", p.distance)
      .add("speed", p.speed)
      .add("is_retrograde", p.is_retrograde());
  add_dms(o, p.longitude);
  if (p.house)
    o.add("house", *p.house);
  else
    o.add_raw("house", "null");
  return o.str();
}

std::string aspect_json(const aspect& a) {
  return json::object()
      .add("planet1", a.p1.api_name())
      .add("planet2", a.p2.api_name())
      .add("aspect_type", aspect_name(a.type))
      .add("orb", a.orb)
      .add("applying", a.applying)
      .str();
}

std::string chart_to_json(const chart& c) {
  json::object o;
  o.add("moment_utc", format_iso_utc(c.moment_utc))
      .add("jd_ut", c.jd_ut)
      .add("latitude", c.latitude)
      .add("longitude", c.longitude)
      .add("zone", c.zone)
      .add("time_known", c.time_known)
      .add("ephemeris", c.ephemeris)
      .add("house_system", std::string(1, c.system_requested))
      .add("house_system_used", std::string(1, c.system_used))
      .add("houses_fallback", c.houses_fallback);
  std::vector<std::string> items;
  for (const auto& p : c.positions) items.push_back(position_json(p));
  o.add_raw("positions", join_array(items));
  if (c.time_known && c.chart_angles) {
    items.clear();
    for (const auto& h : c.houses) items.push_back(cusp_json(h));
    o.add_raw("houses", join_array(items));
    o.add_raw("angles", json::object()
                            .add("ASC", c.chart_angles->asc)
                            .add("MC", c.chart_angles->mc)
                            .add("DSC", c.chart_angles->dsc)
                            .add("IC", c.chart_angles->ic)
                            .str());
  }
  items.clear();
  for (const auto& a : c.aspects) items.push_back(aspect_json(a));
  o.add_raw("aspects", join_array(items));
  return o.str();
}

}  // namespace nocturna::astro
