// The remote positions backend (docs/calculations.md §7) over real loopback HTTP: against our own
// `calc serve` for the happy path, against a scriptable fake for the failure cases.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

#include "clients/astro/civil_time.hpp"
#include "clients/astro/swiss_ephemeris.hpp"
#include "clients/nocturna/calc_server.hpp"
#include "clients/nocturna/positions_codec.hpp"
#include "clients/nocturna/remote_positions.hpp"
#include "clients/nocturna/response.hpp"
#include "clients/nocturna/token_check.hpp"
#include "tests/support/fake_nocturna.hpp"

namespace {

using namespace std::chrono_literals;
using nocturna::astro::body;
using nocturna::astro::calc_error_kind;
using nocturna::remote::remote_options;
using nocturna::remote::remote_positions;
using nocturna::testing::fake_nocturna;
using nocturna::testing::make_test_jwt;
using steady = std::chrono::steady_clock;

// 2024-03-20 09:00:00 UT (V9).
constexpr double kJd = 2460389.875;

// Short timings so the failure cases stay fast; the rules are the contract's.
remote_options fast_options(const std::string& url, const std::string& token = "svc-token") {
  remote_options o;
  o.base_url = url;
  o.service_token = token;
  o.policy.attempt_timeout = 400ms;
  o.policy.max_retries = 2;
  o.policy.connect_timeout = 200ms;
  o.policy.deadline_slack = 200ms;
  o.policy.min_attempt = 50ms;
  o.policy.backoff_base = 20ms;
  o.policy.backoff_cap = 80ms;
  return o;
}

long elapsed_ms(steady::time_point since) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - since).count());
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::size_t positions_requests(const fake_nocturna& fake) {
  return fake.requests_to("/api/calculations/planetary-positions").size();
}

}  // namespace

TEST_CASE("nocturna response: envelopes and error classes") {
  using nocturna::remote::error_class;
  using nocturna::remote::interpret_response;
  auto direct = interpret_response(200, R"({"positions":[]})", "");
  CHECK(direct.ok);
  CHECK(direct.payload == R"({"positions":[]})");
  auto wrapped =
      interpret_response(200, R"({"success":true,"data":{"positions":[]},"error":null})", "");
  CHECK(wrapped.ok);
  CHECK(wrapped.payload == R"({"positions":[]})");

  auto not_found =
      interpret_response(200, R"({"success":false,"data":null,"error":"Chart not found"})", "r1");
  CHECK_FALSE(not_found.ok);
  CHECK(not_found.error.cls == error_class::server);
  CHECK(contains(not_found.error.detail, "Chart not found"));
  CHECK(not_found.error.request_id == "r1");
  auto boom = interpret_response(
      500,
      R"({"success":false,"data":null,"error":{"code":"INTERNAL_ERROR","message":"boom","details":null}})",
      "");
  CHECK(boom.error.cls == error_class::server);
  CHECK(boom.error.retryable);
  CHECK(contains(boom.error.detail, "boom"));
  CHECK(contains(interpret_response(200, R"({"success":false,"error":{}})", "").error.detail,
                 "unknown"));

  auto cls = [](int status, const char* body) {
    return interpret_response(status, body, "").error;
  };
  CHECK(cls(200, "<html>").cls == error_class::protocol);
  CHECK(cls(200, R"({"success":true,"data":[1]})").cls == error_class::protocol);
  CHECK(cls(502, "<html>Bad Gateway</html>").cls == error_class::unavailable);
  CHECK(cls(502, "<html>").retryable);
  CHECK(cls(503, "").retryable);
  CHECK(cls(429, "").cls == error_class::unavailable);
  CHECK_FALSE(cls(429, "").retryable);
  CHECK(cls(500, R"({"detail":"Error calculating planetary positions: x"})").cls ==
        error_class::rejected);
  CHECK_FALSE(cls(500, R"({"detail":"Error calculating planetary positions: x"})").retryable);
  CHECK(cls(500, R"({"detail":"Internal"})").cls == error_class::server);
  CHECK(cls(500, "Internal Server Error").retryable);
  CHECK(cls(401, R"({"detail":"Not authenticated"})").cls == error_class::auth);
  CHECK(cls(403, "{}").cls == error_class::auth);
  CHECK(cls(404, "{}").cls == error_class::server);
  CHECK(cls(422, R"({"detail":[{"type":"missing"}]})").cls == error_class::rejected);
  CHECK(cls(400, "{}").cls == error_class::rejected);
  CHECK_FALSE(cls(404, "{}").retryable);
  CHECK(nocturna::remote::excerpt(std::string(400, 'x')).size() < 310);
}

