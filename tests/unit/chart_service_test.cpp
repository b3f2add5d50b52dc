// The external chart service client (docs/integrations.md §2) against a fake on 127.0.0.1: a real
// PNG comes back on success; 500, a timeout, bad base64 and non-PNG bytes each give a typed error
// (the caller then falls back to the built-in renderer). Request bodies are checked too.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <string>
#include <thread>

#include "clients/render/chart_service_client.hpp"
#include "clients/render/chart_service_request.hpp"
#include "clients/render/chart_service_response.hpp"
#include "clients/render/png_codec.hpp"
#include "clients/render/sample_charts.hpp"
#include "protocol/base64.hpp"
#include "tests/support/fake_chart_service.hpp"

using namespace nocturna;
using namespace nocturna::render;
using nocturna::testing::chart_fake_mode;
using nocturna::testing::fake_chart_service;
using namespace std::chrono_literals;

namespace {

chart_service_config config_for(const fake_chart_service& fake) {
  chart_service_config cfg;
  cfg.base_url = fake.url() + "/";
  cfg.api_key = "test-key-123";
  cfg.timeout = 2000ms;
  cfg.retry_delay = 20ms;
  return cfg;
}

chart_service_result call(fake_chart_service& fake, chart_fake_mode mode,
                          chart_service_config cfg) {
  fake.set_mode(mode);
  chart_service_client client(cfg);
  return client.render_wheel(sample_natal_chart());
}

chart_service_result call(fake_chart_service& fake, chart_fake_mode mode) {
  return call(fake, mode, config_for(fake));
}

}  // namespace

TEST_CASE("chart service success returns the PNG with Bearer key and JSON body") {
  fake_chart_service fake;
  chart_service_client client(config_for(fake));
  const auto r = client.render_wheel(sample_natal_chart());
  REQUIRE(r.ok());
  const auto size = read_png_size(r.png());
  REQUIRE(size);
  CHECK(size->width == 800);
  CHECK(size->height == 800);

  const auto reqs = fake.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/api/v1/chart/render");
  CHECK(reqs[0].authorization == "Bearer test-key-123");
  CHECK(reqs[0].content_type == "application/json");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(reqs[0].body).get(doc));
  simdjson::dom::array houses;
  REQUIRE_FALSE(doc["houses"].get(houses));
  CHECK(houses.size() == 12);
  simdjson::dom::object planets;
  REQUIRE_FALSE(doc["planets"].get(planets));
  CHECK(planets.size() == 10);
  double sun = 0;
  REQUIRE_FALSE(doc.at_pointer("/planets/sun/lon").get(sun));
  CHECK(sun == doctest::Approx(295.396453));
  bool retro = false;
  REQUIRE_FALSE(doc.at_pointer("/planets/mercury/retrograde").get(retro));
  CHECK(retro);
  double sextile_orb = 0;
  REQUIRE_FALSE(doc.at_pointer("/aspectSettings/types/sextile/orb").get(sextile_orb));
  CHECK(sextile_orb == 4);
  std::int64_t width = 0;
  REQUIRE_FALSE(doc.at_pointer("/renderOptions/width").get(width));
  CHECK(width == 800);

  fake.set_mode(chart_fake_mode::success_no_meta);
  CHECK(client.render_wheel(sample_natal_chart()).ok());
}

TEST_CASE("chart service transit request carries natal cusps and Z datetime and orb 3") {
  fake_chart_service fake;
  chart_service_client client(config_for(fake));
  const auto r = client.render_transit(sample_natal_chart(), sample_transit_chart());
  REQUIRE(r.ok());
  const auto reqs = fake.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/api/v1/chart/render/transit");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(reqs[0].body).get(doc));
  std::string_view when;
  REQUIRE_FALSE(doc.at_pointer("/transit/datetime").get(when));
  CHECK(when == "2026-01-11T17:00:00Z");
  simdjson::dom::array cusps;
  REQUIRE_FALSE(doc.at_pointer("/natal/houses").get(cusps));
  CHECK(cusps.size() == 12);
  std::int64_t orb = 0;
  REQUIRE_FALSE(doc.at_pointer("/aspectSettings/natalToTransit/orb").get(orb));
  CHECK(orb == 3);
  bool natal_on = true;
  REQUIRE_FALSE(doc.at_pointer("/aspectSettings/natal/enabled").get(natal_on));
  CHECK_FALSE(natal_on);
  std::int64_t height = 0;
  REQUIRE_FALSE(doc.at_pointer("/renderOptions/height").get(height));
  CHECK(height == 1000);
}

