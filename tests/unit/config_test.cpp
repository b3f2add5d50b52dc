// Configuration: .env parsing, environment overlay, validation (app/config.hpp).
#include "app/config.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using env_map = std::map<std::string, std::string>;
using nocturna::bot_mode;
using nocturna::config;
using nocturna::config_error;
using nocturna::load_config;

// A fresh, empty directory under the system temp dir, removed at scope exit.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() /
           ("nocturna-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

config load(const env_map& env) {
  return load_config(std::nullopt, env);
}

// The message of the config_error that `env` produces ("" when none is thrown).
std::string error_of(const env_map& env) {
  try {
    load(env);
  } catch (const config_error& e) {
    return e.what();
  }
  return "";
}

const std::string kToken = "123456789:AAHsecretTOKENvalue_for-tests";

}  // namespace

TEST_CASE("config: defaults follow the specs") {
  const config c = load({});
  CHECK(c.telegram_bot_token.empty());
  CHECK(c.sandbox_embedded());
  CHECK(c.telegram_api_url == "https://api.telegram.org");
  CHECK(c.bot_mode == bot_mode::polling);
  CHECK(c.poll_timeout_s == 25);
  CHECK_FALSE(c.telegram_drop_pending);
  CHECK(c.telegram_rate_limits);
  CHECK(c.telegram_connections == 16);
  CHECK(c.chat_backlog_limit == 5);
  CHECK(c.webhook_url.empty());
  CHECK(c.webhook_path == "/webhook");
  CHECK(c.webhook_host == "127.0.0.1");  // behind a TLS reverse proxy
  CHECK(c.webhook_port == 8080);
  CHECK(c.webhook_max_connections == 40);
  CHECK(c.health_host == "127.0.0.1");
  CHECK(c.health_port == 8081);
  CHECK(c.sandbox_port == 8090);
  CHECK(c.data_dir == "./data");
  CHECK(c.log_dir == "./logs");
  CHECK(c.log_level == "info");
  CHECK(c.database_url.empty());
  CHECK_FALSE(c.share_dir.empty());
  CHECK(c.timezone == "Europe/Moscow");
  CHECK(c.sky_place_name == "Москва");
  CHECK(c.sky_latitude == doctest::Approx(55.7558));
  CHECK(c.sky_longitude == doctest::Approx(37.6173));
  CHECK(c.dialogue_ttl_minutes == 30);
  CHECK(c.llm_daily_limit == 20);
  CHECK(c.nocturna_api_url.empty());
  CHECK_FALSE(c.remote_calc());
  CHECK(c.nocturna_timeout_s == 10);
  CHECK(c.nocturna_max_retries == 2);
  CHECK(c.nocturna_refresh_on_401);
  CHECK_FALSE(c.nocturna_chiron);
  CHECK(c.openrouter_api_key.empty());
  CHECK_FALSE(c.llm_enabled());
  CHECK(c.openrouter_model == "anthropic/claude-haiku-4.5");
  CHECK(c.openrouter_base_url == "https://openrouter.ai/api/v1");
  CHECK(c.openrouter_timeout_s == 45);
  CHECK(c.llm_max_concurrency == 4);
  CHECK_FALSE(c.chart_service_enabled());
  CHECK(c.chart_service_timeout_s == 20);
  CHECK(c.restart_limit == 5);
  CHECK(c.restart_window_s == 30);
  CHECK(c.session_idle_s == 600);
  CHECK(nocturna::secrets_of(c).empty());
}

TEST_CASE("config: env file parsing handles comments, blank lines, export and quotes") {
  const auto vars = nocturna::parse_env_file(
      "# a comment\n"
      "\n"
      "   \n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "SPACED  =  padded value  \n"
      "DOUBLE=\"with spaces # not a comment\"\n"
      "SINGLE='single # quoted'\n"
      "SINGLE2='raw \\n stays'\n"
      "ESCAPED=\"a\\\"b\\\\c\\nd\"\n"
      "INLINE=abc # trailing comment\n"
      "HASH=abc#def\n"
      "EMPTY=\n"
      "QUOTED_EMPTY=\"\"\n"
      "AFTER_QUOTE=\"x\"   # comment after quotes\n"
      "EQUALS=a=b=c\n"
      "CRLF=dos\r\n"
      "PLAIN=second wins\n");
  CHECK(vars.at("PLAIN") == "second wins");
  CHECK(vars.at("EXPORTED") == "yes");
  CHECK(vars.at("SPACED") == "padded value");
  CHECK(vars.at("DOUBLE") == "with spaces # not a comment");
  CHECK(vars.at("SINGLE") == "single # quoted");
  CHECK(vars.at("SINGLE2") == "raw \\n stays");
  CHECK(vars.at("ESCAPED") == "a\"b\\c\nd");
  CHECK(vars.at("INLINE") == "abc");
  CHECK(vars.at("HASH") == "abc#def");
  CHECK(vars.at("EMPTY").empty());
  CHECK(vars.at("QUOTED_EMPTY").empty());
  CHECK(vars.at("AFTER_QUOTE") == "x");
  CHECK(vars.at("EQUALS") == "a=b=c");
  CHECK(vars.at("CRLF") == "dos");
}

