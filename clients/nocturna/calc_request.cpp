#include "clients/nocturna/calc_request.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <cctype>
#include <cmath>

#include "protocol/json_writer.hpp"

namespace nocturna::remote {
namespace {

using simdjson::dom::element;
using simdjson::dom::object;

bool digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "YYYY-MM-DD" exactly, as the reference's strptime("%Y-%m-%d") wants (bar its leniencies).
bool parse_date(std::string_view s, astro::datetime_fields& f) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' && digits(s, 0, 4, f.year) &&
         digits(s, 5, 2, f.month) && digits(s, 8, 2, f.day);
}

// "HH:MM:SS": seconds are mandatory (docs/calculations.md §7.3).
bool parse_time(std::string_view s, astro::datetime_fields& f) {
  return s.size() == 8 && s[2] == ':' && s[5] == ':' && digits(s, 0, 2, f.hour) &&
         digits(s, 3, 2, f.minute) && digits(s, 6, 2, f.second);
}

enum class got { absent, ok, bad };

got string_field(object o, std::string_view key, std::string_view& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return got::absent;
  return e.get(out) ? got::bad : got::ok;
}

got number_field(object o, std::string_view key, double& out) {
  element e;
  if (o.at_key(key).get(e) || e.is_null()) return got::absent;
  if (!e.get(out)) return got::ok;
  std::int64_t i;
  if (!e.get(i)) {
    out = static_cast<double>(i);
    return got::ok;
  }
  return got::bad;
}

}  // namespace

http_answer calculation_error(std::string_view what, std::string_view why) {
  return {500,
          json::object().add("detail", fmt::format("Error calculating {}: {}", what, why)).str()};
}

http_answer validation_error(std::string_view type, std::string_view field, std::string_view msg) {
  const auto item = json::object()
                        .add("type", type)
                        .add_raw("loc", json::string_array({"body", std::string(field)}))
                        .add("msg", msg)
                        .add_raw("input", "null")
                        .str();
  return {422, json::object().add_raw("detail", "[" + item + "]").str()};
}

std::variant<calc_input, http_answer> parse_calc_input(std::string_view body,
                                                       std::string_view what) {
  simdjson::dom::parser parser;
  object o;
  if (parser.parse(body.data(), body.size()).get(o))
    return validation_error("json_invalid", "body", "JSON object expected");

  calc_input in;
  std::string_view date, time, zone;
  for (auto [key, value] : {std::pair{"date", &date}, std::pair{"time", &time}}) {
    const auto g = string_field(o, key, *value);
    if (g == got::absent) return validation_error("missing", key, "Field required");
    if (g == got::bad)
      return validation_error("string_type", key, "Input should be a valid string");
  }
  for (auto [key, value] :
       {std::pair{"latitude", &in.latitude}, std::pair{"longitude", &in.longitude}}) {
    const auto g = number_field(o, key, *value);
    if (g == got::absent) return validation_error("missing", key, "Field required");
    if (g == got::bad || !std::isfinite(*value))
      return validation_error("float_type", key, "Input should be a valid number");
  }
  if (std::fabs(in.latitude) > 90)
    return validation_error("less_than_equal", "latitude", "Input should be between -90 and 90");
  if (std::fabs(in.longitude) > 180)
    return validation_error("less_than_equal", "longitude", "Input should be between -180 and 180");

  switch (string_field(o, "timezone", zone)) {
    case got::ok:
      in.zone = std::string(zone);
      break;
    case got::bad:
      return validation_error("string_type", "timezone", "Input should be a valid string");
    case got::absent:
      break;
  }

  element planets;
  if (!o.at_key("planets").get(planets) && !planets.is_null()) {
    simdjson::dom::array list;
    if (planets.get(list))
      return validation_error("list_type", "planets", "Input should be a valid list");
    std::vector<std::string> names;
    for (element item : list) {
      std::string_view name;
      if (item.get(name))
        return validation_error("string_type", "planets", "Input should be a valid string");
      names.emplace_back(name);
    }
    in.planets = std::move(names);
  }

  std::string_view system;
  switch (string_field(o, "house_system", system)) {
    case got::ok:
      in.house_system.clear();
      for (char c : system)
        in.house_system += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      break;
    case got::bad:
      return validation_error("string_type", "house_system", "Input should be a valid string");
    case got::absent:
      break;
  }

  if (!parse_date(date, in.local))
    return calculation_error(
        what, fmt::format("time data '{}' does not match format '%Y-%m-%d'", date.substr(0, 40)));
  if (!parse_time(time, in.local))
    return calculation_error(
        what, fmt::format("time data '{}' does not match format '%H:%M:%S'", time.substr(0, 40)));
  if (!astro::valid_fields(in.local))
    return calculation_error(what, fmt::format("no such date or time: {} {}", date, time));
  return in;
}

}  // namespace nocturna::remote
