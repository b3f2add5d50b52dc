// Chart ↔ JSON (docs/calculations.md §1.3).
#include "clients/astro/chart_json.hpp"

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <exception>

#include "clients/astro/civil_time.hpp"
#include "clients/astro/houses.hpp"
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

namespace {

// Reading (chart_from_json) with simdjson's DOM API and its error codes: nothing here throws.

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

constexpr std::size_t max_chart_document = 1u << 20;  // a chart is a few KB

// One parser per thread; an element from it is valid only until the next parse on the thread.
simdjson::dom::parser& chart_parser() {
  thread_local simdjson::dom::parser parser(max_chart_document);
  return parser;
}

bool is_number_tail(char c) {
  return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E';
}

// json::object writes −0.0 as `-0`, which simdjson's DOM reads as the integer 0; spelled `-0.0` it
// is read as the double −0.0. Returns `json` itself when it has no such token (the usual case),
// else a copy in `storage` with each `-0` number (outside strings; not an exponent's `e-0`) spelled
// `-0.0`. Only whole number tokens are touched, so valid JSON stays valid and malformed stays
// malformed.
std::string_view spell_negative_zeros(std::string_view json, std::string& storage) {
  bool in_string = false, escaped = false, copying = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '-' && (i == 0 || !is_number_tail(json[i - 1])) && i + 1 < json.size() &&
               json[i + 1] == '0' && (i + 2 == json.size() || !is_number_tail(json[i + 2]))) {
      if (!copying) {
        storage.assign(json.data(), i);
        copying = true;
      }
      storage += "-0.0";
      ++i;
      continue;
    }
    if (copying) storage.push_back(c);
  }
  return copying ? std::string_view(storage) : json;
}

bool get_field(object o, std::string_view key, element& out) {
  return !o.at_key(key).get(out);
}

bool get_double(object o, std::string_view key, double& out) {
  element e;
  // Integers (`15`) are read as doubles too; simdjson rejects numbers beyond a double's range.
  return get_field(o, key, e) && !e.get(out) && std::isfinite(out);
}

bool get_int(object o, std::string_view key, int lo, int hi, int& out) {
  element e;
  std::int64_t v = 0;
  if (!get_field(o, key, e) || !e.is_int64() || e.get(v) || v < lo || v > hi) return false;
  out = static_cast<int>(v);
  return true;
}

bool get_bool(object o, std::string_view key, bool& out) {
  element e;
  return get_field(o, key, e) && !e.get(out);
}

bool get_string(object o, std::string_view key, std::string& out) {
  element e;
  std::string_view sv;
  if (!get_field(o, key, e) || e.get(sv)) return false;
  out.assign(sv.data(), sv.size());
  return true;
}

bool get_array(object o, std::string_view key, array& out) {
  element e;
  return get_field(o, key, e) && !e.get(out);
}

bool get_house_system(object o, std::string_view key, house_system& out) {
  std::string s;
  if (!get_string(o, key, s) || s.size() != 1 || !valid_house_system(s[0])) return false;
  out = s[0];
  return true;
}

bool two_digits(std::string_view s, std::size_t at, int& out) {
  const char a = s[at], b = s[at + 1];
  if (a < '0' || a > '9' || b < '0' || b > '9') return false;
  out = (a - '0') * 10 + (b - '0');
  return true;
}

// Exactly format_iso_utc's "1990-01-15T19:30:00Z".
bool parse_iso_utc(std::string_view s, std::int64_t& out) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != 'Z')
    return false;
  datetime_fields f;
  int century = 0, year = 0;
  if (!two_digits(s, 0, century) || !two_digits(s, 2, year) || !two_digits(s, 5, f.month) ||
      !two_digits(s, 8, f.day) || !two_digits(s, 11, f.hour) || !two_digits(s, 14, f.minute) ||
      !two_digits(s, 17, f.second))
    return false;
  f.year = century * 100 + year;
  if (!valid_fields(f)) return false;
  out = fields_to_unix(f);
  return true;
}

bool read_position(element e, body_position& p) {
  object o;
  std::string name;
  if (e.get(o) || !get_string(o, "planet", name)) return false;
  const auto id = body_from_api_name(name);
  if (!id) return false;
  p.id = *id;
  if (!get_double(o, "longitude", p.longitude) || !get_double(o, "latitude", p.latitude) ||
      !get_double(o, "distance", p.distance) || !get_double(o, "speed", p.speed))
    return false;
  element h;
  if (!get_field(o, "house", h)) return false;
  if (h.is_null()) {
    p.house.reset();
  } else {
    int house = 0;
    if (!get_int(o, "house", 1, 12, house)) return false;
    p.house = house;
  }
  return true;
}