TEST_CASE("config: env file malformed lines name their line number") {
  auto message_of = [](const std::string& text) -> std::string {
    try {
      nocturna::parse_env_file(text);
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  };
  CHECK(message_of("A=1\n\nthis is not a pair\n").find("line 3") != std::string::npos);
  CHECK(message_of("# c\nBAD KEY=1\n").find("line 2") != std::string::npos);
  CHECK(message_of("1ABC=1\n").find("line 1") != std::string::npos);
  CHECK(message_of("=value\n").find("line 1") != std::string::npos);
  CHECK(message_of("A=1\nB=\"unterminated\n").find("line 2") != std::string::npos);
  CHECK(message_of("A='x' trailing\n").find("line 1") != std::string::npos);

  // The value of a malformed line is never echoed (it may be a token).
  const std::string m = message_of("TELEGRAM_BOT_TOKEN=\"" + kToken + "\n");
  CHECK(m.find("line 1") != std::string::npos);
  CHECK(m.find("TELEGRAM_BOT_TOKEN") != std::string::npos);
  CHECK(m.find(kToken) == std::string::npos);
  CHECK(m.find('\n') == std::string::npos);
}

TEST_CASE("config: load_config reads the env file and the environment wins") {
  temp_dir dir;
  const auto file = dir.write(".env", "TELEGRAM_BOT_TOKEN=" + kToken +
                                          "\n"
                                          "POLL_TIMEOUT=40\n"
                                          "export LOG_LEVEL=DEBUG\n"
                                          "SKY_PLACE_NAME='Санкт-Петербург'\n"
                                          "CHAT_BACKLOG_LIMIT=7\n");
  const config from_file = load_config(file.string(), {});
  CHECK(from_file.telegram_bot_token == kToken);
  CHECK_FALSE(from_file.sandbox_embedded());
  CHECK(from_file.poll_timeout_s == 40);
  CHECK(from_file.log_level == "debug");
  CHECK(from_file.sky_place_name == "Санкт-Петербург");
  CHECK(from_file.chat_backlog_limit == 7);

  const config overlaid =
      load_config(file.string(), {{"POLL_TIMEOUT", "10"}, {"LOG_LEVEL", "error"}});
  CHECK(overlaid.poll_timeout_s == 10);
  CHECK(overlaid.log_level == "error");
  CHECK(overlaid.chat_backlog_limit == 7);  // untouched by the environment

  // A variable set but blank in the environment wins too and means "the default".
  const config blanked = load_config(file.string(), {{"POLL_TIMEOUT", ""}});
  CHECK(blanked.poll_timeout_s == 25);

  // A bad value in the environment is reported even when the file's value is fine.
  CHECK_THROWS_AS(load_config(file.string(), {{"POLL_TIMEOUT", "0"}}), config_error);
}

TEST_CASE("config: a missing env file is not an error but a malformed one is") {
  temp_dir dir;
  CHECK(load_config((dir.path / "absent.env").string(), {}).poll_timeout_s == 25);
  const auto bad = dir.write("bad.env", "OK=1\nnonsense\n");
  try {
    load_config(bad.string(), {});
    FAIL("expected config_error");
  } catch (const config_error& e) {
    CHECK(std::string(e.what()).find("line 2") != std::string::npos);
  }
  // A malformed file is an error even when the environment sets every variable.
  CHECK_THROWS_AS(load_config(bad.string(), {{"OK", "2"}}), config_error);
}

TEST_CASE("config: integer variables reject bad values and name the variable") {
  struct bad_case {
    std::string var;
    std::string value;
  };
  const std::vector<bad_case> cases = {
      {"POLL_TIMEOUT", "abc"},
      {"POLL_TIMEOUT", "0"},
      {"POLL_TIMEOUT", "51"},
      {"POLL_TIMEOUT", "2.5"},
      {"POLL_TIMEOUT", "25s"},
      {"TELEGRAM_CONNECTIONS", "0"},
      {"TELEGRAM_CONNECTIONS", "257"},
      {"TELEGRAM_MAX_IDLE_MS", "99"},
      {"LOG_FORMAT", "xml"},
      {"FAULT_INJECTION", "maybe"},
      {"CHAT_BACKLOG_LIMIT", "-1"},
      {"WEBHOOK_MAX_CONNECTIONS", "0"},
      {"WEBHOOK_MAX_CONNECTIONS", "101"},
      {"WEBHOOK_PORT", "-1"},
      {"WEBHOOK_PORT", "65536"},
      {"HEALTH_PORT", "99999999999999999999"},
      {"SANDBOX_PORT", "port"},
      {"NOCTURNA_TIMEOUT", "0"},
      {"NOCTURNA_TIMEOUT", "61"},
      {"NOCTURNA_MAX_RETRIES", "-1"},
      {"NOCTURNA_MAX_RETRIES", "11"},
      {"DIALOGUE_TTL_MINUTES", "0"},
      {"LLM_DAILY_LIMIT", "-5"},
      {"OPENROUTER_TIMEOUT", "0"},
      {"LLM_MAX_CONCURRENCY", "0"},
      {"CHART_SERVICE_TIMEOUT", "x"},
      {"RESTART_LIMIT", "-1"},
      {"RESTART_WINDOW_S", "0"},
      {"SESSION_IDLE_S", "0"},
      {"INSTANCE_LEASE_S", "2"},
      {"INTAKE_BACKLOG_LIMIT", "99"},
      {"SEND_QUEUE_LIMIT", "999"},
      {"SEND_CHAT_QUEUE_LIMIT", "4"},
      {"BROADCAST_QUEUE_LIMIT", "-1"},
      {"FORECAST_QUEUE_LIMIT", "10000001"},
      {"LLM_QUEUE_LIMIT", "0"},
      {"CALC_QUEUE_LIMIT", "many"},
      {"RENDER_QUEUE_LIMIT", "0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.var);
    CAPTURE(c.value);
    const std::string m = error_of({{c.var, c.value}});
    CHECK(m.rfind(c.var + ":", 0) == 0);
    CHECK(m.find('\n') == std::string::npos);
  }
}

TEST_CASE("config: the bounds have defaults and take their variables") {
  const config d = load({});
  CHECK(d.intake_backlog_limit == 10000);
  CHECK(d.send_queue_limit == 100000);
  CHECK(d.send_chat_queue_limit == 50);
  CHECK(d.broadcast_queue_limit == 10000);
  CHECK(d.forecast_queue_limit == 100000);
  CHECK(d.llm_queue_limit == 1000);
  CHECK(d.calc_queue_limit == 1000);
  CHECK(d.render_queue_limit == 200);
  const config c = load({{"INTAKE_BACKLOG_LIMIT", "100"},
                         {"SEND_QUEUE_LIMIT", "1000"},
                         {"SEND_CHAT_QUEUE_LIMIT", "5"},
                         {"BROADCAST_QUEUE_LIMIT", "100"},
                         {"FORECAST_QUEUE_LIMIT", "100"},
                         {"LLM_QUEUE_LIMIT", "1"},
                         {"CALC_QUEUE_LIMIT", "1"},
                         {"RENDER_QUEUE_LIMIT", "1"}});
  CHECK(c.intake_backlog_limit == 100);
  CHECK(c.send_queue_limit == 1000);
  CHECK(c.send_chat_queue_limit == 5);
  CHECK(c.broadcast_queue_limit == 100);
  CHECK(c.forecast_queue_limit == 100);
  CHECK(c.llm_queue_limit == 1);
  CHECK(c.calc_queue_limit == 1);
  CHECK(c.render_queue_limit == 1);
}

TEST_CASE("config: integer variables accept their range limits") {
  const config lo = load({{"POLL_TIMEOUT", "1"},
                          {"TELEGRAM_CONNECTIONS", "1"},
                          {"CHAT_BACKLOG_LIMIT", "0"},
                          {"WEBHOOK_MAX_CONNECTIONS", "1"},
                          {"NOCTURNA_TIMEOUT", "1"},
                          {"NOCTURNA_MAX_RETRIES", "0"},
                          {"LLM_DAILY_LIMIT", "0"}});
  CHECK(lo.poll_timeout_s == 1);
  CHECK(lo.telegram_connections == 1);
  CHECK(lo.chat_backlog_limit == 0);
  CHECK(lo.webhook_max_connections == 1);
  CHECK(lo.nocturna_timeout_s == 1);
  CHECK(lo.nocturna_max_retries == 0);
  CHECK(lo.llm_daily_limit == 0);
  const config hi = load({{"POLL_TIMEOUT", "50"},
                          {"TELEGRAM_CONNECTIONS", "256"},
                          {"WEBHOOK_MAX_CONNECTIONS", "100"},
                          {"WEBHOOK_PORT", "65535"},
                          {"HEALTH_PORT", "+65534"},
                          {"NOCTURNA_TIMEOUT", "60"},
                          {"NOCTURNA_MAX_RETRIES", "10"}});
  CHECK(hi.poll_timeout_s == 50);
  CHECK(hi.telegram_connections == 256);
  CHECK(hi.webhook_max_connections == 100);
  CHECK(hi.webhook_port == 65535);
  CHECK(hi.health_port == 65534);
  CHECK(hi.nocturna_timeout_s == 60);
  CHECK(hi.nocturna_max_retries == 10);
}

TEST_CASE("config: boolean variables accept their spellings only") {
  for (const std::string yes : {"true", "TRUE", "1", "yes", "On"}) {
    CAPTURE(yes);
    CHECK(load({{"TELEGRAM_DROP_PENDING", yes}}).telegram_drop_pending);
  }
  for (const std::string no : {"false", "0", "NO", "off"}) {
    CAPTURE(no);
    CHECK_FALSE(load({{"TELEGRAM_DROP_PENDING", no}}).telegram_drop_pending);
  }
  CHECK(error_of({{"TELEGRAM_DROP_PENDING", "maybe"}}).rfind("TELEGRAM_DROP_PENDING:", 0) == 0);

  CHECK_FALSE(load({{"TELEGRAM_RATE_LIMITS", "off"}}).telegram_rate_limits);
  CHECK(load({{"TELEGRAM_RATE_LIMITS", "ON"}}).telegram_rate_limits);
  CHECK(error_of({{"TELEGRAM_RATE_LIMITS", "true"}}).rfind("TELEGRAM_RATE_LIMITS:", 0) == 0);
  CHECK(error_of({{"TELEGRAM_RATE_LIMITS", "0"}}).rfind("TELEGRAM_RATE_LIMITS:", 0) == 0);

  CHECK_FALSE(load({{"NOCTURNA_REFRESH_ON_401", "false"}}).nocturna_refresh_on_401);
  CHECK(load({{"NOCTURNA_CHIRON", "yes"}}).nocturna_chiron);
  CHECK(error_of({{"NOCTURNA_CHIRON", "2"}}).rfind("NOCTURNA_CHIRON:", 0) == 0);
}

TEST_CASE("config: LOG_LEVEL spellings are normalised") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"trace", "trace"},  {"DEBUG", "debug"}, {"Info", "info"}, {"warn", "warn"},
      {"WARNING", "warn"}, {"error", "error"}, {"ERR", "error"}, {"Critical", "critical"},
      {"off", "off"},      {" info ", "info"},
  };
  for (const auto& [given, expected] : cases) {
    CAPTURE(given);
    CHECK(load({{"LOG_LEVEL", given}}).log_level == expected);
  }
  for (const std::string bad : {"verbose", "fatal", "warnings", "5"}) {
    CAPTURE(bad);
    const std::string m = error_of({{"LOG_LEVEL", bad}});
    CHECK(m.rfind("LOG_LEVEL:", 0) == 0);
  }
}

