#include "actors/personal_chart.hpp"

#include "clients/astro/chart_json.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/store/store.hpp"

namespace nocturna::actors {

void load_personal_data(const personal_ports& ports, std::int64_t user,
                        std::function<void(personal_ptr)> k) {
  auto data = std::make_shared<personal_data>();
  ports.store_do(
      "load birth data",
      [=](store::store& db) {
        data->birth = db.load_birth(user);
        data->system = db.house_system(user);
        if (data->birth)
          data->cache = db.load_natal_cache(user, data->birth->version, data->system);
      },
      [=](bool ok) { k(ok ? data : nullptr); });
}

void obtain_natal_chart(const personal_ports& ports, std::int64_t user, personal_ptr data,
                        std::function<void(const astro::chart&)> k, natal_failure_handlers failed) {
  if (data->cache)
    if (auto cached = astro::chart_from_json(data->cache->chart_json)) return k(*cached);
  const auto& b = *data->birth;
  auto request =
      astro::natal_request({b.date, b.time, b.zone, b.latitude, b.longitude}, data->system);
  if (!request) return failed.malformed();
  auto store_do = ports.store_do;
  ports.calculate(std::move(*request), [=](msg::chart_answer& a) {
    if (!a.chart) return failed.calc_failed(a.error);
    auto chart = std::make_shared<const astro::chart>(std::move(*a.chart));
    auto version = data->birth->version;
    auto system = data->system;
    auto json = astro::chart_to_json(*chart);
    store_do(
        "cache natal chart",
        [=](store::store& db) { db.save_natal_chart(user, version, system, json); },
        [=](bool) { k(*chart); });
  });
}

}  // namespace nocturna::actors