bool read_point(object o, std::string_view key, aspect_point& p) {
  std::string name;
  if (!get_string(o, key, name)) return false;
  if (const auto id = body_from_api_name(name)) {
    p.id = *id;
    p.angle.clear();
    return true;
  }
  if (name != "ASC" && name != "MC") return false;
  p.id.reset();
  p.angle = std::move(name);
  return true;
}

bool read_aspect(element e, aspect& a) {
  object o;
  std::string type;
  if (e.get(o) || !read_point(o, "planet1", a.p1) || !read_point(o, "planet2", a.p2) ||
      !get_string(o, "aspect_type", type) || !get_double(o, "orb", a.orb) ||
      !get_bool(o, "applying", a.applying))
    return false;
  for (const auto t : {aspect_type::conjunction, aspect_type::opposition, aspect_type::trine,
                       aspect_type::square, aspect_type::sextile}) {
    if (type == aspect_name(t)) {
      a.type = t;
      return true;
    }
  }
  return false;
}

bool read_houses(object doc, chart& c) {
  element he, ae;
  const bool has_houses = get_field(doc, "houses", he);
  const bool has_angles = get_field(doc, "angles", ae);
  if (!has_houses && !has_angles) return true;
  // chart_to_json writes both or neither, and only for a known time.
  if (!has_houses || !has_angles || !c.time_known) return false;
  array cusps;
  if (he.get(cusps) || cusps.size() != 12) return false;
  for (element item : cusps) {
    object o;
    house_cusp h;
    if (item.get(o) || !get_int(o, "number", 1, 12, h.number) ||
        h.number != static_cast<int>(c.houses.size()) + 1 ||
        !get_double(o, "longitude", h.longitude))
      return false;
    c.houses.push_back(h);
  }
  object ao;
  angles a;
  if (ae.get(ao) || !get_double(ao, "ASC", a.asc) || !get_double(ao, "MC", a.mc) ||
      !get_double(ao, "DSC", a.dsc) || !get_double(ao, "IC", a.ic))
    return false;
  c.chart_angles = a;
  return true;
}

std::optional<chart> read_chart(std::string_view json) {
  if (json.size() > max_chart_document) return std::nullopt;
  std::string storage;
  const std::string_view text = spell_negative_zeros(json, storage);
  element root;
  object doc;
  if (chart_parser().parse(text.data(), text.size()).get(root) || root.get(doc))
    return std::nullopt;

  chart c;
  std::string moment;
  if (!get_string(doc, "moment_utc", moment) || !parse_iso_utc(moment, c.moment_utc) ||
      !get_double(doc, "jd_ut", c.jd_ut) || !get_double(doc, "latitude", c.latitude) ||
      !get_double(doc, "longitude", c.longitude) || !get_string(doc, "zone", c.zone) ||
      !get_bool(doc, "time_known", c.time_known) || !get_string(doc, "ephemeris", c.ephemeris) ||
      !get_house_system(doc, "house_system", c.system_requested) ||
      !get_house_system(doc, "house_system_used", c.system_used) ||
      !get_bool(doc, "houses_fallback", c.houses_fallback))
    return std::nullopt;
  if (std::fabs(c.latitude) > 90.0 || std::fabs(c.longitude) > 180.0) return std::nullopt;

  array items;
  if (!get_array(doc, "positions", items)) return std::nullopt;
  for (element item : items) {
    body_position p;
    if (!read_position(item, p) || c.find(p.id)) return std::nullopt;
    c.positions.push_back(p);
  }
  if (!read_houses(doc, c)) return std::nullopt;
  if (!get_array(doc, "aspects", items)) return std::nullopt;
  for (element item : items) {
    aspect a;
    if (!read_aspect(item, a)) return std::nullopt;
    c.aspects.push_back(std::move(a));
  }
  return c;
}

}  // namespace

std::optional<chart> chart_from_json(std::string_view json) {
  try {
    return read_chart(json);
  } catch (const std::exception&) {  // std::bad_alloc: the cache entry is just unreadable
    return std::nullopt;
  }
}

}  // namespace nocturna::astro