TEST_CASE("config: WEBHOOK_URL port 0 stands for the bound WEBHOOK_PORT=0 only") {
  const config c = load({{"WEBHOOK_URL", "http://127.0.0.1:0"}, {"WEBHOOK_PORT", "0"}});
  CHECK(c.webhook_url == "http://127.0.0.1:0");
  CHECK(error_of({{"WEBHOOK_URL", "http://127.0.0.1:0"}, {"WEBHOOK_PORT", "8080"}}) ==
        "WEBHOOK_URL: port 0 (the bound port) needs WEBHOOK_PORT=0");
  CHECK(error_of({{"TELEGRAM_API_URL", "http://127.0.0.1:0"}}).rfind("TELEGRAM_API_URL:", 0) == 0);
}

TEST_CASE("config: TELEGRAM_CA_FILE names an existing file or is empty") {
  CHECK(load({}).telegram_ca_file.empty());
  temp_dir dir;
  const auto pem = (dir.path / "ca.pem").string();
  std::ofstream(pem) << "-----BEGIN CERTIFICATE-----\n";
  CHECK(load({{"TELEGRAM_CA_FILE", pem}}).telegram_ca_file == pem);
  CHECK(error_of({{"TELEGRAM_CA_FILE", (dir.path / "missing.pem").string()}})
            .rfind("TELEGRAM_CA_FILE: no such file", 0) == 0);
  CHECK(error_of({{"TELEGRAM_CA_FILE", dir.path.string()}}).rfind("TELEGRAM_CA_FILE:", 0) == 0);
}

