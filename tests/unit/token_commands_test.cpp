// `nocturna-bot token create|check` against a local fake of the API's auth endpoints.
#include "app/token_commands.hpp"

#include <doctest/doctest.h>

#include <ctime>
#include <optional>
#include <sstream>

#include "protocol/jwt.hpp"
#include "tests/support/fake_nocturna.hpp"

namespace {

using nocturna::testing::fake_nocturna;
using nocturna::testing::make_test_jwt;

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

struct run_result {
  int code;
  std::string out, err;
};

// `stdin_text` is what the operator types (or pipes); `password_env` is NOCTURNA_PASSWORD.
run_result run(const std::vector<std::string>& args, const nocturna::config& cfg,
               const std::string& stdin_text = "",
               std::optional<std::string> password_env = std::nullopt) {
  std::ostringstream out, err;
  std::istringstream in(stdin_text);
  const int code = nocturna::token_main(
      args, cfg, nocturna::password_source{std::move(password_env), in, false}, out, err);
  return {code, out.str(), err.str()};
}

nocturna::config config_for(const fake_nocturna& fake, const std::string& token) {
  nocturna::config cfg;
  cfg.nocturna_api_url = fake.base_url();
  cfg.nocturna_service_token = token;
  cfg.nocturna_timeout_s = 2;
  return cfg;
}

const std::string kPassword = "pa ss&word=1";

}  // namespace

TEST_CASE("token create: logs in, creates a service token and prints it") {
  fake_nocturna fake;
  fake.start();
  fake.set_login("ops@nocturna.test", kPassword, "admin-access-token-test");
  auto r = run({"create", fake.base_url() + "/", "ops@nocturna.test", "10"}, nocturna::config{},
               kPassword + "\n");
  CHECK_MESSAGE(r.code == 0, r.err);
  REQUIRE(contains(r.out, "NOCTURNA_SERVICE_TOKEN="));
  const auto line = r.out.substr(0, r.out.find('\n'));
  const auto token = line.substr(std::string("NOCTURNA_SERVICE_TOKEN=").size());
  auto claims = nocturna::jwt::decode(token);
  REQUIRE(claims.has_value());
  REQUIRE(claims->exp.has_value());
  CHECK(*claims->exp - std::time(nullptr) > 9 * 86400);
  CHECK(contains(r.out, "expires_at: "));
  CHECK(contains(r.out, "(10 days)"));
  CHECK(contains(r.out, "token_id: tok-1"));
  CHECK_FALSE(contains(r.out + r.err, kPassword));

  const auto login = fake.requests_to("/api/auth/login");
  REQUIRE(login.size() == 1);
  CHECK(login[0].content_type == "application/x-www-form-urlencoded");
  CHECK(login[0].body == "username=ops%40nocturna.test&password=pa%20ss%26word%3D1");
  const auto made = fake.requests_to("/api/auth/admin/service-tokens");
  REQUIRE(made.size() == 1);
  CHECK(made[0].authorization == "Bearer admin-access-token-test");
  CHECK(made[0].body == R"({"days":10,"scope":"calculations","eternal":false})");
}

TEST_CASE("token create: wrong password, bad arguments") {
  fake_nocturna fake;
  fake.start();
  fake.set_login("ops@nocturna.test", "right", "admin-access-token-test");
  auto wrong =
      run({"create", fake.base_url(), "ops@nocturna.test"}, nocturna::config{}, "", kPassword);
  CHECK(wrong.code == 1);
  CHECK(contains(wrong.err, "login failed"));
  CHECK_FALSE(contains(wrong.out + wrong.err, kPassword));
  CHECK(fake.requests_to("/api/auth/admin/service-tokens").empty());

  CHECK(run({"create", fake.base_url()}, nocturna::config{}, "pw\n").code == 2);
  CHECK(run({"create", fake.base_url(), "a@b", "0"}, nocturna::config{}, "pw\n").code == 2);
  CHECK(run({"create", "ftp://x/api", "a@b"}, nocturna::config{}, "pw\n").code == 2);
  // The old form with the password as an argument is refused, not taken as DAYS.
  CHECK(run({"create", fake.base_url(), "a@b", "pw", "10"}, nocturna::config{}).code == 2);
  CHECK(run({"rotate"}, nocturna::config{}).code == 2);
  CHECK(run({}, nocturna::config{}).code == 2);
}

