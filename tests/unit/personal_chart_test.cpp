// actors/personal_chart: the birth-data load and the natal chart step shared by the session and the
// forecast scheduler, run here on a real SQLite store and the embedded Swiss Ephemeris engine (the
// ports call the store actor's operations and the engine in place of the actors).
#include "actors/personal_chart.hpp"

#include <doctest/doctest.h>

#include "clients/astro/chart_builder.hpp"
#include "clients/astro/chart_json.hpp"
#include "clients/store/store.hpp"
#include "tests/unit/astro_fixtures.hpp"
#include "tests/unit/birth_fixtures.hpp"
#include "tests/unit/store_backends.hpp"

using namespace nocturna;

namespace {

constexpr std::int64_t user = 5;

using nocturna::testing::moscow;

// The steps' ports on a real store and the embedded engine, counting the calculations made.
struct real_ports {
  testing::sqlite_backend backend;
  std::unique_ptr<store::store> db = backend.open();
  int calculations = 0;

  actors::personal_ports ports() {
    // The store actor's operations (actors/store_requests.hpp), run in place; a throw is
    // answered as the store actor answers it: no data.
    return {
        [this](std::int64_t u, std::function<void(std::optional<actors::personal_data>)> k) {
          std::optional<actors::personal_data> data;
          try {
            data = actors::store_requests::load_personal(*db, u);
          } catch (const std::exception&) {
          }
          k(std::move(data));
        },
        [this](std::int64_t u, std::int64_t version, char system, std::string json,
               std::function<void()> k) {
          try {
            actors::store_requests::cache_natal(*db, u, version, system, json);
          } catch (const std::exception&) {
          }
          k();
        },
        [this](astro::chart_request request, std::function<void(msg::chart_answer&)> k) {
          ++calculations;
          msg::chart_answer a;
          auto c = astro::build_chart(astro::testing::engine(), request);
          if (c)
            a.chart = c.value();
          else
            a.error = c.error();
          k(a);
        },
    };
  }

  actors::personal_ptr load() {
    actors::personal_ptr loaded;
    bool called = false;
    actors::load_personal_data(ports(), user, [&](actors::personal_ptr d) {
      called = true;
      loaded = std::move(d);
    });
    REQUIRE(called);
    return loaded;
  }
};

// What one run of obtain_natal_chart ended in.
struct natal_outcome {
  std::optional<astro::chart> chart;
  bool malformed = false;
  std::optional<astro::calc_error> error;
};

natal_outcome natal_of(real_ports& r, actors::personal_ptr data) {
  natal_outcome out;
  actors::obtain_natal_chart(
      r.ports(), user, std::move(data), [&](const astro::chart& c) { out.chart = c; },
      {[&] { out.malformed = true; }, [&](const astro::calc_error& e) { out.error = e; }});
  return out;
}

}  // namespace

TEST_CASE("personal chart: a user without birth data loads as none") {
  real_ports r;
  auto data = r.load();
  REQUIRE(data != nullptr);
  CHECK_FALSE(data->birth.has_value());
  CHECK_FALSE(data->cache.has_value());
}

TEST_CASE("personal chart: calculated and cached once, then served from the cache") {
  real_ports r;
  auto version = r.db->save_birth(user, moscow());
  r.db->set_house_system(user, 'K');
  auto first = r.load();
  REQUIRE(first->birth.has_value());
  CHECK(first->birth->version == version);
  CHECK(first->system == 'K');
  CHECK_FALSE(first->cache.has_value());

  auto calculated = natal_of(r, first);
  REQUIRE(calculated.chart.has_value());
  CHECK(r.calculations == 1);

  auto second = r.load();
  REQUIRE(second->cache.has_value());
  CHECK(second->cache->birth_version == version);
  CHECK(second->cache->house_system == 'K');
  auto cached = natal_of(r, second);
  REQUIRE(cached.chart.has_value());
  CHECK(r.calculations == 1);  // no second calculation
  CHECK(astro::chart_to_json(*cached.chart) == astro::chart_to_json(*calculated.chart));
}

TEST_CASE("personal chart: new birth data make the old cache unused") {
  real_ports r;
  r.db->save_birth(user, moscow());
  REQUIRE(natal_of(r, r.load()).chart.has_value());
  auto moved = moscow();
  moved.date = "1991-03-15";
  r.db->save_birth(user, moved);
  auto data = r.load();
  CHECK_FALSE(data->cache.has_value());
  REQUIRE(natal_of(r, data).chart.has_value());
  CHECK(r.calculations == 2);
}

TEST_CASE("personal chart: malformed stored data and a refused calculation go to their handlers") {
  real_ports r;
  auto bad_date = moscow();
  bad_date.date = "15.03.1990";
  r.db->save_birth(user, bad_date);
  auto malformed = natal_of(r, r.load());
  CHECK(malformed.malformed);
  CHECK_FALSE(malformed.chart.has_value());
  CHECK(r.calculations == 0);

  auto bad_zone = moscow();
  bad_zone.zone = "Mars/Olympus_Mons";
  r.db->save_birth(user, bad_zone);
  auto refused = natal_of(r, r.load());
  REQUIRE(refused.error.has_value());
  CHECK(refused.error->kind == astro::calc_error_kind::bad_zone);
  CHECK_FALSE(refused.chart.has_value());
  CHECK_FALSE(r.load()->cache.has_value());  // nothing cached
}