TEST_CASE("config: URL variables must be http or https with a host") {
  for (const std::string var : {"TELEGRAM_API_URL", "NOCTURNA_API_URL", "CHART_SERVICE_URL",
                                "WEBHOOK_URL", "OPENROUTER_BASE_URL"}) {
    for (const std::string bad :
         {"ftp://example.com", "http://", "https://:8080/x", "example.com", "http//x",
          "https://exa mple.com", "http://host:0", "http://host:70000", "http://host:port"}) {
      CAPTURE(var);
      CAPTURE(bad);
      const std::string m = error_of({{var, bad}});
      CHECK(m.rfind(var + ":", 0) == 0);
    }
  }
  const config c = load({{"TELEGRAM_API_URL", "http://127.0.0.1:9000/"},
                         {"NOCTURNA_API_URL", "https://calculations.nocturna.ru/api/"},
                         {"CHART_SERVICE_URL", "HTTP://localhost:3011"},
                         {"OPENROUTER_BASE_URL", "http://[::1]:8000/api/v1"}});
  CHECK(c.telegram_api_url == "http://127.0.0.1:9000");
  CHECK(c.nocturna_api_url == "https://calculations.nocturna.ru/api");
  CHECK(c.remote_calc());
  CHECK(c.chart_service_url == "HTTP://localhost:3011");
  CHECK(c.openrouter_base_url == "http://[::1]:8000/api/v1");
  // Base URLs get a path appended, so a query is refused.
  CHECK(
      error_of({{"NOCTURNA_API_URL", "https://x.example/api?k=v"}}).rfind("NOCTURNA_API_URL:", 0) ==
      0);
}