TEST_CASE("nocturna codec: UT fields of a Julian day and the request body") {
  const auto f = nocturna::remote::ut_fields_of_jd(kJd);
  CHECK(f == nocturna::astro::datetime_fields{2024, 3, 20, 9, 0, 0});
  // A JD a hair below the second still names that second.
  CHECK(nocturna::remote::ut_fields_of_jd(2447907.3125 - 1e-9) ==
        nocturna::astro::datetime_fields{1990, 1, 15, 19, 30, 0});
  const auto body =
      nocturna::remote::positions_request(f, 0, 0, nocturna::remote::standard_bodies());
  CHECK(contains(body, R"("date":"2024-03-20","time":"09:00:00")"));
  CHECK(contains(body, R"("timezone":"UTC")"));
  CHECK(contains(
      body,
      R"("planets":["SUN","MOON","MERCURY","VENUS","MARS","JUPITER","SATURN","URANUS","NEPTUNE","PLUTO","NORTH_NODE","TRUE_NODE","LILITH"])"));
}

TEST_CASE("nocturna remote: positions through calc serve equal the embedded engine") {
  nocturna::remote::calc_server_options so;
  so.port = 0;
  nocturna::remote::calc_server server(so);
  server.start();
  remote_positions remote(fast_options(server.base_url()));
  nocturna::astro::swiss_ephemeris embedded;

  // V6 (1990-01-15 19:30 UT), J2000, and a modern date.
  for (std::int64_t utc : {632431800LL, 946728000LL, 1710925200LL}) {
    const double jd = nocturna::astro::julian_day_ut(utc);
    auto r = remote.positions(jd);
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    auto e = embedded.positions(jd);
    REQUIRE(e.ok());
    REQUIRE(r.value().size() == 13);
    for (std::size_t i = 0; i < 13; ++i) {
      const auto& a = r.value()[i];
      const auto& b = e.value()[i];
      CHECK(a.id == b.id);
      CHECK(std::fabs(a.longitude - b.longitude) < 1e-6);
      CHECK(std::fabs(a.latitude - b.latitude) < 1e-6);
      CHECK(std::fabs(a.distance - b.distance) < 1e-6);
      CHECK(std::fabs(a.speed - b.speed) < 1e-6);
      CHECK_FALSE(a.house.has_value());
    }
  }
  CHECK(remote.ephemeris_name() == "remote");
}

TEST_CASE("nocturna remote: direct and wrapped envelopes, request shape") {
  for (bool wrapped : {false, true}) {
    CAPTURE(wrapped);
    fake_nocturna fake;
    fake.start();
    fake.set_wrapped(wrapped);
    remote_positions remote(fast_options(fake.base_url()));
    auto r = remote.positions(kJd);
    REQUIRE_MESSAGE(r.ok(), r.error().detail);
    const auto& p = r.value();
    REQUIRE(p.size() == 13);
    CHECK(p[0].id == body::sun);
    CHECK(p[0].longitude == doctest::Approx(0.5));
    CHECK(p[1].longitude == doctest::Approx(25.5));
    CHECK(p[10].id == body::mean_node);
    CHECK(p[10].is_retrograde());
    CHECK(p[12].id == body::mean_lilith);

    const auto reqs = fake.requests_to("/api/calculations/planetary-positions");
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].authorization == "Bearer svc-token");
    CHECK(reqs[0].content_type == "application/json");
    CHECK(contains(reqs[0].user_agent, "NocturnaBot/"));
    CHECK(contains(reqs[0].body, R"("date":"2024-03-20","time":"09:00:00")"));
    CHECK(contains(reqs[0].body, R"("timezone":"UTC")"));
    CHECK(contains(reqs[0].body, R"("NORTH_NODE","TRUE_NODE","LILITH"])"));
  }
}

