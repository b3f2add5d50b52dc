// `calc chart` and `geo search|nearest` (calc_commands.hpp).
#include "app/calc_commands.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

#include "app/calc_serve.hpp"
#include "clients/astro/chart_builder.hpp"
#include "clients/astro/chart_json.hpp"
#include "clients/astro/houses.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "clients/geo/gazetteer.hpp"
#include "clients/geo/geonames_source.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna {

namespace {

constexpr const char* calc_usage =
    "nocturna-bot calc chart --date YYYY-MM-DD --time (HH:MM[:SS]|unknown) "
    "(--place NAME | --lat X --lon Y --tz ZONE) "
    "[--house-system placidus|koch|equal|whole_sign|porphyry|regiomontanus|campanus]\n"
    "       nocturna-bot calc serve [--port N]";
constexpr const char* geo_usage =
    "nocturna-bot geo search [--json] NAME... | nocturna-bot geo nearest [--json] LAT LON";

int usage_error(const char* usage, const std::string& what) {
  std::fprintf(stderr, "%s\nusage: %s\n", what.c_str(), usage);
  return 2;
}

// Fixed-width unsigned digits, e.g. "1990" for width 4.
std::optional<int> digits(const std::string& s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// The JSON output goes to stdout, and so does the console log: keep the log quiet (errors are
// printed to stderr by the commands themselves).
void quiet_logs() {
  spdlog::set_level(spdlog::level::off);
}

std::shared_ptr<const geo::gazetteer> load_gazetteer(const config& cfg) {
  geo::prepare_geonames_locale();
  return geo::gazetteer::load(cfg.share_dir);
}

const char* error_kind_name(astro::calc_error_kind k) {
  switch (k) {
    case astro::calc_error_kind::date_out_of_range:
      return "date out of range";
    case astro::calc_error_kind::bad_zone:
      return "unknown time zone";
    case astro::calc_error_kind::bad_place:
      return "bad place";
    case astro::calc_error_kind::unavailable:
      return "unavailable";
    case astro::calc_error_kind::input_rejected:
      return "input rejected";
    case astro::calc_error_kind::internal:
      return "internal error";
  }
  return "error";
}

std::string place_json(const geo::place& p) {
  return json::object()
      .add("label", p.label())
      .add("name", p.name)
      .add("region", p.region)
      .add("country", p.country)
      .add("country_code", p.country_code)
      .add("latitude", p.latitude)
      .add("longitude", p.longitude)
      .add("zone", p.zone)
      .add("population", static_cast<std::int64_t>(p.population))
      .str();
}

void print_place_line(const geo::place& p, const std::string& extra) {
  std::printf("%s\t%s\t%.4f, %.4f\t%s\n", p.label().c_str(), p.zone.c_str(), p.latitude,
              p.longitude, extra.c_str());
}

int geo_command(const std::vector<std::string>& args, const config& cfg);

int chart_command(const std::vector<std::string>& args, const config& cfg) {
  std::map<std::string, std::string> opts;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& key = args[i];
    if (key != "--date" && key != "--time" && key != "--place" && key != "--lat" &&
        key != "--lon" && key != "--tz" && key != "--house-system")
      return usage_error(calc_usage, "unknown argument: " + key);
    if (i + 1 >= args.size()) return usage_error(calc_usage, key + " needs a value");
    if (!opts.emplace(key, args[++i]).second) return usage_error(calc_usage, key + " given twice");
  }
  if (!opts.count("--date")) return usage_error(calc_usage, "--date YYYY-MM-DD is required");
  const auto date = parse_cli_date(opts["--date"]);
  if (!date)
    return usage_error(calc_usage, "--date must be a real date YYYY-MM-DD: " + opts["--date"]);
  if (!opts.count("--time")) return usage_error(calc_usage, "--time is required");
  const bool time_known = opts["--time"] != "unknown";
  astro::datetime_fields local = *date;
  if (time_known) {
    const auto t = parse_cli_time(opts["--time"]);
    if (!t) return usage_error(calc_usage, "--time must be HH:MM, HH:MM:SS or unknown");
    local.hour = t->hour;
    local.minute = t->minute;
    local.second = t->second;
  }
  astro::house_system system = 'P';
  if (opts.count("--house-system")) {
    const auto s = astro::house_system_from_name(opts["--house-system"]);
    if (!s) return usage_error(calc_usage, "unknown house system: " + opts["--house-system"]);
    system = *s;
  }
  const bool by_place = opts.count("--place") > 0;
  const bool by_coords = opts.count("--lat") || opts.count("--lon") || opts.count("--tz");
  if (by_place == by_coords)
    return usage_error(calc_usage, "give either --place or all of --lat, --lon, --tz");

  quiet_logs();
  double lat = 0, lon = 0;
  std::string zone;
  if (by_place) {
    const auto found = load_gazetteer(cfg)->search(opts["--place"], 1);
    if (found.matches.empty()) {
      std::fprintf(stderr, "place not found: %s\n", opts["--place"].c_str());
      return 1;
    }
    const geo::place& p = found.matches.front();
    std::fprintf(stderr, "place: %s (%s, %.4f, %.4f), best of %zu\n", p.label().c_str(),
                 p.zone.c_str(), p.latitude, p.longitude, found.total);
    lat = p.latitude;
    lon = p.longitude;
    zone = p.zone;
  } else {
    if (!opts.count("--lat") || !opts.count("--lon") || !opts.count("--tz"))
      return usage_error(calc_usage, "--lat, --lon and --tz go together");
    const auto la = parse_cli_number(opts["--lat"]);
    const auto lo = parse_cli_number(opts["--lon"]);
    if (!la || !lo) return usage_error(calc_usage, "--lat and --lon must be decimal numbers");
    lat = *la;
    lon = *lo;
    zone = opts["--tz"];
  }

  astro::swiss_ephemeris engine;
  const auto request = astro::chart_request::at_local(local, zone, lat, lon, time_known, system);
  const auto c = astro::build_chart(engine, request);
  if (!c) {
    const auto& e = c.error();
    const bool input = e.kind == astro::calc_error_kind::date_out_of_range ||
                       e.kind == astro::calc_error_kind::bad_zone ||
                       e.kind == astro::calc_error_kind::bad_place;
    if (input) return usage_error(calc_usage, e.detail);
    std::fprintf(stderr, "%s: %s\n", error_kind_name(e.kind), e.detail.c_str());
    return 1;
  }
  std::printf("%s\n", astro::chart_to_json(c.value()).c_str());
  return 0;
}

}  // namespace

