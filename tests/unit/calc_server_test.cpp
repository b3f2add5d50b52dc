// `calc serve`: the embedded engine behind the Nocturna API contract (docs/calculations.md §7.9),
// checked over loopback HTTP with the reference's request and response shapes.
#include "clients/nocturna/calc_server.hpp"

#include <doctest/doctest.h>
#include <httplib.h>
#include <simdjson.h>

#include <string>

#include "clients/astro/swiss_ephemeris.hpp"

namespace {

struct served {
  nocturna::remote::calc_server server;
  std::unique_ptr<httplib::Client> client;
  explicit served(std::string token = "")
      : server([&] {
          nocturna::remote::calc_server_options o;
          o.port = 0;
          o.required_token = std::move(token);
          return o;
        }()) {
    const int port = server.start();
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
  }
  ~served() { client.reset(); }

  httplib::Result post(const std::string& path, const std::string& body) {
    return client->Post(("/api/calculations/" + path).c_str(), body, "application/json");
  }
};

// V9 (docs/calculations.md §6): 2024-03-20 12:00 Europe/Moscow = 09:00 UT, Moscow.
const std::string kV9 =
    R"({"date":"2024-03-20","time":"12:00:00","latitude":55.7558,"longitude":37.6173,"timezone":"Europe/Moscow")";

double number_at(simdjson::dom::element e) {
  double d = 0;
  std::int64_t i = 0;
  if (!e.get(d)) return d;
  if (!e.get(i)) return static_cast<double>(i);
  return -1e9;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("nocturna calc serve: planetary positions in request order, unknown names dropped") {
  served s;
  auto res =
      s.post("planetary-positions", kV9 + R"(,"planets":["MOON","SUN","PHOBOS","NORTH_NODE"]})");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  simdjson::dom::parser parser;
  simdjson::dom::array list;
  REQUIRE_FALSE(parser.parse(res->body).at_key("positions").get(list));
  REQUIRE(list.size() == 3);
  std::string_view name;
  REQUIRE_FALSE(list.at(0).at_key("planet").get(name));
  CHECK(name == "MOON");
  REQUIRE_FALSE(list.at(1).at_key("planet").get(name));
  CHECK(name == "SUN");
  CHECK(number_at(list.at(1).at_key("longitude").value()) ==
        doctest::Approx(0.243935).epsilon(1e-6));
  CHECK(list.at(1).at_key("house").is_null());
  CHECK(contains(res->body, R"("sign":"ARIES","degree":0.0,"minute":14.0,"second":38.0)"));
  bool retro = false;
  REQUIRE_FALSE(list.at(2).at_key("is_retrograde").get(retro));
  CHECK(retro);  // the mean node always moves backwards
  CHECK(res->has_header("X-Request-ID"));

  // Without `planets`: SUN..PLUTO.
  auto all = s.post("planetary-positions", kV9 + "}");
  REQUIRE(all);
  REQUIRE_FALSE(parser.parse(all->body).at_key("positions").get(list));
  CHECK(list.size() == 10);
}

TEST_CASE("nocturna calc serve: Chiron only with its asteroid file") {
  served s;
  auto res = s.post("planetary-positions", kV9 + R"(,"planets":["CHIRON"]})");
  REQUIRE(res);
  if (nocturna::astro::swiss_ephemeris().chiron_available()) {
    CHECK(res->status == 200);
  } else {
    CHECK(res->status == 500);
    CHECK(contains(res->body, "Error calculating planetary positions"));
  }
}

TEST_CASE("nocturna calc serve: houses, polar failure and bad system") {
  served s;
  auto res = s.post("houses", kV9 + R"(,"house_system":"placidus"})");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  simdjson::dom::parser parser;
  simdjson::dom::array houses;
  REQUIRE_FALSE(parser.parse(res->body).at_key("houses").get(houses));
  REQUIRE(houses.size() == 12);
  CHECK(number_at(houses.at(0).at_key("longitude").value()) ==
        doctest::Approx(114.054215).epsilon(1e-7));
  CHECK(number_at(houses.at(3).at_key("longitude").value()) ==
        doctest::Approx(170.210583).epsilon(1e-7));
  CHECK(contains(res->body, R"("number":1,"longitude":114.05421)"));
  CHECK(contains(res->body,
                 R"("latitude":0.0,"sign":"CANCER","degree":24.0,"minute":3.0,"second":15.0)"));

  auto koch = s.post("houses", kV9 + R"(,"house_system":"KOCH"})");
  REQUIRE(koch);
  CHECK(koch->status == 200);
  CHECK(contains(koch->body, "133.10869"));

  auto polar = s.post(
      "houses",
      R"({"date":"2000-01-01","time":"12:00:00","latitude":70.0,"longitude":20.0,"timezone":"UTC"})");
  REQUIRE(polar);
  CHECK(polar->status == 500);
  CHECK(polar->body == R"({"detail":"Error calculating houses: polar latitude"})");

  auto bad = s.post("houses", kV9 + R"(,"house_system":"topocentric"})");
  REQUIRE(bad);
  CHECK(bad->status == 422);
}

TEST_CASE("nocturna calc serve: aspects with our five majors and natal orbs") {
  served s;
  auto res = s.post(
      "aspects",
      R"({"date":"1990-01-15","time":"14:30:00","latitude":40.7128,"longitude":-74.006,"timezone":"America/New_York"})");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  simdjson::dom::parser parser;
  simdjson::dom::array aspects;
  REQUIRE_FALSE(parser.parse(res->body).at_key("aspects").get(aspects));
  CHECK(aspects.size() == 13);  // A1
  CHECK(contains(res->body,
                 R"({"planet1":"SATURN","planet2":"PLUTO","aspect_type":"sextile","orb":0.083)"));
  CHECK(contains(res->body, R"("applying":true,"exact_time":null})"));
}

TEST_CASE("nocturna calc serve: bad input like the reference, health, auth") {
  served s;
  auto missing =
      s.post("planetary-positions", R"({"date":"2024-03-20","latitude":1,"longitude":2})");
  REQUIRE(missing);
  CHECK(missing->status == 422);
  CHECK(contains(missing->body, R"("loc":["body","time"])"));

  auto short_time = s.post("planetary-positions",
                           R"({"date":"2024-03-20","time":"14:30","latitude":1,"longitude":2})");
  REQUIRE(short_time);
  CHECK(short_time->status == 500);
  CHECK(contains(short_time->body,
                 "Error calculating planetary positions: time data '14:30' does not match format"));

  auto zone = s.post(
      "planetary-positions",
      R"({"date":"2024-03-20","time":"12:00:00","latitude":1,"longitude":2,"timezone":"Mars/Olympus"})");
  REQUIRE(zone);
  CHECK(zone->status == 500);

  auto range = s.post("planetary-positions",
                      R"({"date":"2400-01-02","time":"12:00:00","latitude":1,"longitude":2})");
  REQUIRE(range);
  CHECK(range->status == 500);

  auto garbage = s.post("aspects", "not json");
  REQUIRE(garbage);
  CHECK(garbage->status == 422);

  auto lat =
      s.post("houses", R"({"date":"2024-03-20","time":"12:00:00","latitude":91,"longitude":2})");
  REQUIRE(lat);
  CHECK(lat->status == 422);

  auto health = s.client->Get("/api/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(contains(health->body, R"("status":"healthy")"));

  served locked("secret-token");
  auto anonymous = locked.post("planetary-positions", kV9 + "}");
  REQUIRE(anonymous);
  CHECK(anonymous->status == 401);
  CHECK(anonymous->get_header_value("WWW-Authenticate") == "Bearer");
  locked.client->set_bearer_token_auth("secret-token");
  auto authorised = locked.post("planetary-positions", kV9 + "}");
  REQUIRE(authorised);
  CHECK(authorised->status == 200);
}

TEST_CASE("nocturna calc serve: bodies over 64 KiB, compressed or chunked are refused unread") {
  served s;
  auto big = s.post("planetary-positions", std::string(70 * 1024, ' ') + kV9 + "}");
  REQUIRE(big);
  CHECK(big->status == 413);
  auto gz = s.client->Post("/api/calculations/houses", {{"Content-Encoding", "gzip"}}, kV9 + "}",
                           "application/json");
  REQUIRE(gz);
  CHECK(gz->status == 415);
  // The same request within the limit is still answered.
  auto ok = s.post("planetary-positions", kV9 + "}");
  REQUIRE(ok);
  CHECK(ok->status == 200);
}