TEST_CASE("config: enumerations, database URL, time zone and coordinates are validated") {
  CHECK(load({{"BOT_MODE", "POLLING"}}).bot_mode == bot_mode::polling);
  CHECK(error_of({{"BOT_MODE", "push"}}).rfind("BOT_MODE:", 0) == 0);

  CHECK(load({{"DATABASE_URL", "postgresql://bot:pw@db/nocturna"}}).database_url ==
        "postgresql://bot:pw@db/nocturna");
  CHECK(load({{"DATABASE_URL", "postgres://db/nocturna"}}).database_url ==
        "postgres://db/nocturna");
  const std::string db = error_of({{"DATABASE_URL", "mysql://bot:hunter2secret@db/x"}});
  CHECK(db.rfind("DATABASE_URL:", 0) == 0);
  CHECK(db.find("hunter2secret") == std::string::npos);
  CHECK(error_of({{"DATABASE_URL", "sqlite://data/x.db"}}).rfind("DATABASE_URL:", 0) == 0);

  CHECK(load({{"TIMEZONE", "America/New_York"}}).timezone == "America/New_York");
  CHECK(load({{"TIMEZONE", "UTC"}}).timezone == "UTC");
  for (const std::string bad : {"Mars/Olympus_Mons", "../../etc/passwd", "Europe/../UTC", "Europe",
                                "/etc/localtime", "Europe/Moscow/", "zone.tab"}) {
    CAPTURE(bad);
    CHECK(error_of({{"TIMEZONE", bad}}).rfind("TIMEZONE:", 0) == 0);
  }

  const config sky = load({{"SKY_LATITUDE", "-90"}, {"SKY_LONGITUDE", "180"}});
  CHECK(sky.sky_latitude == doctest::Approx(-90.0));
  CHECK(sky.sky_longitude == doctest::Approx(180.0));
  for (const std::string bad : {"90.01", "-91", "north", "nan", "inf", "55,75"}) {
    CAPTURE(bad);
    CHECK(error_of({{"SKY_LATITUDE", bad}}).rfind("SKY_LATITUDE:", 0) == 0);
  }
  CHECK(error_of({{"SKY_LONGITUDE", "-180.5"}}).rfind("SKY_LONGITUDE:", 0) == 0);
  CHECK(error_of({{"WEBHOOK_PATH", "webhook"}}).rfind("WEBHOOK_PATH:", 0) == 0);
}

TEST_CASE("config: webhook mode requires a URL and a well-formed secret") {
  const env_map base = {{"TELEGRAM_BOT_TOKEN", kToken}, {"BOT_MODE", "webhook"}};
  auto with = [&base](env_map extra) {
    env_map m = base;
    for (auto& [k, v] : extra) m[k] = v;
    return m;
  };
  const std::string good_secret(32, 'k');
  CHECK(error_of(with({{"WEBHOOK_SECRET", good_secret}})).rfind("WEBHOOK_URL:", 0) == 0);
  const std::string missing = error_of(with({{"WEBHOOK_URL", "https://bot.example.com"}}));
  CHECK(missing.rfind("WEBHOOK_SECRET:", 0) == 0);
  CHECK(missing.find("openssl rand -hex 32") != std::string::npos);

  const std::string bad_secret = "has spaces and !@#";
  const std::string m =
      error_of(with({{"WEBHOOK_URL", "https://bot.example.com"}, {"WEBHOOK_SECRET", bad_secret}}));
  CHECK(m.rfind("WEBHOOK_SECRET:", 0) == 0);
  CHECK(m.find(bad_secret) == std::string::npos);
  CHECK(error_of(with({{"WEBHOOK_URL", "https://bot.example.com"},
                       {"WEBHOOK_SECRET", std::string(257, 'a')}}))
            .rfind("WEBHOOK_SECRET:", 0) == 0);
  // Telegram takes 1 character; we want enough that guessing is hopeless, and say how.
  for (const std::string weak : {std::string("a"), std::string("s3cret"), std::string(31, 'x')}) {
    CAPTURE(weak);
    const std::string e =
        error_of(with({{"WEBHOOK_URL", "https://bot.example.com"}, {"WEBHOOK_SECRET", weak}}));
    CHECK(e.rfind("WEBHOOK_SECRET: must be 32-256 characters", 0) == 0);
    CHECK(e.find("openssl rand -hex 32") != std::string::npos);
    CHECK(e.find('\n') == std::string::npos);
  }

  const config ok = load(with({{"WEBHOOK_URL", "https://bot.example.com:8443/"},
                               {"WEBHOOK_SECRET", std::string(256, 'Z')}}));
  CHECK(ok.bot_mode == bot_mode::webhook);
  CHECK(ok.webhook_url == "https://bot.example.com:8443");
  CHECK(ok.webhook_secret.size() == 256);
  const std::string mixed = "A-z_0" + std::string(27, '9');
  CHECK(load(with({{"WEBHOOK_URL", "https://bot.example.com"}, {"WEBHOOK_SECRET", mixed}}))
            .webhook_secret == mixed);
}

