// The one configuration struct, built once from `.env` and the process environment (which wins),
// validated, and passed down explicitly (docs/telegram.md §7, docs/behaviour.md §10,
// docs/calculations.md §7.1, docs/integrations.md §1.1, §2.1). `.env.example` at the repository
// root lists every variable.
//
// Normalisation done by load_config:
// * every value is trimmed; an empty value means "use the default" (for TELEGRAM_BOT_TOKEN and the
//   other secrets empty simply means "not set");
// * URLs (TELEGRAM_API_URL, NOCTURNA_API_URL, CHART_SERVICE_URL, OPENROUTER_BASE_URL, WEBHOOK_URL)
//   lose their trailing `/`;
// * LOG_LEVEL is lower-cased and mapped to one of: trace, debug, info, warn, error, critical, off
//   (`warning` → `warn`, `err` → `error`); each is accepted by spdlog::level::from_str;
// * BOT_MODE is lower-cased (polling | webhook); TELEGRAM_BOT_USERNAME loses a leading `@`;
// * CHART_SERVICE_API_KEY falls back to NOCTURNA_IMAGE_SERVICE_TOKEN (docs/integrations.md §2.1);
// * share_dir is resolved: NOCTURNA_SHARE_DIR (must be a directory), else `<exe dir>/../share`,
//   else `./share`, else the source tree's share/ (NOCTURNA_SOURCE_SHARE_DIR, set by CMake).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/bot_mode.hpp"