TEST_CASE("token create: the password from NOCTURNA_PASSWORD wins over stdin") {
  fake_nocturna fake;
  fake.start();
  fake.set_login("ops@nocturna.test", kPassword, "admin-access-token-test");
  auto r = run({"create", fake.base_url(), "ops@nocturna.test"}, nocturna::config{},
               "not-the-password\n", kPassword);
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.out, "NOCTURNA_SERVICE_TOKEN="));
}

TEST_CASE("token create: no password, or plain http:// off loopback, is refused before login") {
  // No server at all: each refusal comes before any connection is attempted.
  auto none = run({"create", "http://127.0.0.1:1/api", "ops@nocturna.test"}, nocturna::config{});
  CHECK(none.code == 2);
  CHECK(contains(none.err, "NOCTURNA_PASSWORD"));
  auto plain = run({"create", "http://api.example.org/api", "ops@nocturna.test"},
                   nocturna::config{}, kPassword + "\n");
  CHECK(plain.code == 2);
  CHECK(contains(plain.err, "https://"));
  CHECK_FALSE(contains(plain.out + plain.err, kPassword));
  // Loopback may be plain http: the login is tried (and fails, nobody listens on port 1).
  auto loopback = run({"create", "http://localhost:1/api", "ops@nocturna.test"}, nocturna::config{},
                      kPassword + "\n");
  CHECK(loopback.code == 1);
  CHECK(contains(loopback.err, "login failed"));
}

TEST_CASE("token check: a valid token accepted by the API") {
  fake_nocturna fake;
  fake.start();
  const auto token = make_test_jwt(std::time(nullptr) + 30 * 86400 + 3600,
                                   R"("token_id":"tok-9","scope":"calculations")");
  fake.set_accepted_bearers({token});
  auto r = run({"check"}, config_for(fake, token));
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.out, "days left: 30"));
  CHECK(contains(r.out, "token_id: tok-9"));
  CHECK(contains(r.out, "api health: healthy"));
  CHECK(contains(r.out, "service token accepted"));
  CHECK_FALSE(contains(r.out + r.err, token));
  REQUIRE(fake.requests_to("/api/auth/me").size() == 1);
  CHECK(fake.requests_to("/api/auth/me")[0].authorization == "Bearer " + token);
}

TEST_CASE("token check: accepted through the token exchange") {
  fake_nocturna fake;
  fake.start();
  const auto token = make_test_jwt(std::time(nullptr) + 100 * 86400);
  fake.set_accepted_bearers({"access-token-test"});
  fake.set_refresh(token, "access-token-test", 1800);
  auto r = run({"check"}, config_for(fake, token));
  CHECK_MESSAGE(r.code == 0, r.err);
  CHECK(contains(r.out, "through the token exchange"));
}

TEST_CASE("token check: expired, rejected, soon expiring, not configured") {
  fake_nocturna fake;
  fake.start();
  const auto now = std::time(nullptr);

  const auto expired = make_test_jwt(now - 3600);
  fake.set_accepted_bearers({expired});
  auto r = run({"check"}, config_for(fake, expired));
  CHECK(r.code == 1);
  CHECK(contains(r.out, "EXPIRED"));

  const auto unknown = make_test_jwt(now + 60 * 86400);
  fake.set_accepted_bearers({"someone-else"});
  fake.set_refresh("other", "x", 1800);
  r = run({"check"}, config_for(fake, unknown));
  CHECK(r.code == 1);
  CHECK(contains(r.err, "REJECTED"));

  const auto soon = make_test_jwt(now + 2 * 86400 - 100);
  fake.set_accepted_bearers({soon});
  r = run({"check"}, config_for(fake, soon));
  CHECK(r.code == 0);
  CHECK(contains(r.out, "days left: 1"));
  CHECK(contains(r.out, "expires within 7 days"));

  fake.set_health_status(503);
  r = run({"check"}, config_for(fake, soon));
  CHECK(r.code == 1);
  CHECK(contains(r.err, "api health: failed"));

  CHECK(run({"check"}, config_for(fake, "")).code == 2);
  auto no_url = config_for(fake, soon);
  no_url.nocturna_api_url.clear();
  CHECK(run({"check"}, no_url).code == 2);
  CHECK(run({"check", "extra"}, config_for(fake, soon)).code == 2);
}