TEST_CASE("config: WEBHOOK_URL follows Telegram's port rules only against api.telegram.org") {
  env_map m = {{"TELEGRAM_BOT_TOKEN", kToken},
               {"BOT_MODE", "webhook"},
               {"WEBHOOK_SECRET", std::string(40, 's')}};
  for (const std::string good :
       {"https://bot.example.com", "https://bot.example.com:443/hook", "https://b.example:80",
        "https://b.example:88", "https://b.example:8443"}) {
    CAPTURE(good);
    m["WEBHOOK_URL"] = good;
    CHECK_NOTHROW(load(m));
  }
  for (const std::string bad :
       {"http://bot.example.com", "https://bot.example.com:8080", "https://b.example:444"}) {
    CAPTURE(bad);
    m["WEBHOOK_URL"] = bad;
    CHECK(error_of(m).rfind("WEBHOOK_URL:", 0) == 0);
  }
  // A local Bot API server or the sandbox: any http(s) URL.
  m["TELEGRAM_API_URL"] = "http://127.0.0.1:8090";
  m["WEBHOOK_URL"] = "http://127.0.0.1:18080";
  CHECK(load(m).webhook_url == "http://127.0.0.1:18080");
}

TEST_CASE("config: clashing ports are refused and port 0 never clashes") {
  const std::string m = error_of({{"HEALTH_PORT", "9000"}, {"WEBHOOK_PORT", "9000"}});
  CHECK(m.find("HEALTH_PORT") != std::string::npos);
  CHECK(m.find("WEBHOOK_PORT") != std::string::npos);
  CHECK(m.find('\n') == std::string::npos);

  // Checked in polling mode too, and with a token set.
  CHECK_FALSE(error_of({{"TELEGRAM_BOT_TOKEN", kToken}, {"HEALTH_PORT", "8080"}}).empty());

  const config zeros = load({{"HEALTH_PORT", "0"}, {"WEBHOOK_PORT", "0"}, {"SANDBOX_PORT", "0"}});
  CHECK(zeros.health_port == 0);
  CHECK(zeros.webhook_port == 0);
  CHECK(zeros.sandbox_port == 0);

  // Embedded sandbox (no token): both must differ from a non-zero SANDBOX_PORT.
  const std::string hs = error_of({{"HEALTH_PORT", "8090"}});
  CHECK(hs.find("HEALTH_PORT") != std::string::npos);
  CHECK(hs.find("SANDBOX_PORT") != std::string::npos);
  const std::string ws = error_of({{"WEBHOOK_PORT", "7000"}, {"SANDBOX_PORT", "7000"}});
  CHECK(ws.find("WEBHOOK_PORT") != std::string::npos);
  CHECK(ws.find("SANDBOX_PORT") != std::string::npos);
  CHECK(load({{"HEALTH_PORT", "0"}, {"SANDBOX_PORT", "0"}}).sandbox_port == 0);

  // With a token no sandbox starts, so SANDBOX_PORT may equal the others.
  CHECK(load({{"TELEGRAM_BOT_TOKEN", kToken}, {"SANDBOX_PORT", "8081"}}).sandbox_port == 8081);
}

TEST_CASE("config: errors never echo secret values") {
  // A token that cannot be used in a URL.
  const std::string spaced = "123:secret value";
  const std::string t = error_of({{"TELEGRAM_BOT_TOKEN", spaced}});
  CHECK(t.rfind("TELEGRAM_BOT_TOKEN:", 0) == 0);
  CHECK(t.find("secret value") == std::string::npos);
  const std::string slashed = "123:abc/def";
  CHECK(error_of({{"TELEGRAM_BOT_TOKEN", slashed}}).find(slashed) == std::string::npos);

  for (const std::string var :
       {"NOCTURNA_SERVICE_TOKEN", "OPENROUTER_API_KEY", "CHART_SERVICE_API_KEY"}) {
    CAPTURE(var);
    const std::string value = "sk-live key-with-space";
    const std::string m = error_of({{var, value}});
    CHECK(m.rfind(var + ":", 0) == 0);
    CHECK(m.find("key-with-space") == std::string::npos);
  }

  // A secret pasted into the wrong variable is masked when that variable's value is quoted.
  const std::string m = error_of({{"TELEGRAM_BOT_TOKEN", kToken}, {"POLL_TIMEOUT", kToken}});
  CHECK(m.rfind("POLL_TIMEOUT:", 0) == 0);
  CHECK(m.find(kToken) == std::string::npos);

  // URLs are not echoed either: they may carry credentials.
  const std::string u = error_of({{"CHART_SERVICE_URL", "ftp://user:pa55word@host"}});
  CHECK(u.rfind("CHART_SERVICE_URL:", 0) == 0);
  CHECK(u.find("pa55word") == std::string::npos);
}

