// Users, birth data, settings and the natal cache (docs/behaviour.md §4.6, §4.11, §8).

#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

bool same_data(const birth_record& a, const birth_record& b) {
  return a.date == b.date && a.time == b.time && a.place_label == b.place_label &&
         a.source == b.source && a.distance_km == b.distance_km && a.latitude == b.latitude &&
         a.longitude == b.longitude && a.zone == b.zone;
}

const char* const birth_columns =
    "birth_date, birth_time, place_label, source, distance_km, latitude, longitude, zone_name, "
    "updated_at, version";

birth_record birth_from(const sql::row& r) {
  birth_record b = detail::birth_fields(r, 0);
  b.updated_at = r.integer(8);
  b.version = r.integer(9);
  return b;
}

}  // namespace

birth_record detail::birth_fields(const sql::row& r, std::size_t first) {
  birth_record b;
  b.date = r.text(first);
  b.time = r.opt_text(first + 1);
  b.place_label = r.text(first + 2);
  b.source = source_from(r.text(first + 3));
  b.distance_km = r.opt_real(first + 4);
  b.latitude = r.real(first + 5);
  b.longitude = r.real(first + 6);
  b.zone = r.text(first + 7);
  return b;
}

const char* detail::source_name(place_source s) {
  return s == place_source::location ? "location" : "gazetteer";
}

place_source detail::source_from(const std::string& s) {
  return s == "location" ? place_source::location : place_source::gazetteer;
}

std::optional<user_record> sql_store::load_user(std::int64_t user_id) {
  auto rows = q("SELECT user_id, first_seen, active FROM users WHERE user_id = ?", {user_id});
  if (rows.empty()) return std::nullopt;
  return user_record{rows[0].integer(0), rows[0].integer(1), rows[0].integer(2) != 0};
}

bool sql_store::set_user_active(std::int64_t user_id, bool active) {
  sql::transaction tx(*conn_);
  auto found = q("UPDATE users SET active = ? WHERE user_id = ? RETURNING user_id",
                 {std::int64_t{active ? 1 : 0}, user_id});
  if (!active)
    q("UPDATE subscriptions SET active = 0, disabled_reason = 'blocked', updated_at = ? "
      "WHERE user_id = ? AND active = 1",
      {detail::now_s(), user_id});
  tx.commit();
  return !found.empty();
}

std::int64_t sql_store::save_birth(std::int64_t user_id, const birth_record& b) {
  sql::transaction tx(*conn_);
  ensure_user(user_id);
  auto current = load_birth(user_id);
  if (current && same_data(*current, b)) {
    tx.commit();
    return current->version;
  }
  // A store-wide counter (migration 3), not the clock: a chart computed for data that were
  // deleted can never match the data saved after them, however fast or the clock stepped back.
  const auto version =
      q("UPDATE counters SET value = value + 1 WHERE name = 'birth_version' RETURNING value")
          .at(0)
          .integer(0);
  const auto now = detail::now_s();
  q("INSERT INTO birth_data(user_id, birth_date, birth_time, place_label, source, distance_km, "
    "latitude, longitude, zone_name, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(user_id) DO UPDATE SET birth_date = excluded.birth_date, "
    "birth_time = excluded.birth_time, place_label = excluded.place_label, "
    "source = excluded.source, distance_km = excluded.distance_km, latitude = excluded.latitude, "
    "longitude = excluded.longitude, zone_name = excluded.zone_name, version = excluded.version, "
    "updated_at = excluded.updated_at",
    {user_id, b.date, sql::opt(b.time), b.place_label, std::string(detail::source_name(b.source)),
     sql::opt(b.distance_km), b.latitude, b.longitude, b.zone, version, now});
  q("DELETE FROM natal_cache WHERE user_id = ?", {user_id});
  // The subscription follows the birth zone; its next send is recomputed by the scheduler.
  q("UPDATE subscriptions SET zone_name = ?, next_due_utc = NULL, updated_at = ? "
    "WHERE user_id = ? AND zone_name <> ?",
    {b.zone, now, user_id, b.zone});
  tx.commit();
  return version;
}

std::optional<birth_record> sql_store::load_birth(std::int64_t user_id) {
  auto rows =
      q(std::string("SELECT ") + birth_columns + " FROM birth_data WHERE user_id = ?", {user_id});
  if (rows.empty()) return std::nullopt;
  return birth_from(rows[0]);
}

