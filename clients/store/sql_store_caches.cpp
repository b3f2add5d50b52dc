// Process-wide caches (day interpretation, sky picture) and the housekeeping of expiring records.
#include <ctime>

#include "clients/store/sql_store.hpp"

namespace nocturna::store {
namespace {

constexpr std::int64_t day_s = 24 * 3600;

// YYYY-MM-DD of a UTC instant; stored dates compare as text in this form.
std::string utc_date(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

std::optional<std::string> sql_store::load_day_interpretation(const std::string& local_date,
                                                              const std::string& place,
                                                              const std::string& model) {
  auto rows =
      q("SELECT body FROM day_interpretations WHERE local_date = ? AND place = ? AND model = ?",
        {local_date, place, model});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

void sql_store::save_day_interpretation(const std::string& local_date, const std::string& place,
                                        const std::string& model, const std::string& text) {
  q("INSERT INTO day_interpretations(local_date, place, model, body, created_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(local_date, place, model) DO UPDATE SET "
    "body = excluded.body, created_at = excluded.created_at",
    {local_date, place, model, text, detail::now_s()});
}

std::optional<std::string> sql_store::load_sky_picture(std::int64_t hour_utc, char house_system) {
  auto rows = q("SELECT file_id FROM sky_pictures WHERE hour_utc = ? AND house_system = ?",
                {hour_utc, detail::letter(house_system)});
  if (rows.empty()) return std::nullopt;
  return rows[0].text(0);
}

void sql_store::save_sky_picture(std::int64_t hour_utc, char house_system,
                                 const std::string& file_id) {
  q("INSERT INTO sky_pictures(hour_utc, house_system, file_id) VALUES (?, ?, ?) "
    "ON CONFLICT(hour_utc, house_system) DO UPDATE SET file_id = excluded.file_id",
    {hour_utc, detail::letter(house_system), file_id});
}

void sql_store::purge_expired(std::int64_t now_s) {
  // Local dates run up to 14 h ahead of UTC and 12 h behind: two days of margin keeps today's.
  const auto old_date = utc_date(now_s - 2 * day_s);
  sql::transaction tx(*conn_);
  q("DELETE FROM dialogue WHERE expires_at < ?", {now_s - day_s});
  q("DELETE FROM clear_request WHERE expires_at < ?", {now_s});
  q("DELETE FROM invites WHERE expires_at < ?", {now_s - day_s});
  q("DELETE FROM sky_pictures WHERE hour_utc < ?", {now_s - 2 * day_s});
  q("DELETE FROM day_interpretations WHERE local_date < ?", {old_date});
  q("DELETE FROM llm_usage WHERE local_date < ?", {old_date});
  q("DELETE FROM llm_usage_updates WHERE local_date < ?", {old_date});
  tx.commit();
}

}  // namespace nocturna::store