TEST_CASE("chart service synastry request carries both cusp sets and the inter-aspect orbs") {
  fake_chart_service fake;
  chart_service_client client(config_for(fake));
  const auto r = client.render_synastry(sample_natal_chart(), sample_sky_chart());
  REQUIRE(r.ok());
  const auto reqs = fake.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].path == "/api/v1/chart/render/synastry");
  CHECK(reqs[0].authorization == "Bearer test-key-123");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE_FALSE(parser.parse(reqs[0].body).get(doc));
  double sun1 = 0, sun2 = 0;
  REQUIRE_FALSE(doc.at_pointer("/person1/planets/sun/lon").get(sun1));
  REQUIRE_FALSE(doc.at_pointer("/person2/planets/sun/lon").get(sun2));
  CHECK(sun1 == doctest::Approx(295.396453));  // the user inside
  CHECK(sun2 == doctest::Approx(291.479019));
  simdjson::dom::array cusps1, cusps2;
  REQUIRE_FALSE(doc.at_pointer("/person1/houses").get(cusps1));
  REQUIRE_FALSE(doc.at_pointer("/person2/houses").get(cusps2));
  CHECK(cusps1.size() == 12);
  CHECK(cusps2.size() == 12);
  std::string_view houses_from;
  REQUIRE_FALSE(doc.at_pointer("/synastrySettings/useHousesFrom").get(houses_from));
  CHECK(houses_from == "person1");
  bool inner_on = true, inter_on = false;
  REQUIRE_FALSE(doc.at_pointer("/synastrySettings/aspectSettings/person1/enabled").get(inner_on));
  REQUIRE_FALSE(
      doc.at_pointer("/synastrySettings/aspectSettings/interaspects/enabled").get(inter_on));
  CHECK_FALSE(inner_on);
  CHECK(inter_on);
  double conjunction = 0, sextile = 0;
  REQUIRE_FALSE(
      doc.at_pointer("/synastrySettings/aspectSettings/interaspects/types/conjunction/orb")
          .get(conjunction));
  REQUIRE_FALSE(doc.at_pointer("/synastrySettings/aspectSettings/interaspects/types/sextile/orb")
                    .get(sextile));
  CHECK(conjunction == 8);
  CHECK(sextile == 4);
  // No names, nothing but positions.
  CHECK(reqs[0].body.find("name") == std::string::npos);
  std::int64_t width = 0;
  REQUIRE_FALSE(doc.at_pointer("/renderOptions/width").get(width));
  CHECK(width == 1000);

  // A partner without a birth time has no cusps: no call.
  const auto refused =
      client.render_synastry(sample_natal_chart(), sample_natal_chart_without_time());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().kind == chart_service_errc::bad_input);
  CHECK(fake.requests().size() == 1);
}

TEST_CASE("chart service 500 is an error without a retry") {
  fake_chart_service fake;
  const auto r = call(fake, chart_fake_mode::render_error);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::http_status);
  CHECK(r.error().http_status == 500);
  CHECK(r.error().code == "RENDER_ERROR");
  CHECK(r.error().attempts == 1);
  CHECK(fake.requests().size() == 1);
  CHECK(r.error().describe().find("test-key-123") == std::string::npos);
}

TEST_CASE("chart service 503 is retried once but 401 and 429 are not") {
  fake_chart_service fake;
  auto r = call(fake, chart_fake_mode::unavailable);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 503);
  CHECK(r.error().attempts == 2);
  CHECK(fake.requests().size() == 2);

  r = call(fake, chart_fake_mode::auth_error);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().http_status == 401);
  CHECK(r.error().code == "AUTHENTICATION_ERROR");
  CHECK(r.error().attempts == 1);

  r = call(fake, chart_fake_mode::rate_limited);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::rate_limited);
  CHECK(r.error().retry_after_s == 7);
  CHECK(fake.requests().size() == 4);
}