namespace nocturna {

// A bad value: `what()` is one line naming the variable; the process exits with code 2.
struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct config {
  // Telegram transport
  std::string telegram_bot_token;  // empty → `run` starts the embedded sandbox
  std::string telegram_bot_username;
  std::string telegram_api_url = "https://api.telegram.org";
  // TELEGRAM_CA_FILE: certificates (PEM) trusted for an https TELEGRAM_API_URL instead of the
  // system's, e.g. a self-hosted Bot API server behind TLS with a private authority.
  std::string telegram_ca_file;
  // BOT_MODE: polling | webhook
  nocturna::bot_mode bot_mode = nocturna::bot_mode::polling;
  int poll_timeout_s = 25;             // POLL_TIMEOUT, 1..50
  bool telegram_drop_pending = false;  // true/false/1/0/yes/no/on/off
  bool telegram_rate_limits = true;    // on/off
  int telegram_connections = 16;       // 1..256
  int telegram_max_idle_ms = 20000;    // TELEGRAM_MAX_IDLE_MS, 100..3600000: reopen idler ones
  int chat_backlog_limit = 5;          // >= 0, 0 = unlimited

  // Webhook
  std::string webhook_url;  // required in webhook mode
  std::string webhook_path = "/webhook";
  std::string webhook_host = "127.0.0.1";  // behind a TLS reverse proxy (docs/deployment.md)
  int webhook_port = 8080;                 // 0..65535, 0 = ephemeral
  std::string webhook_secret;              // required in webhook mode: 32..256 of A-Z a-z 0-9 _ -
  int webhook_max_connections = 40;        // 1..100

  // Local servers
  std::string health_host = "127.0.0.1";
  int health_port = 8081;   // 0..65535; never equal to a non-zero webhook_port
  int sandbox_port = 8090;  // 0..65535; embedded sandbox: differs from health and webhook ports

  // Storage, logs, assets
  std::string data_dir = "./data";
  std::string log_dir = "./logs";
  std::string log_level = "info";   // normalised: trace debug info warn error critical off
  std::string log_format = "text";  // LOG_FORMAT: text | json (one JSON object per line)
  bool fault_injection = false;     // FAULT_INJECTION on/off: test-only POST /debug/crash
  std::string database_url;         // empty = SQLite in data_dir
  std::string share_dir;            // resolved: NOCTURNA_SHARE_DIR, <exe>/../share, ./share

  // Product (docs/behaviour.md §10)
  std::string timezone = "Europe/Moscow";  // a file under /usr/share/zoneinfo
  std::string sky_place_name = "Москва";
  double sky_latitude = 55.7558;   // -90..90
  double sky_longitude = 37.6173;  // -180..180
  int dialogue_ttl_minutes = 30;   // 1..10080
  int llm_daily_limit = 20;        // 0..100000

  // Calculations backend (docs/calculations.md §7.1)
  std::string nocturna_api_url;
  std::string nocturna_service_token;
  int nocturna_timeout_s = 10;   // 1..60 seconds per attempt
  int nocturna_max_retries = 2;  // 0..10 retries after the first attempt
  bool nocturna_refresh_on_401 = true;
  bool nocturna_chiron = false;

  // Integrations (docs/integrations.md)
  std::string openrouter_api_key;
  std::string openrouter_model = "anthropic/claude-haiku-4.5";
  std::string openrouter_base_url = "https://openrouter.ai/api/v1";
  int openrouter_timeout_s = 45;  // 1..600
  int llm_max_concurrency = 4;    // 1..64
  std::string openrouter_app_url;
  std::string openrouter_app_title;
  std::string chart_service_url;
  std::string chart_service_api_key;  // alias: NOCTURNA_IMAGE_SERVICE_TOKEN
  int chart_service_timeout_s = 20;   // 1..300

  // Supervision: more than `restart_limit` restarts within `restart_window_s` escalates.
  int restart_limit = 5;      // 0..1000
  int restart_window_s = 30;  // 1..86400
  int session_idle_s = 600;   // 1..604800; idle sessions are evicted after this
  // 3..600; how long a dead instance keeps the polling lease on a shared PostgreSQL
  int instance_lease_s = 15;

  // Bounds (.env.example "Bounds"): past each, a log line and a /metrics counter.
  int intake_backlog_limit = 10000;   // updates in flight before intake stops taking more
  int send_queue_limit = 100000;      // Bot API calls waiting in the sender, all chats
  int send_chat_queue_limit = 50;     // calls waiting for one chat
  int broadcast_queue_limit = 10000;  // forecast messages waiting in the sender
  int forecast_queue_limit = 100000;  // due forecasts waiting in the scheduler
  int llm_queue_limit = 1000;         // interpretation requests waiting for the model
  int calc_queue_limit = 1000;        // calculations waiting for a worker
  int render_queue_limit = 200;       // pictures waiting for a worker

  bool sandbox_embedded() const { return telegram_bot_token.empty(); }
  bool llm_enabled() const { return !openrouter_api_key.empty(); }
  bool chart_service_enabled() const {
    return !chart_service_url.empty() && !chart_service_api_key.empty();
  }
  bool remote_calc() const { return !nocturna_api_url.empty(); }
};

// Reads `env_file` (KEY=VALUE lines, `#` comments, optional quotes, `export ` prefix) when it
// exists (a missing file is not an error), overlays `environment`, validates. Throws config_error
// naming the variable; the message is one line and never contains a secret's value. `exe_path`
// (e.g. /proc/self/exe) only serves to find `<exe dir>/../share`.
config load_config(const std::optional<std::string>& env_file,
                   const std::map<std::string, std::string>& environment,
                   const std::string& exe_path = "");

// The process environment as a map.
std::map<std::string, std::string> process_environment();

// Parses the text of a .env file. Throws config_error on a malformed line (naming its number).
std::map<std::string, std::string> parse_env_file(const std::string& text);

// One line per setting that works but is unsafe, for a warning at start: an upstream URL
// (Telegram, Nocturna, chart service, OpenRouter) in plain http:// to a host other than loopback.
std::vector<std::string> config_warnings(const config& c);

// The host of `url` when it is plain http:// to somewhere other than loopback; nullopt for
// https://, loopback and anything that is not an http(s) URL.
std::optional<std::string> plain_http_host_off_loopback(std::string_view url);

// True for localhost, 127.x.y.z and ::1 (with or without brackets).
bool is_loopback_host(std::string_view host);

// Every non-empty secret of `c`, for log redaction: the bot token, the webhook secret, the
// Nocturna service token, the OpenRouter and chart-service keys, and the password inside
// DATABASE_URL (userinfo or a `password=` parameter).
std::vector<std::string> secrets_of(const config& c);

}  // namespace nocturna
