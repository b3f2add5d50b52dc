#include "app/token_commands.hpp"

#include <fmt/format.h>
#include <simdjson.h>
#include <termios.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <optional>

#include "app/options.hpp"
#include "clients/logging.hpp"
#include "clients/nocturna/nocturna_client.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/jwt.hpp"

namespace nocturna {
namespace {

using remote::http_request;
using remote::nocturna_client;
using remote::reply;

constexpr const char* usage_text =
    "usage: nocturna-bot token create API_URL EMAIL [DAYS]   (password: NOCTURNA_PASSWORD or "
    "stdin)\n"
    "       nocturna-bot token check\n";
constexpr int default_days = 30;
constexpr int max_days = 3650;

std::string form_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::optional<int> parse_days(const std::string& s) {
  try {
    std::size_t used = 0;
    const int v = std::stoi(s, &used);
    if (used != s.size() || v < 1 || v > max_days) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

// A failure line for the operator: class, status and the (redacted) start of the answer.
std::string describe(const remote::call_error& e) {
  return redact(fmt::format("{}{} {}", remote::error_class_name(e.cls),
                            e.http_status ? fmt::format(" HTTP {}", e.http_status) : "", e.detail));
}

std::string string_field(const std::string& json, std::string_view key) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(json).at_key(key).get(e)) return {};
  std::string_view s;
  if (!e.get(s)) return std::string(s);
  std::int64_t i;
  if (!e.get(i)) return std::to_string(i);
  return {};
}

std::unique_ptr<nocturna_client> make_client(const std::string& url, const config& cfg,
                                             std::ostream& err) {
  try {
    return std::make_unique<nocturna_client>(url, nocturna_retry_of(cfg), nullptr);
  } catch (const std::exception& e) {
    err << "token: API URL " << e.what() << "\n";
    return nullptr;
  }
}

// Echo off while the operator types the password on a terminal; restored however we leave.
class echo_off {
 public:
  explicit echo_off(bool active) : active_(active && ::tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~echo_off() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }

 private:
  bool active_;
  termios saved_{};
};

std::optional<std::string> read_password(password_source& source, std::ostream& err) {
  if (source.password_env && !source.password_env->empty()) return source.password_env;
  if (source.in_is_terminal) err << "Password: " << std::flush;
  std::string line;
  {
    echo_off quiet(source.in_is_terminal);
    if (!std::getline(source.in, line)) line.clear();
  }
  if (source.in_is_terminal) err << "\n";
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.empty()) return std::nullopt;
  return line;
}

int create(const std::vector<std::string>& args, const config& cfg, password_source& source,
           std::ostream& out, std::ostream& err) {
  if (args.size() < 3 || args.size() > 4) {
    err << usage_text;
    return 2;
  }
  std::string url = args[1];
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (auto host = plain_http_host_off_loopback(url)) {
    err << "token create: refusing to send the password in clear over http:// to " << *host
        << "; use https:// (plain http:// only to 127.0.0.1 or localhost)\n";
    return 2;
  }
  const auto& email = args[2];
  const auto days = args.size() == 4 ? parse_days(args[3]) : std::optional<int>(default_days);
  if (!days) {
    err << "token create: DAYS must be 1.." << max_days << "\n" << usage_text;
    return 2;
  }
  auto client = make_client(url, cfg, err);
  if (!client) return 2;
  const auto password = read_password(source, err);
  if (!password) {
    err << "token create: no password: set NOCTURNA_PASSWORD or give it on stdin\n";
    return 2;
  }
  add_secret(*password);
  const auto timeout = client->policy().attempt_timeout;

  http_request login;
  login.path = "/auth/login";
  login.content_type = "application/x-www-form-urlencoded";
  login.body = "username=" + form_encode(email) + "&password=" + form_encode(*password);
  const reply logged_in = client->send_once(login, timeout);
  if (!logged_in.ok) {
    err << "token create: login failed: " << describe(logged_in.error) << "\n";
    return 1;
  }
  const auto admin_token = string_field(logged_in.payload, "access_token");
  if (admin_token.empty()) {
    err << "token create: login answer has no access_token\n";
    return 1;
  }
  add_secret(admin_token);

  http_request make;
  make.path = "/auth/admin/service-tokens";
  make.bearer = admin_token;
  make.body =
      json::object().add("days", *days).add("scope", "calculations").add("eternal", false).str();
  const reply made = client->send_once(make, timeout);
  if (!made.ok) {
    err << "token create: creating the service token failed: " << describe(made.error) << "\n";
    return 1;
  }
  const auto token = string_field(made.payload, "service_token");
  if (token.empty()) {
    err << "token create: answer has no service_token\n";
    return 1;
  }
  auto expires_at = string_field(made.payload, "expires_at");
  if (expires_at.empty()) {
    if (auto c = jwt::decode(token); c && c->exp) expires_at = jwt::format_utc(*c->exp);
  }
  const auto token_id = string_field(made.payload, "token_id");
  const auto scope = string_field(made.payload, "scope");
  const auto in_days = string_field(made.payload, "expires_in_days");

  out << "NOCTURNA_SERVICE_TOKEN=" << token << "\n";
  out << "expires_at: " << (expires_at.empty() ? "unknown" : expires_at);
  if (!in_days.empty()) out << " (" << in_days << " days)";
  out << "\n";
  if (!token_id.empty()) out << "token_id: " << token_id << "\n";
  if (!scope.empty()) out << "scope: " << scope << "\n";
  out << "Put the first line into .env and restart the bot.\n";
  return 0;
}

// Whether the API accepts the service token: /auth/me with it, and if that says 401 and the
// exchange is enabled, /auth/me with an exchanged access token (a server may accept service
// tokens only through the exchange, §7.8).
bool token_accepted(nocturna_client& client, const config& cfg, std::ostream& out,
                    std::ostream& err) {
  const auto timeout = client.policy().attempt_timeout;
  http_request me;
  me.method = "GET";
  me.path = "/auth/me";
  me.bearer = cfg.nocturna_service_token;
  auto r = client.send_once(me, timeout);
  if (!r.ok && r.error.http_status == 401 && cfg.nocturna_refresh_on_401) {
    remote::access_grant grant;
    remote::call_error why;
    if (client.exchange(cfg.nocturna_service_token, timeout, grant, why)) {
      me.bearer = grant.token;
      r = client.send_once(me, timeout);
      if (r.ok) out << "api auth: service token accepted (through the token exchange)\n";
    }
  } else if (r.ok) {
    out << "api auth: service token accepted\n";
  }
  if (r.ok) {
    const auto who = string_field(r.payload, "email");
    if (!who.empty()) out << "api user: " << who << "\n";
    return true;
  }
  if (r.error.cls == remote::error_class::auth)
    err << "api auth: service token REJECTED: " << describe(r.error) << "\n";
  else
    err << "api auth: check failed: " << describe(r.error) << "\n";
  return false;
}

int check(const std::vector<std::string>& args, const config& cfg, std::ostream& out,
          std::ostream& err) {
  if (args.size() != 1) {
    err << usage_text;
    return 2;
  }
  const auto& token = cfg.nocturna_service_token;
  if (token.empty()) {
    err << "token check: NOCTURNA_SERVICE_TOKEN is not set\n";
    return 2;
  }
  add_secret(token);
  int code = 0;
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  const auto st = jwt::classify(token, now);
  switch (st.state) {
    case jwt::token_state::not_jwt:
      out << "token: not a JWT, its expiry cannot be read\n";
      break;
    case jwt::token_state::no_expiry:
      out << "token: JWT without expiry\n";
      break;
    case jwt::token_state::expired:
      out << "token: EXPIRED at " << jwt::format_utc(*st.token_claims.exp) << "\n";
      out << "days left: 0\n";
      code = 1;
      break;
    case jwt::token_state::expiring_soon:
    case jwt::token_state::fine:
      out << "token: valid until " << jwt::format_utc(*st.token_claims.exp) << "\n";
      out << "days left: " << st.seconds_left / 86400 << " ("
          << jwt::format_days_hours(st.seconds_left) << ")\n";
      if (st.state == jwt::token_state::expiring_soon)
        out << "warning: expires within 7 days: create a new one with `nocturna-bot token "
               "create`\n";
      break;
  }
  if (!st.token_claims.token_id.empty()) out << "token_id: " << st.token_claims.token_id << "\n";
  if (!st.token_claims.scope.empty()) out << "scope: " << st.token_claims.scope << "\n";

  if (cfg.nocturna_api_url.empty()) {
    err << "token check: NOCTURNA_API_URL is not set, the API was not asked\n";
    return code ? code : 2;
  }
  auto client = make_client(cfg.nocturna_api_url, cfg, err);
  if (!client) return 2;

  http_request health;
  health.method = "GET";
  health.path = "/health";
  const auto h = client->send_once(health, client->policy().attempt_timeout);
  if (h.ok) {
    const auto status = string_field(h.payload, "status");
    out << "api health: " << (status.empty() ? "answered" : status) << "\n";
  } else {
    err << "api health: failed: " << describe(h.error) << "\n";
    code = 1;
  }
  if (!token_accepted(*client, cfg, out, err)) code = 1;
  return code;
}

}  // namespace

int token_main(const std::vector<std::string>& args, const config& cfg) {
  std::optional<std::string> from_env;
  if (const char* p = std::getenv("NOCTURNA_PASSWORD")) from_env = p;
  return token_main(args, cfg, password_source{from_env, std::cin, ::isatty(STDIN_FILENO) == 1},
                    std::cout, std::cerr);
}

int token_main(const std::vector<std::string>& args, const config& cfg, password_source password,
               std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "create") return create(args, cfg, password, out, err);
  if (!args.empty() && args[0] == "check") return check(args, cfg, out, err);
  err << usage_text;
  return 2;
}

}  // namespace nocturna