char sql_store::house_system(std::int64_t user_id) {
  auto rows = q("SELECT house_system FROM settings WHERE user_id = ?", {user_id});
  if (rows.empty()) return 'P';
  auto s = rows[0].text(0);
  return s.empty() ? 'P' : s[0];
}

bool sql_store::set_house_system(std::int64_t user_id, char letter) {
  sql::transaction tx(*conn_);
  if (house_system(user_id) == letter) {
    tx.commit();
    return false;
  }
  ensure_user(user_id);
  q("INSERT INTO settings(user_id, house_system, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT(user_id) DO UPDATE SET house_system = excluded.house_system, "
    "updated_at = excluded.updated_at",
    {user_id, detail::letter(letter), detail::now_s()});
  q("DELETE FROM natal_cache WHERE user_id = ?", {user_id});
  tx.commit();
  return true;
}

std::optional<natal_cache_record> sql_store::load_natal_cache(std::int64_t user_id,
                                                              std::int64_t birth_version,
                                                              char house_system) {
  auto rows =
      q("SELECT chart_json, picture_file_id, interpretation, interpretation_source "
        "FROM natal_cache WHERE user_id = ? AND birth_version = ? AND house_system = ?",
        {user_id, birth_version, detail::letter(house_system)});
  if (rows.empty()) return std::nullopt;
  natal_cache_record r;
  r.birth_version = birth_version;
  r.house_system = house_system;
  r.chart_json = rows[0].text(0);
  r.picture_file_id = rows[0].opt_text(1);
  r.interpretation = rows[0].opt_text(2);
  r.interpretation_source = rows[0].opt_text(3);
  return r;
}

bool sql_store::save_natal_chart(std::int64_t user_id, std::int64_t birth_version,
                                 char house_system, const std::string& chart_json) {
  // One statement: the version check and the write cannot be split by a concurrent save_birth.
  auto rows =
      q("INSERT INTO natal_cache(user_id, birth_version, house_system, chart_json, updated_at) "
        "SELECT ?, ?, ?, ?, ? WHERE EXISTS "
        "(SELECT 1 FROM birth_data WHERE user_id = ? AND version = ?) "
        "ON CONFLICT(user_id) DO UPDATE SET "
        "picture_file_id = CASE WHEN natal_cache.birth_version = excluded.birth_version AND "
        "natal_cache.house_system = excluded.house_system THEN natal_cache.picture_file_id END, "
        "interpretation = CASE WHEN natal_cache.birth_version = excluded.birth_version AND "
        "natal_cache.house_system = excluded.house_system THEN natal_cache.interpretation END, "
        "interpretation_source = CASE WHEN natal_cache.birth_version = excluded.birth_version AND "
        "natal_cache.house_system = excluded.house_system THEN natal_cache.interpretation_source "
        "END, "
        "birth_version = excluded.birth_version, house_system = excluded.house_system, "
        "chart_json = excluded.chart_json, updated_at = excluded.updated_at "
        "RETURNING user_id",
        {user_id, birth_version, detail::letter(house_system), chart_json, detail::now_s(), user_id,
         birth_version});
  return !rows.empty();
}

bool sql_store::save_natal_picture(std::int64_t user_id, std::int64_t birth_version,
                                   char house_system, const std::string& file_id) {
  auto rows =
      q("UPDATE natal_cache SET picture_file_id = ?, updated_at = ? "
        "WHERE user_id = ? AND birth_version = ? AND house_system = ? RETURNING user_id",
        {file_id, detail::now_s(), user_id, birth_version, detail::letter(house_system)});
  return !rows.empty();
}

bool sql_store::save_natal_interpretation(std::int64_t user_id, std::int64_t birth_version,
                                          char house_system, const std::string& text,
                                          const std::string& source) {
  auto rows =
      q("UPDATE natal_cache SET interpretation = ?, interpretation_source = ?, updated_at = ? "
        "WHERE user_id = ? AND birth_version = ? AND house_system = ? RETURNING user_id",
        {text, source, detail::now_s(), user_id, birth_version, detail::letter(house_system)});
  return !rows.empty();
}

}  // namespace nocturna::store