TEST_CASE("nocturna remote: 500 then success, 503 twice then success") {
  fake_nocturna fake;
  fake.start();
  remote_positions remote(fast_options(fake.base_url()));
  fake.queue_statuses({500});
  CHECK(remote.positions(kJd).ok());
  CHECK(positions_requests(fake) == 2);

  fake.clear_requests();
  fake.queue_statuses({503, 503});
  CHECK(remote.positions(kJd).ok());
  CHECK(positions_requests(fake) == 3);

  fake.clear_requests();
  fake.queue_statuses({502, 502, 502});
  auto r = remote.positions(kJd);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == calc_error_kind::unavailable);
  CHECK(positions_requests(fake) == 3);  // 1 + NOCTURNA_MAX_RETRIES

  fake.clear_requests();
  fake.set_wrapped(true);
  fake.queue_statuses({500});  // success:false with HTTP 500: retried like any 500
  CHECK(remote.positions(kJd).ok());
  CHECK(positions_requests(fake) == 2);
}

TEST_CASE("nocturna remote: 4xx and deterministic 500 are not retried") {
  fake_nocturna fake;
  fake.start();
  // A loaded machine may take longer than fast_options' 400 ms to deliver the answer; a timed-out
  // attempt is retried by design and would meet the fake's default 200 (seen once under load 12).
  auto options = fast_options(fake.base_url());
  options.policy.attempt_timeout = 10s;
  remote_positions remote(options);
  struct expectation {
    int status;
    calc_error_kind kind;
  };
  for (auto [status, kind] : {expectation{422, calc_error_kind::input_rejected},
                              expectation{400, calc_error_kind::input_rejected},
                              expectation{5001, calc_error_kind::input_rejected},
                              expectation{404, calc_error_kind::unavailable},
                              expectation{403, calc_error_kind::unavailable},
                              expectation{429, calc_error_kind::unavailable}}) {
    CAPTURE(status);
    fake.clear_requests();
    fake.queue_statuses({status});
    auto r = remote.positions(kJd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == kind);
    CHECK(positions_requests(fake) == 1);
  }
}

TEST_CASE("nocturna remote: malformed answers are protocol errors, not retried") {
  fake_nocturna fake;
  fake.start();
  remote_positions remote(fast_options(fake.base_url()));
  using mode = fake_nocturna::body_mode;
  for (auto m : {mode::not_json, mode::empty, mode::missing_planet, mode::unknown_envelope_error}) {
    fake.clear_requests();
    fake.set_body_mode(m);
    auto r = remote.positions(kJd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == calc_error_kind::unavailable);
    CHECK(positions_requests(fake) == 1);
  }
  fake.set_body_mode(mode::missing_planet);
  CHECK(contains(remote.positions(kJd).error().detail, "MOON is missing"));
}

TEST_CASE("nocturna remote: a hanging server is cut at the deadline") {
  fake_nocturna fake;
  fake.start();
  fake.set_delay(5s);
  {
    // Every attempt times out: 3 attempts of 300 ms, inside the 1.1 s total deadline.
    auto o = fast_options(fake.base_url());
    o.policy.attempt_timeout = 300ms;
    remote_positions remote(o);
    const auto t = steady::now();
    auto r = remote.positions(kJd);
    const auto ms = elapsed_ms(t);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == calc_error_kind::unavailable);
    CHECK(ms >= 850);
    CHECK(ms < 1600);
    CHECK(positions_requests(fake) == 3);
  }
  {
    // The total deadline cuts an attempt short: min(NOCTURNA_TIMEOUT, time left).
    fake.clear_requests();
    auto o = fast_options(fake.base_url());
    o.policy.attempt_timeout = 2s;
    o.policy.deadline_cap = 500ms;
    remote_positions remote(o);
    const auto t = steady::now();
    auto r = remote.positions(kJd);
    const auto ms = elapsed_ms(t);
    REQUIRE_FALSE(r.ok());
    CHECK(ms >= 450);
    CHECK(ms < 1000);
    CHECK(positions_requests(fake) == 1);
  }
}