TEST_CASE("chart service timeout ends at the deadline") {
  fake_chart_service fake;
  fake.set_delay(3000ms);
  auto cfg = config_for(fake);
  cfg.timeout = 300ms;
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = call(fake, chart_fake_mode::slow, cfg);
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::timeout);
  CHECK(r.error().attempts == 2);  // a timeout is worth one more try
  CHECK(took >= 600ms);
  CHECK(took < 2900ms);  // cut before the 3 s answer, with room for a loaded machine
}

TEST_CASE("chart service bad base64 and non-PNG and tiny PNG answers are errors") {
  fake_chart_service fake;
  auto r = call(fake, chart_fake_mode::bad_base64);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::bad_base64);
  CHECK(r.error().attempts == 1);

  r = call(fake, chart_fake_mode::not_png);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::not_png);

  r = call(fake, chart_fake_mode::tiny_png);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::not_png);
}

TEST_CASE("chart service unreachable host and bad input and cancel give errors") {
  std::string dead_url;
  {
    fake_chart_service gone;
    dead_url = gone.url();
  }
  chart_service_config cfg;
  cfg.base_url = dead_url;
  cfg.api_key = "k";
  cfg.timeout = 500ms;
  cfg.retry_delay = 10ms;
  chart_service_client client(cfg);
  auto r = client.render_wheel(sample_natal_chart());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::connect);
  CHECK(r.error().attempts == 2);

  r = client.render_wheel(sample_natal_chart_without_time());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::bad_input);
  CHECK(r.error().attempts == 0);
  CHECK_FALSE(chart_service_can_send(sample_natal_chart_without_time()));
  CHECK(chart_service_can_send(sample_natal_chart_without_time(), false));

  fake_chart_service slow;
  slow.set_mode(chart_fake_mode::slow);
  auto scfg = config_for(slow);
  scfg.timeout = 5000ms;
  chart_service_client cancellable(scfg);
  std::thread stopper([&] {  // once the call is in flight: the fake has its request
    while (slow.requests().empty()) std::this_thread::sleep_for(1ms);
    cancellable.cancel();
  });
  const auto t0 = std::chrono::steady_clock::now();
  r = cancellable.render_wheel(sample_natal_chart());
  stopper.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == chart_service_errc::timeout);
  CHECK(std::chrono::steady_clock::now() - t0 < 2000ms);
}

TEST_CASE("chart service response parsing covers the error bodies") {
  const std::string png = fake_chart_service::make_png(400, 300);
  auto ok = parse_chart_service_response(
      200, "{\"status\":\"success\",\"data\":{\"image\":\"" + base64_encode(png) + "\"}}");
  REQUIRE(ok.ok());
  CHECK(ok.png() == png);

  auto e = parse_chart_service_response(200, "not json");
  CHECK(e.error().kind == chart_service_errc::bad_json);
  e = parse_chart_service_response(200,
                                   "{\"status\":\"error\",\"error\":{\"code\":\"TIMEOUT_ERROR\"}}");
  CHECK(e.error().kind == chart_service_errc::service_error);
  CHECK(e.error().code == "TIMEOUT_ERROR");
  e = parse_chart_service_response(200, "{\"status\":\"success\",\"data\":{\"image\":\"\"}}");
  CHECK(e.error().kind == chart_service_errc::service_error);
  e = parse_chart_service_response(429, "", "");
  CHECK(e.error().retry_after_s == 60);
  e = parse_chart_service_response(502, "<html>bad gateway</html>");
  CHECK(e.error().kind == chart_service_errc::http_status);
  CHECK(chart_service_retryable(e.error()));

  CHECK(validate_chart_png(std::string(max_chart_image_bytes + 1, 'x')).error().kind ==
        chart_service_errc::too_large);
  CHECK(validate_chart_png(png.substr(0, 20)).error().kind == chart_service_errc::not_png);
  CHECK(utc_iso8601(0) == "1970-01-01T00:00:00Z");
}