TEST_CASE("config: secrets_of lists every non-empty secret") {
  const config c = load({{"TELEGRAM_BOT_TOKEN", kToken},
                         {"NOCTURNA_SERVICE_TOKEN", "eyJhbGciOi.service.token"},
                         {"OPENROUTER_API_KEY", "  sk-or-v1-abc  "},
                         {"NOCTURNA_IMAGE_SERVICE_TOKEN", "img-token"},
                         {"CHART_SERVICE_URL", "http://localhost:3011"},
                         {"WEBHOOK_SECRET", "hook_secret_of_at_least_32_chars"},
                         {"DATABASE_URL", "postgresql://bot:p%40ss@db:5432/x?password=qp"}});
  CHECK(c.openrouter_api_key == "sk-or-v1-abc");  // trimmed
  CHECK(c.llm_enabled());
  CHECK(c.chart_service_api_key == "img-token");  // the alias
  CHECK(c.chart_service_enabled());
  const auto s = nocturna::secrets_of(c);
  auto has = [&s](const std::string& v) { return std::find(s.begin(), s.end(), v) != s.end(); };
  CHECK(has(kToken));
  CHECK(has("eyJhbGciOi.service.token"));
  CHECK(has("sk-or-v1-abc"));
  CHECK(has("img-token"));
  CHECK(has("hook_secret_of_at_least_32_chars"));
  CHECK(has("p%40ss"));
  CHECK(has("p@ss"));
  CHECK(has("qp"));
  CHECK(std::none_of(s.begin(), s.end(), [](const std::string& v) { return v.empty(); }));
}

TEST_CASE("config: NOCTURNA_SHARE_DIR is explicit, next to the executable, or a fallback") {
  temp_dir dir;
  fs::create_directories(dir.path / "prefix" / "bin");
  fs::create_directories(dir.path / "prefix" / "share");
  fs::create_directories(dir.path / "explicit");

  const config explicit_dir = load({{"NOCTURNA_SHARE_DIR", (dir.path / "explicit").string()}});
  CHECK(explicit_dir.share_dir == (dir.path / "explicit").string());

  const config beside_exe =
      load_config(std::nullopt, {}, (dir.path / "prefix" / "bin" / "nocturna-bot").string());
  CHECK(fs::equivalent(beside_exe.share_dir, dir.path / "prefix" / "share"));

  // No share/ next to the executable: ./share or the source tree's share/, which always exists.
  const config fallback =
      load_config(std::nullopt, {}, (dir.path / "explicit" / "nocturna-bot").string());
  CHECK(fs::is_directory(fallback.share_dir));

  const std::string m = error_of({{"NOCTURNA_SHARE_DIR", (dir.path / "missing").string()}});
  CHECK(m.rfind("NOCTURNA_SHARE_DIR:", 0) == 0);
}

TEST_CASE("config: process_environment reads the real environment") {
  ::setenv("NOCTURNA_CONFIG_TEST_VAR", "a=b c", 1);
  const auto env = nocturna::process_environment();
  ::unsetenv("NOCTURNA_CONFIG_TEST_VAR");
  REQUIRE(env.count("NOCTURNA_CONFIG_TEST_VAR") == 1);
  CHECK(env.at("NOCTURNA_CONFIG_TEST_VAR") == "a=b c");
}

