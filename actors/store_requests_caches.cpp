// The store operations on the natal cache, the process-wide caches (sky pictures, the day's
// interpretation) and the daily LLM counter (actors/store_requests.hpp).
#include "actors/store_requests.hpp"

namespace nocturna::actors::store_requests {

msg::personal_data load_personal(store::store& db, std::int64_t user) {
  msg::personal_data data;
  data.birth = db.load_birth(user);
  data.system = db.house_system(user);
  if (data.birth) data.cache = db.load_natal_cache(user, data.birth->version, data.system);
  return data;
}

bool cache_natal(store::store& db, std::int64_t user, std::int64_t version, char system,
                 std::string chart_json) {
  return db.save_natal_chart(user, version, system, chart_json);
}

bool natal_picture(store::store& db, std::int64_t user, std::int64_t version, char system,
                   std::string file_id) {
  return db.save_natal_picture(user, version, system, file_id);
}

bool natal_text(store::store& db, std::int64_t user, std::int64_t version, char system,
                std::string text, std::string source) {
  return db.save_natal_interpretation(user, version, system, text, source);
}

msg::stored_text sky_picture(store::store& db, std::int64_t hour_utc, char system) {
  return {db.load_sky_picture(hour_utc, system)};
}

void save_sky_picture(store::store& db, std::int64_t hour_utc, char system, std::string file_id) {
  db.save_sky_picture(hour_utc, system, file_id);
}

msg::stored_text day_text(store::store& db, std::string local_date, std::string place,
                          std::string model) {
  return {db.load_day_interpretation(local_date, place, model)};
}

void save_day_text(store::store& db, std::string local_date, std::string place, std::string model,
                   std::string text) {
  db.save_day_interpretation(local_date, place, model, text);
}

int count_llm(store::store& db, std::int64_t user, std::string local_date, std::int64_t update_id) {
  return db.count_llm_generation(user, local_date, update_id);
}

}  // namespace nocturna::actors::store_requests
