#include "actors/personal_chart.hpp"

#include "clients/astro/chart_json.hpp"
#include "clients/astro/display_time.hpp"

namespace nocturna::actors {

void load_personal_data(const personal_ports& ports, std::int64_t user,
                        std::function<void(personal_ptr)> k) {
  ports.load_personal(user, [=](std::optional<personal_data> data) {
    k(data ? std::make_shared<const personal_data>(std::move(*data)) : nullptr);
  });
}

void obtain_natal_chart(const personal_ports& ports, std::int64_t user, personal_ptr data,
                        std::function<void(const astro::chart&)> k, natal_failure_handlers failed) {
  if (data->cache)
    if (auto cached = astro::chart_from_json(data->cache->chart_json)) return k(*cached);
  const auto& b = *data->birth;
  auto request =
      astro::natal_request({b.date, b.time, b.zone, b.latitude, b.longitude}, data->system);
  if (!request) return failed.malformed();
  auto cache_natal = ports.cache_natal;
  ports.calculate(std::move(*request), [=](msg::chart_answer& a) {
    if (!a.chart) return failed.calc_failed(a.error);
    auto chart = std::make_shared<const astro::chart>(std::move(*a.chart));
    auto version = data->birth->version;
    auto system = data->system;
    cache_natal(user, version, system, astro::chart_to_json(*chart), [=] { k(*chart); });
  });
}

}  // namespace nocturna::actors