#ifdef NOCTURNA_SOURCE_SHARE_DIR
TEST_CASE("config: .env.example lists every variable with its default") {
  const fs::path example = fs::path(NOCTURNA_SOURCE_SHARE_DIR).parent_path() / ".env.example";
  REQUIRE(fs::exists(example));
  std::ifstream in(example, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto vars = nocturna::parse_env_file(ss.str());
  const std::vector<std::string> known = {"TELEGRAM_BOT_TOKEN",
                                          "TELEGRAM_BOT_USERNAME",
                                          "TELEGRAM_API_URL",
                                          "TELEGRAM_CA_FILE",
                                          "BOT_MODE",
                                          "POLL_TIMEOUT",
                                          "TELEGRAM_DROP_PENDING",
                                          "TELEGRAM_RATE_LIMITS",
                                          "TELEGRAM_CONNECTIONS",
                                          "TELEGRAM_MAX_IDLE_MS",
                                          "CHAT_BACKLOG_LIMIT",
                                          "WEBHOOK_URL",
                                          "WEBHOOK_PATH",
                                          "WEBHOOK_HOST",
                                          "WEBHOOK_PORT",
                                          "WEBHOOK_SECRET",
                                          "WEBHOOK_MAX_CONNECTIONS",
                                          "HEALTH_HOST",
                                          "HEALTH_PORT",
                                          "SANDBOX_PORT",
                                          "DATA_DIR",
                                          "LOG_DIR",
                                          "LOG_LEVEL",
                                          "LOG_FORMAT",
                                          "FAULT_INJECTION",
                                          "DATABASE_URL",
                                          "NOCTURNA_SHARE_DIR",
                                          "TIMEZONE",
                                          "SKY_PLACE_NAME",
                                          "SKY_LATITUDE",
                                          "SKY_LONGITUDE",
                                          "DIALOGUE_TTL_MINUTES",
                                          "LLM_DAILY_LIMIT",
                                          "NOCTURNA_API_URL",
                                          "NOCTURNA_SERVICE_TOKEN",
                                          "NOCTURNA_TIMEOUT",
                                          "NOCTURNA_MAX_RETRIES",
                                          "NOCTURNA_REFRESH_ON_401",
                                          "NOCTURNA_CHIRON",
                                          "OPENROUTER_API_KEY",
                                          "OPENROUTER_MODEL",
                                          "OPENROUTER_BASE_URL",
                                          "OPENROUTER_TIMEOUT",
                                          "LLM_MAX_CONCURRENCY",
                                          "OPENROUTER_APP_URL",
                                          "OPENROUTER_APP_TITLE",
                                          "CHART_SERVICE_URL",
                                          "CHART_SERVICE_API_KEY",
                                          "CHART_SERVICE_TIMEOUT",
                                          "RESTART_LIMIT",
                                          "RESTART_WINDOW_S",
                                          "SESSION_IDLE_S",
                                          "INSTANCE_LEASE_S",
                                          "INTAKE_BACKLOG_LIMIT",
                                          "SEND_QUEUE_LIMIT",
                                          "SEND_CHAT_QUEUE_LIMIT",
                                          "BROADCAST_QUEUE_LIMIT",
                                          "FORECAST_QUEUE_LIMIT",
                                          "LLM_QUEUE_LIMIT",
                                          "CALC_QUEUE_LIMIT",
                                          "RENDER_QUEUE_LIMIT"};
  for (const auto& name : known) {
    CAPTURE(name);
    CHECK(vars.count(name) == 1);
  }
  for (const auto& [name, value] : vars) {
    CAPTURE(name);
    const bool listed = std::find(known.begin(), known.end(), name) != known.end();
    CHECK((listed || name == "LANG" || name == "LANGUAGE"));
  }
  // Secrets are left empty, and the file as a whole yields exactly the defaults.
  for (const std::string secret : {"TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET", "NOCTURNA_SERVICE_TOKEN",
                                   "OPENROUTER_API_KEY", "CHART_SERVICE_API_KEY", "DATABASE_URL"}) {
    CAPTURE(secret);
    CHECK(vars.at(secret).empty());
  }
  const config from_example = load_config(example.string(), {});
  const config defaults = load({});
  CHECK(from_example.poll_timeout_s == defaults.poll_timeout_s);
  CHECK(from_example.telegram_rate_limits == defaults.telegram_rate_limits);
  CHECK(from_example.webhook_port == defaults.webhook_port);
  CHECK(from_example.health_port == defaults.health_port);
  CHECK(from_example.sandbox_port == defaults.sandbox_port);
  CHECK(from_example.log_level == defaults.log_level);
  CHECK(from_example.timezone == defaults.timezone);
  CHECK(from_example.sky_place_name == defaults.sky_place_name);
  CHECK(from_example.sky_latitude == defaults.sky_latitude);
  CHECK(from_example.nocturna_timeout_s == defaults.nocturna_timeout_s);
  CHECK(from_example.nocturna_max_retries == defaults.nocturna_max_retries);
  CHECK(from_example.openrouter_model == defaults.openrouter_model);
  CHECK(from_example.openrouter_base_url == defaults.openrouter_base_url);
  CHECK(from_example.chart_service_timeout_s == defaults.chart_service_timeout_s);
  CHECK(from_example.session_idle_s == defaults.session_idle_s);
  CHECK(from_example.share_dir == defaults.share_dir);
}
#endif

TEST_CASE("config: plain http:// to a remote upstream is warned about, loopback is not") {
  CHECK(nocturna::config_warnings(load({})).empty());
  const config c = load({{"TELEGRAM_BOT_TOKEN", kToken},
                         {"TELEGRAM_API_URL", "http://127.0.0.1:8090"},
                         {"NOCTURNA_API_URL", "http://calc.example.org/api"},
                         {"CHART_SERVICE_URL", "http://localhost:3011"},
                         {"OPENROUTER_BASE_URL", "http://[::1]:9000/v1"}});
  const auto w = nocturna::config_warnings(c);
  REQUIRE(w.size() == 1);
  CHECK(w[0].rfind("NOCTURNA_API_URL is plain http:// to calc.example.org", 0) == 0);
  CHECK(nocturna::is_loopback_host("127.1.2.3"));
  CHECK_FALSE(nocturna::is_loopback_host("127.example.org"));
  CHECK_FALSE(nocturna::is_loopback_host("10.0.0.1"));
  CHECK(nocturna::plain_http_host_off_loopback("https://calc.example.org") == std::nullopt);
  CHECK(nocturna::plain_http_host_off_loopback("http://10.0.0.1:80/x") == "10.0.0.1");
}
