// `report` (report_commands.hpp): the same report builders (protocol/reports.hpp) and built-in
// interpreter (clients/interpret) the session and the forecast scheduler call, fed by the
// embedded engine and gazetteer.
#include "app/report_commands.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <optional>

#include "app/calc_commands.hpp"
#include "clients/astro/chart_builder.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/astro/houses.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "clients/geo/gazetteer.hpp"
#include "clients/geo/geonames_source.hpp"
#include "clients/interpret/builtin_interpreter.hpp"
#include "protocol/html.hpp"
#include "protocol/reports.hpp"

namespace nocturna {

namespace {

constexpr const char* usage =
    "nocturna-bot report natal|transit|forecast --date YYYY-MM-DD --time HH:MM|unknown "
    "--place NAME [--at \"YYYY-MM-DD HH:MM\"] [--house-system NAME] [--html]\n"
    "       nocturna-bot report day [--at \"YYYY-MM-DD HH:MM\"] [--html]";

int usage_error(const std::string& what) {
  std::fprintf(stderr, "%s\nusage: %s\n", what.c_str(), usage);
  return 2;
}

struct report_options {
  std::string kind;
  std::map<std::string, std::string> values;
  bool html = false;
};

// "YYYY-MM-DD HH:MM" (or with 'T') in `zone` → Unix seconds.
std::optional<std::int64_t> local_moment(const std::string& text, const std::string& zone) {
  if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T')) return std::nullopt;
  auto date = parse_cli_date(text.substr(0, 10));
  const auto time = parse_cli_time(text.substr(11));
  if (!date || !time) return std::nullopt;
  date->hour = time->hour;
  date->minute = time->minute;
  const auto utc = astro::local_to_utc(*date, zone);
  if (!utc) return std::nullopt;
  return utc.value().utc;
}

std::optional<astro::chart> build(astro::swiss_ephemeris& engine,
                                  const astro::chart_request& request) {
  auto c = astro::build_chart(engine, request);
  if (!c) {
    std::fprintf(stderr, "calculation failed: %s\n", c.error().detail.c_str());
    return std::nullopt;
  }
  return c.value();
}

std::string as_requested(const std::string& text, bool html) {
  return html ? text : html::to_plain(text);
}

std::string with_block(const std::string& report, reports::purpose p, const std::string& text) {
  // As the bot sends it without an LLM: the report, a blank line, the "(кратко)" block.
  return report + "\n\n" + reports::interpretation_block(p, text, true, false);
}

int day_report(const report_options& o, const config& cfg, astro::swiss_ephemeris& engine,
               std::string& out) {
  std::int64_t now = std::time(nullptr);
  if (o.values.count("--at")) {
    const auto at = local_moment(o.values.at("--at"), cfg.timezone);
    if (!at) return usage_error("--at must be \"YYYY-MM-DD HH:MM\"");
    now = *at;
  }
  // /transit: the sky of the local hour with the text of the day's local noon.
  const auto hour = astro::truncate_to_local_hour(now, cfg.timezone);
  const auto sky = build(engine, astro::chart_request::at_utc(
                                     hour, cfg.sky_latitude, cfg.sky_longitude, cfg.timezone, 'P'));
  const auto noon = build(
      engine, astro::chart_request::at_utc(astro::local_noon(hour, cfg.timezone), cfg.sky_latitude,
                                           cfg.sky_longitude, cfg.timezone, 'P'));
  if (!sky || !noon) return 1;
  const auto m = interpret::meanings::load(cfg.share_dir);
  const auto label = astro::label_at(hour, cfg.timezone);
  out = as_requested(with_block(reports::sky_report(*sky, label, cfg.sky_place_name),
                                reports::purpose::day, interpret::day_text(m, *noon)),
                     o.html);
  return 0;
}

int personal_report(const report_options& o, const config& cfg, astro::swiss_ephemeris& engine,
                    std::string& out) {
  for (const char* required : {"--date", "--time", "--place"})
    if (!o.values.count(required)) return usage_error(std::string(required) + " is required");
  const std::string& date = o.values.at("--date");
  if (!parse_cli_date(date)) return usage_error("--date must be a real date YYYY-MM-DD");
  std::optional<std::string> time;
  if (o.values.at("--time") != "unknown") {
    if (!parse_cli_time(o.values.at("--time")) || o.values.at("--time").size() != 5)
      return usage_error("--time must be HH:MM or unknown");
    time = o.values.at("--time");
  }
  astro::house_system system = 'P';
  if (o.values.count("--house-system")) {
    const auto s = astro::house_system_from_name(o.values.at("--house-system"));
    if (!s) return usage_error("unknown house system: " + o.values.at("--house-system"));
    system = *s;
  }
  geo::prepare_geonames_locale();
  const auto found = geo::gazetteer::load(cfg.share_dir)->search(o.values.at("--place"), 1);
  if (found.matches.empty()) {
    std::fprintf(stderr, "place not found: %s\n", o.values.at("--place").c_str());
    return 1;
  }
  const geo::place& place = found.matches.front();

  // The natal chart as the session computes it from stored birth data.
  const astro::birth_moment birth{date, time, place.zone, place.latitude, place.longitude};
  const auto request = astro::natal_request(birth, system);
  if (!request) return usage_error("bad birth date or time");
  const auto natal = build(engine, *request);
  if (!natal) return 1;
  const auto m = interpret::meanings::load(cfg.share_dir);

  if (o.kind == "natal") {
    reports::birth_view view;
    view.date = astro::iso_to_dmy(date);
    view.time = time;
    view.zone = place.zone;
    view.place_label = place.label();
    view.latitude = place.latitude;
    view.longitude = place.longitude;
    out = as_requested(with_block(reports::natal_report(*natal, view), reports::purpose::natal,
                                  interpret::natal_text(m, *natal)),
                       o.html);
    return 0;
  }

  std::int64_t moment = std::time(nullptr) / 60 * 60;
  if (o.values.count("--at")) {
    const auto at = local_moment(o.values.at("--at"), place.zone);
    if (!at) return usage_error("--at must be \"YYYY-MM-DD HH:MM\"");
    moment = *at;
  }
  const auto transit = build(
      engine,
      astro::chart_request::at_utc(moment, place.latitude, place.longitude, place.zone, system));
  if (!transit) return 1;
  const auto aspects = astro::transit_aspects(*natal, *transit);
  const auto label = astro::label_at(moment, place.zone);
  const std::string text = interpret::transits_text(m, *transit, aspects);
  if (o.kind == "transit") {
    out = as_requested(with_block(reports::ptransit_report(aspects, label, !natal->time_known),
                                  reports::purpose::transits, text),
                       o.html);
  } else {
    out = as_requested(reports::forecast_text(aspects, label.date, !natal->time_known,
                                              reports::interpretation_block(
                                                  reports::purpose::transits, text, true, false)),
                       o.html);
  }
  return 0;
}

int parse_and_build(const std::vector<std::string>& args, const config& cfg, std::string& out);

}  // namespace

int report_main(const std::vector<std::string>& args, const config& cfg) {
  const report_result r = build_report(args, cfg);
  if (r.exit_code == 0) std::printf("%s\n", r.text.c_str());
  return r.exit_code;
}

report_result build_report(const std::vector<std::string>& args, const config& cfg) {
  report_result r;
  r.exit_code = parse_and_build(args, cfg, r.text);
  return r;
}

namespace {

int parse_and_build(const std::vector<std::string>& args, const config& cfg, std::string& out) {
  report_options o;
  if (args.empty()) return usage_error("which report: natal, transit, day or forecast?");
  o.kind = args[0];
  if (o.kind != "natal" && o.kind != "transit" && o.kind != "day" && o.kind != "forecast")
    return usage_error("unknown report: " + o.kind);
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& key = args[i];
    if (key == "--html") {
      o.html = true;
      continue;
    }
    if (key != "--date" && key != "--time" && key != "--place" && key != "--at" &&
        key != "--house-system")
      return usage_error("unknown argument: " + key);
    if (i + 1 >= args.size()) return usage_error(key + " needs a value");
    if (!o.values.emplace(key, args[++i]).second) return usage_error(key + " given twice");
  }
  // The text goes to stdout, and so does the console log: keep the log quiet.
  spdlog::set_level(spdlog::level::off);
  astro::swiss_ephemeris engine;
  try {
    return o.kind == "day" ? day_report(o, cfg, engine, out) : personal_report(o, cfg, engine, out);
  } catch (const interpret::meanings_error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}

}  // namespace

}  // namespace nocturna