std::optional<astro::datetime_fields> parse_cli_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  const auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  astro::datetime_fields f;
  f.year = *y;
  f.month = *m;
  f.day = *d;
  f.hour = f.minute = f.second = 0;
  if (!astro::valid_fields(f)) return std::nullopt;
  return f;
}

std::optional<astro::datetime_fields> parse_cli_time(const std::string& s) {
  if ((s.size() != 5 && s.size() != 8) || s[2] != ':' || (s.size() == 8 && s[5] != ':'))
    return std::nullopt;
  const auto h = digits(s, 0, 2), m = digits(s, 3, 2);
  const auto sec = s.size() == 8 ? digits(s, 6, 2) : std::optional<int>(0);
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 59) return std::nullopt;
  astro::datetime_fields f;
  f.year = f.month = f.day = 0;
  f.hour = *h;
  f.minute = *m;
  f.second = *sec;
  return f;
}

std::optional<double> parse_cli_number(const std::string& s) {
  // from_chars ignores the C locale (a ru_RU LC_NUMERIC would break strtod's decimal point).
  double v = 0;
  const char* begin = s.data();
  if (!s.empty() && s[0] == '+') ++begin;  // "+55.7" is common in copied coordinates
  const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(v) || begin == ptr)
    return std::nullopt;
  return v;
}

int calc_main(const std::vector<std::string>& args, const config& cfg) {
  if (args.empty()) return usage_error(calc_usage, "missing sub-command");
  if (args[0] == "serve") return calc_serve_main(args, cfg);
  if (args[0] == "chart") {
    try {
      return chart_command(args, cfg);
    } catch (const geo::alias_file_error& e) {
      std::fprintf(stderr, "gazetteer: %s\n", e.what());
      return 2;
    }
  }
  return usage_error(calc_usage, "unknown sub-command: " + args[0]);
}

int geo_main(const std::vector<std::string>& args, const config& cfg) {
  try {
    return geo_command(args, cfg);
  } catch (const geo::alias_file_error& e) {
    std::fprintf(stderr, "gazetteer: %s\n", e.what());
    return 2;
  }
}

namespace {

int geo_command(const std::vector<std::string>& args, const config& cfg) {
  if (args.empty()) return usage_error(geo_usage, "missing sub-command");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  bool as_json = false;
  if (!rest.empty() && rest.front() == "--json") {
    as_json = true;
    rest.erase(rest.begin());
  }
  if (args[0] == "search") {
    if (rest.empty()) return usage_error(geo_usage, "search needs a NAME");
    std::string name;
    for (const auto& part : rest) name += (name.empty() ? "" : " ") + part;
    quiet_logs();
    const auto found = load_gazetteer(cfg)->search(name);
    if (as_json) {
      std::string list = "[";
      for (const auto& p : found.matches) list += (list.size() > 1 ? "," : "") + place_json(p);
      std::printf("%s\n", json::object()
                              .add("total", static_cast<std::int64_t>(found.total))
                              .add_raw("matches", list + "]")
                              .str()
                              .c_str());
    } else {
      for (const auto& p : found.matches)
        print_place_line(p, "population " + std::to_string(p.population));
      std::printf("%zu match%s\n", found.total, found.total == 1 ? "" : "es");
    }
    return found.total ? 0 : 1;
  }
  if (args[0] == "nearest") {
    if (rest.size() != 2) return usage_error(geo_usage, "nearest needs LAT LON");
    const auto lat = parse_cli_number(rest[0]), lon = parse_cli_number(rest[1]);
    if (!lat || !lon) return usage_error(geo_usage, "LAT and LON must be decimal numbers");
    quiet_logs();
    const auto near = load_gazetteer(cfg)->nearest(*lat, *lon);
    if (!near) {
      std::fprintf(stderr, "no city: coordinates out of range\n");
      return 1;
    }
    if (as_json) {
      std::printf("%s\n", json::object()
                              .add_raw("place", place_json(near->city))
                              .add("distance_km", static_cast<std::int64_t>(near->rounded_km()))
                              .str()
                              .c_str());
    } else {
      print_place_line(near->city, std::to_string(near->rounded_km()) + " km");
    }
    return 0;
  }
  return usage_error(geo_usage, "unknown sub-command: " + args[0]);
}

}  // namespace

}  // namespace nocturna