TEST_CASE("nocturna remote: an open circuit answers fast, a probe closes it") {
  fake_nocturna fake;
  fake.start();
  auto o = fast_options(fake.base_url());
  o.policy.max_retries = 0;
  o.breaker_threshold = 3;
  o.breaker_open_for = 300ms;
  remote_positions remote(o);
  fake.queue_statuses({503, 503, 503});
  for (int i = 0; i < 3; ++i) CHECK_FALSE(remote.positions(kJd).ok());
  CHECK(remote.breaker_state() == nocturna::remote::circuit_breaker::state::open);

  fake.clear_requests();
  const auto t = steady::now();
  auto r = remote.positions(kJd);
  CHECK(elapsed_ms(t) < 2000);  // no attempt, no wait (bounded loosely: the machine may be busy)
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == calc_error_kind::unavailable);
  CHECK(positions_requests(fake) == 0);

  // A rejected input does not count as a failure.
  std::this_thread::sleep_for(320ms);
  CHECK(remote.positions(kJd).ok());  // the probe
  CHECK(remote.breaker_state() == nocturna::remote::circuit_breaker::state::closed);
  fake.queue_statuses({422, 422, 422, 422});
  for (int i = 0; i < 4; ++i) CHECK_FALSE(remote.positions(kJd).ok());
  CHECK(remote.breaker_state() == nocturna::remote::circuit_breaker::state::closed);
}

TEST_CASE("nocturna remote: 401 → refresh → retry once, then the access token is used") {
  fake_nocturna fake;
  fake.start();
  const auto access = make_test_jwt(std::time(nullptr) + 1800);
  fake.set_accepted_bearers({access});
  fake.set_refresh("svc-token", access, 1800);
  remote_positions remote(fast_options(fake.base_url()));
  REQUIRE(remote.positions(kJd).ok());
  auto reqs = fake.requests();
  REQUIRE(reqs.size() == 3);
  CHECK(reqs[0].authorization == "Bearer svc-token");
  CHECK(reqs[1].path == "/api/auth/service-token/refresh");
  CHECK(reqs[1].authorization == "Bearer svc-token");
  CHECK(reqs[1].body.empty());
  CHECK(reqs[2].authorization == "Bearer " + access);

  fake.clear_requests();
  REQUIRE(remote.positions(kJd).ok());
  reqs = fake.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].authorization == "Bearer " + access);
}

TEST_CASE("nocturna remote: an access token within 300 s of expiry is exchanged before the call") {
  fake_nocturna fake;
  fake.start();
  fake.set_accepted_bearers({"short-lived-token-test"});
  fake.set_refresh("svc-token", "short-lived-token-test", 300);
  remote_positions remote(fast_options(fake.base_url()));
  REQUIRE(remote.positions(kJd).ok());
  fake.clear_requests();
  REQUIRE(remote.positions(kJd).ok());
  const auto reqs = fake.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].path == "/api/auth/service-token/refresh");
  CHECK(reqs[1].authorization == "Bearer short-lived-token-test");
}

TEST_CASE("nocturna remote: refresh rejected, second 401, refresh disabled → auth failure") {
  fake_nocturna fake;
  fake.start();
  fake.set_accepted_bearers({"access-token-test"});
  SUBCASE("refresh answers 401") {
    fake.set_refresh("another-service-token", "access-token-test", 1800);
    remote_positions remote(fast_options(fake.base_url()));
    auto r = remote.positions(kJd);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == calc_error_kind::unavailable);
    CHECK(contains(r.error().detail, "class=auth"));
    CHECK(positions_requests(fake) == 1);
    CHECK(fake.requests_to("/api/auth/service-token/refresh").size() == 1);
  }
  SUBCASE("the fresh access token is refused too") {
    fake.set_refresh("svc-token", "not-accepted-either", 1800);
    remote_positions remote(fast_options(fake.base_url()));
    auto r = remote.positions(kJd);
    REQUIRE_FALSE(r.ok());
    CHECK(contains(r.error().detail, "class=auth"));
    CHECK(positions_requests(fake) == 2);
    CHECK(fake.requests_to("/api/auth/service-token/refresh").size() == 1);
  }
  SUBCASE("NOCTURNA_REFRESH_ON_401=false") {
    fake.set_refresh("svc-token", "access-token-test", 1800);
    auto o = fast_options(fake.base_url());
    o.refresh_on_401 = false;
    remote_positions remote(o);
    auto r = remote.positions(kJd);
    REQUIRE_FALSE(r.ok());
    CHECK(positions_requests(fake) == 1);
    CHECK(fake.requests_to("/api/auth/service-token/refresh").empty());
  }
}

TEST_CASE("nocturna remote: Chiron when asked, omitted for a pause when it fails") {
  fake_nocturna fake;
  fake.start();
  auto o = fast_options(fake.base_url());
  o.chiron = true;
  {
    remote_positions remote(o);
    auto r = remote.positions(kJd);
    REQUIRE(r.ok());
    REQUIRE(r.value().size() == 14);
    CHECK(r.value().back().id == body::chiron);
    const auto reqs = fake.requests_to("/api/calculations/planetary-positions");
    REQUIRE(reqs.size() == 2);
    CHECK(contains(reqs[1].body, R"("planets":["CHIRON"])"));
  }
  fake.clear_requests();
  fake.set_chiron_fails(true);
  remote_positions remote(o);
  auto r = remote.positions(kJd);
  REQUIRE(r.ok());
  CHECK(r.value().size() == 13);
  CHECK(positions_requests(fake) == 2);  // the Chiron request is not retried
  fake.clear_requests();
  CHECK(remote.positions(kJd).value().size() == 13);
  CHECK(positions_requests(fake) == 1);  // not asked again within the pause
}

TEST_CASE("nocturna remote: several threads share one backend") {
  fake_nocturna fake;
  fake.start();
  const auto access = make_test_jwt(std::time(nullptr) + 1800);
  fake.set_accepted_bearers({access});
  fake.set_refresh("svc-token", access, 1800);
  remote_positions remote(fast_options(fake.base_url()));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i)
        if (remote.positions(kJd).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 20);
  // Concurrent 401s lead to one exchange (the others wait and reuse it), at most a few.
  CHECK(fake.requests_to("/api/auth/service-token/refresh").size() >= 1);
  CHECK(fake.requests_to("/api/auth/service-token/refresh").size() <= 4);
}

TEST_CASE("nocturna start-up: expired, soon-expiring and opaque service tokens") {
  fake_nocturna fake;
  fake.start();
  remote_options o;
  o.base_url = fake.base_url();
  o.policy.attempt_timeout = std::chrono::seconds(2);
  const std::int64_t now = std::time(nullptr);
  using nocturna::remote::check_service_token;
  using nocturna::remote::token_expiry_warning;

  o.service_token = make_test_jwt(now - 60, R"("token_id":"t1","scope":"calculations")");
  CHECK_FALSE(check_service_token(o, now, false));
  CHECK(token_expiry_warning(o.service_token, now).has_value());

  o.service_token = make_test_jwt(now + 3 * 86400);
  CHECK(check_service_token(o, now, false));
  auto warning = token_expiry_warning(o.service_token, now);
  REQUIRE(warning.has_value());
  CHECK(contains(*warning, "expires in 3 d 0 h"));
  CHECK_FALSE(contains(*warning, o.service_token));

  o.service_token = make_test_jwt(now + 90 * 86400);
  CHECK_FALSE(token_expiry_warning(o.service_token, now).has_value());
  CHECK(check_service_token(o, now, true));
  CHECK(fake.requests_to("/api/health").size() == 1);
  CHECK(fake.requests_to("/api/health")[0].authorization.empty());

  o.service_token = "opaque-token";
  CHECK(check_service_token(o, now, false));
  o.service_token.clear();
  CHECK(check_service_token(o, now, false));

  // The health probe failing is only a warning.
  fake.set_health_status(503);
  o.service_token = make_test_jwt(now + 90 * 86400);
  CHECK(check_service_token(o, now, true));
}
