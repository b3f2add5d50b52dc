// Configuration: `.env` parsing, environment overlay, validation (see config.hpp).
#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <system_error>
#include <utility>

#include "clients/store/database_url.hpp"
#include "protocol/url.hpp"

extern char** environ;

namespace nocturna {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view official_bot_api_url = "https://api.telegram.org";
constexpr std::string_view zoneinfo_dir = "/usr/share/zoneinfo/";
// Telegram accepts 1-256 characters; fewer than 32 can be guessed by an attacker who may try as
// often as they like (docs/deployment.md, "Webhook").
constexpr std::size_t min_webhook_secret_length = 32;
constexpr std::size_t max_webhook_secret_length = 256;

// Variables whose values must never appear in an error message.
constexpr std::string_view secret_variables[] = {
    "TELEGRAM_BOT_TOKEN", "WEBHOOK_SECRET",        "NOCTURNA_SERVICE_TOKEN",
    "OPENROUTER_API_KEY", "CHART_SERVICE_API_KEY", "NOCTURNA_IMAGE_SERVICE_TOKEN",
    "DATABASE_URL",
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string trim(std::string_view s) {
  return std::string(trim_view(s));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool has_space_or_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

bool is_key(std::string_view key) {
  if (key.empty()) return false;
  auto first = static_cast<unsigned char>(key.front());
  if (!(std::isalpha(first) || key.front() == '_')) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

[[noreturn]] void fail(std::string_view variable, std::string_view what) {
  throw config_error(std::string(variable) + ": " + std::string(what));
}

// ---------------------------------------------------------------------------------------------
// .env parsing

// Parses the value part of one line (after `=`), handling quotes and inline comments.
std::string parse_value(std::string_view raw, const std::string& where) {
  std::string_view v = trim_view(raw);
  if (v.empty()) return {};
  char q = v.front();
  if (q == '"' || q == '\'') {
    std::string out;
    size_t i = 1;
    bool closed = false;
    for (; i < v.size(); ++i) {
      char c = v[i];
      if (c == q) {
        closed = true;
        ++i;
        break;
      }
      if (q == '"' && c == '\\' && i + 1 < v.size()) {
        char n = v[i + 1];
        if (n == '"' || n == '\\') {
          out += n;
          ++i;
          continue;
        }
        if (n == 'n') {
          out += '\n';
          ++i;
          continue;
        }
        if (n == 't') {
          out += '\t';
          ++i;
          continue;
        }
      }
      out += c;
    }
    if (!closed) throw config_error(where + ": unterminated quoted value");
    std::string_view rest = trim_view(v.substr(i));
    if (!rest.empty() && rest.front() != '#') {
      throw config_error(where + ": unexpected text after the closing quote");
    }
    return out;
  }
  // Unquoted: ` #` starts a comment; a `#` inside a word is kept.
  for (size_t i = 1; i < v.size(); ++i) {
    if (v[i] == '#' && is_space(v[i - 1])) {
      v = v.substr(0, i);
      break;
    }
  }
  return trim(v);
}

std::map<std::string, std::string> parse_env_text(const std::string& text,
                                                  const std::string& label) {
  std::map<std::string, std::string> out;
  std::string_view all(text);
  if (all.substr(0, 3) == "\xEF\xBB\xBF") all.remove_prefix(3);  // UTF-8 BOM
  size_t line_no = 0;
  for (size_t start = 0; start <= all.size();) {
    ++line_no;
    size_t nl = all.find('\n', start);
    if (nl == std::string_view::npos) nl = all.size();
    std::string_view t = trim_view(all.substr(start, nl - start));
    start = nl + 1;
    const std::string where = label + " line " + std::to_string(line_no);
    if (t.empty() || t.front() == '#') continue;
    if (t.substr(0, 7) == "export " || t.substr(0, 7) == "export\t") t = trim_view(t.substr(7));
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) throw config_error(where + ": expected KEY=VALUE");
    std::string key = trim(t.substr(0, eq));
    if (!is_key(key)) throw config_error(where + ": invalid variable name (expected KEY=VALUE)");
    out[key] = parse_value(t.substr(eq + 1), where + " (" + key + ")");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URLs

struct http_url {
  std::string scheme;  // lower-case: http | https
  std::string host;
  std::optional<int> port;
  bool has_query_or_fragment = false;
};

std::optional<http_url> parse_http_url(std::string_view u) {
  if (u.empty() || has_space_or_control(u)) return std::nullopt;
  const auto parts = split_url(u);
  if (!parts) return std::nullopt;
  http_url p;
  p.scheme = lower(parts->scheme);
  if (p.scheme != "http" && p.scheme != "https") return std::nullopt;
  std::string_view authority = parts->authority;
  p.has_query_or_fragment = parts->rest.find_first_of("?#") != std::string_view::npos;
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      has_port = true;
      port = after.substr(1);
    }
    for (char c : host.substr(1, host.size() - 2)) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) {
        return std::nullopt;
      }
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      has_port = true;
      port = authority.substr(colon + 1);
    }
    for (char c : host) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '%' || static_cast<unsigned char>(c) >= 0x80)) {
        return std::nullopt;
      }
    }
  }
  if (host.empty()) return std::nullopt;
  p.host = std::string(host);
  if (has_port) {
    if (port.empty() || port.size() > 5) return std::nullopt;
    int n = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc{} || ptr != port.data() + port.size() || n < 0 || n > 65535) {
      return std::nullopt;
    }
    p.port = n;
  }
  return p;
}

std::string strip_trailing_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Typed access to the merged variables

class reader {
 public:
  explicit reader(std::map<std::string, std::string> vars) : vars_(std::move(vars)) {
    for (auto name : secret_variables) {
      if (auto v = get(std::string(name))) secrets_.push_back(*v);
    }
  }

  // The trimmed value, or nullopt when the variable is unset or blank.
  std::optional<std::string> get(const std::string& name) const {
    auto it = vars_.find(name);
    if (it == vars_.end()) return std::nullopt;
    std::string v = trim(it->second);
    if (v.empty()) return std::nullopt;
    return v;
  }

  std::string str(const std::string& name, const std::string& fallback) const {
    return get(name).value_or(fallback);
  }

  // A non-secret value quoted for an error message: one line, at most 64 characters, and with
  // any secret that happens to be inside it masked.
  std::string shown(std::string v) const {
    for (const auto& s : secrets_) {
      for (size_t pos = v.find(s); pos != std::string::npos; pos = v.find(s, pos + 3)) {
        v.replace(pos, s.size(), "***");
      }
    }
    std::string out = "\"";
    size_t n = 0;
    for (char c : v) {
      if (++n > 64) {
        out += "...";
        break;
      }
      auto u = static_cast<unsigned char>(c);
      out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    return out + "\"";
  }

  int integer(const std::string& name, int fallback, long long lo, long long hi) const {
    auto v = get(name);
    if (!v) return fallback;
    std::string_view s = *v;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    long long n = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    const std::string range = "from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (s.empty() || ptr != s.data() + s.size() || ec == std::errc::invalid_argument) {
      fail(name, "expected an integer " + range + ", got " + shown(*v));
    }
    if (ec == std::errc::result_out_of_range || n < lo || n > hi) {
      fail(name, "must be " + range + ", got " + shown(*v));
    }
    return static_cast<int>(n);
  }

  double real(const std::string& name, double fallback, double lo, double hi) const {
    auto v = get(name);
    if (!v) return fallback;
    std::string_view s = *v;
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double d = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    std::ostringstream range;
    range << "from " << lo << " to " << hi;
    if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || !std::isfinite(d)) {
      fail(name, "expected a decimal number " + range.str() + ", got " + shown(*v));
    }
    if (d < lo || d > hi) fail(name, "must be " + range.str() + ", got " + shown(*v));
    return d;
  }

  // true/false, 1/0, yes/no, on/off (case-insensitive).
  bool boolean(const std::string& name, bool fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    std::string w = lower(*v);
    if (w == "true" || w == "1" || w == "yes" || w == "on") return true;
    if (w == "false" || w == "0" || w == "no" || w == "off") return false;
    fail(name, "expected true/false, 1/0, yes/no or on/off, got " + shown(*v));
  }

  // on/off only (case-insensitive).
  bool on_off(const std::string& name, bool fallback) const {
    auto v = get(name);
    if (!v) return fallback;
    std::string w = lower(*v);
    if (w == "on") return true;
    if (w == "off") return false;
    fail(name, "expected on or off, got " + shown(*v));
  }

  // An http(s) URL with a host; `base` URLs (something is appended to them) may not carry a
  // query or fragment. Returns the URL without trailing slashes, or "" when unset. The value is
  // never echoed: a URL may carry credentials.
  // `port_zero`: port 0 stands for a port bound at start (WEBHOOK_URL with WEBHOOK_PORT=0).
  std::string url(const std::string& name, const std::string& fallback, bool base,
                  bool port_zero = false) const {
    auto v = get(name);
    std::string u = v.value_or(fallback);
    if (u.empty()) return u;
    auto p = parse_http_url(u);
    if (!p || (p->port == 0 && !port_zero))
      fail(name, "must be an http:// or https:// URL with a host");
    if (base && p->has_query_or_fragment) {
      fail(name, "must be a base URL without a query (?) or fragment (#)");
    }
    return strip_trailing_slashes(u);
  }

  std::string host(const std::string& name, const std::string& fallback) const {
    std::string h = str(name, fallback);
    if (has_space_or_control(h)) fail(name, "must be a host name or address, got " + shown(h));
    return h;
  }

  // A secret: may not contain whitespace or control characters (its value is never echoed).
  std::string secret(const std::string& name) const {
    std::string s = str(name, "");
    if (has_space_or_control(s)) fail(name, "must not contain spaces or control characters");
    return s;
  }

 private:
  std::map<std::string, std::string> vars_;
  std::vector<std::string> secrets_;
};

std::string normalise_log_level(const reader& r) {
  const std::string name = "LOG_LEVEL";
  auto v = r.get(name);
  if (!v) return "info";
  std::string w = lower(*v);
  if (w == "trace" || w == "debug" || w == "info" || w == "warn" || w == "error" ||
      w == "critical" || w == "off") {
    return w;
  }
  if (w == "warning") return "warn";
  if (w == "err") return "error";
  fail(name,
       "expected trace, debug, info, warn|warning, error|err, critical or off, got " + r.shown(*v));
}

bool is_tzif_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && std::string_view(magic, 4) == "TZif";
}

bool valid_timezone(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  if (name.find("..") != std::string::npos || name.find("//") != std::string::npos) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
          c == '+')) {
      return false;
    }
  }
  return is_tzif_file(fs::path(std::string(zoneinfo_dir) + name));
}

std::string resolve_share_dir(const reader& r, const std::string& exe_path) {
  const std::string name = "NOCTURNA_SHARE_DIR";
  std::error_code ec;
  if (auto v = r.get(name)) {
    if (!fs::is_directory(*v, ec)) fail(name, "not a directory: " + r.shown(*v));
    return *v;
  }
  if (!exe_path.empty()) {
    fs::path candidate = fs::path(exe_path).parent_path() / ".." / "share";
    if (fs::is_directory(candidate, ec)) {
      return fs::absolute(candidate, ec).lexically_normal().string();
    }
  }
  if (fs::is_directory("share", ec)) return fs::absolute("share", ec).lexically_normal().string();
#ifdef NOCTURNA_SOURCE_SHARE_DIR
  return NOCTURNA_SOURCE_SHARE_DIR;
#else
  return "./share";
#endif
}

bool valid_webhook_secret(const std::string& s) {
  if (s.size() < min_webhook_secret_length || s.size() > max_webhook_secret_length) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

void check_ports_differ(std::string_view a_name, int a, std::string_view b_name, int b) {
  if (a != 0 && a == b) {
    throw config_error(std::string(a_name) + " and " + std::string(b_name) +
                       ": must differ (both are " + std::to_string(a) + ")");
  }
}

}  // namespace

std::map<std::string, std::string> parse_env_file(const std::string& text) {
  return parse_env_text(text, ".env");
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return out;
}

config load_config(const std::optional<std::string>& env_file,
                   const std::map<std::string, std::string>& environment,
                   const std::string& exe_path) {
  std::map<std::string, std::string> vars;
  if (env_file && !env_file->empty()) {
    std::error_code ec;
    fs::path path(*env_file);
    if (fs::exists(path, ec)) {
      if (fs::is_directory(path, ec)) throw config_error(*env_file + ": is a directory");
      std::ifstream in(path, std::ios::binary);
      if (!in) throw config_error(*env_file + ": cannot be read");
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      vars = parse_env_text(text, *env_file);
    }
  }
  for (const auto& [k, v] : environment) vars[k] = v;  // the environment wins
  const reader r(std::move(vars));
  config c;

  // Telegram transport
  c.telegram_bot_token = r.secret("TELEGRAM_BOT_TOKEN");
  if (c.telegram_bot_token.find_first_of("/?#%") != std::string::npos) {
    fail("TELEGRAM_BOT_TOKEN", "must not contain '/', '?', '#' or '%'");
  }
  c.telegram_bot_username = r.str("TELEGRAM_BOT_USERNAME", "");
  if (!c.telegram_bot_username.empty() && c.telegram_bot_username.front() == '@') {
    c.telegram_bot_username.erase(0, 1);
  }
  if (!std::all_of(c.telegram_bot_username.begin(), c.telegram_bot_username.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
      })) {
    fail("TELEGRAM_BOT_USERNAME",
         "expected letters, digits and '_', got " + r.shown(c.telegram_bot_username));
  }
  c.telegram_api_url = r.url("TELEGRAM_API_URL", c.telegram_api_url, true);
  c.telegram_ca_file = r.str("TELEGRAM_CA_FILE", "");
  if (!c.telegram_ca_file.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(c.telegram_ca_file, ec))
      fail("TELEGRAM_CA_FILE", "no such file: " + r.shown(c.telegram_ca_file));
  }
  if (auto mode = r.get("BOT_MODE")) {
    auto parsed = parse_bot_mode(lower(*mode));
    if (!parsed) fail("BOT_MODE", "expected polling or webhook, got " + r.shown(*mode));
    c.bot_mode = *parsed;
  }
  c.poll_timeout_s = r.integer("POLL_TIMEOUT", c.poll_timeout_s, 1, 50);
  c.telegram_drop_pending = r.boolean("TELEGRAM_DROP_PENDING", c.telegram_drop_pending);
  c.telegram_rate_limits = r.on_off("TELEGRAM_RATE_LIMITS", c.telegram_rate_limits);
  c.telegram_connections = r.integer("TELEGRAM_CONNECTIONS", c.telegram_connections, 1, 256);
  c.telegram_max_idle_ms = r.integer("TELEGRAM_MAX_IDLE_MS", c.telegram_max_idle_ms, 100, 3600000);
  c.chat_backlog_limit = r.integer("CHAT_BACKLOG_LIMIT", c.chat_backlog_limit, 0, 1000000);

  // Webhook
  c.webhook_url = r.url("WEBHOOK_URL", "", true, true);
  c.webhook_path = r.str("WEBHOOK_PATH", c.webhook_path);
  if (c.webhook_path.front() != '/' || has_space_or_control(c.webhook_path) ||
      c.webhook_path.find_first_of("?#") != std::string::npos) {
    fail("WEBHOOK_PATH",
         "must start with '/' and contain no spaces, '?' or '#', got " + r.shown(c.webhook_path));
  }
  c.webhook_host = r.host("WEBHOOK_HOST", c.webhook_host);
  c.webhook_port = r.integer("WEBHOOK_PORT", c.webhook_port, 0, 65535);
  c.webhook_secret = r.str("WEBHOOK_SECRET", "");
  if (!c.webhook_secret.empty() && !valid_webhook_secret(c.webhook_secret)) {
    fail("WEBHOOK_SECRET",
         "must be 32-256 characters of A-Z a-z 0-9 _ - (generate one with: "
         "openssl rand -hex 32)");
  }
  c.webhook_max_connections =
      r.integer("WEBHOOK_MAX_CONNECTIONS", c.webhook_max_connections, 1, 100);

  // Local servers
  c.health_host = r.host("HEALTH_HOST", c.health_host);
  c.health_port = r.integer("HEALTH_PORT", c.health_port, 0, 65535);
  c.sandbox_port = r.integer("SANDBOX_PORT", c.sandbox_port, 0, 65535);

  // Storage, logs, assets
  c.data_dir = r.str("DATA_DIR", c.data_dir);
  c.log_dir = r.str("LOG_DIR", c.log_dir);
  c.log_level = normalise_log_level(r);
  if (auto format = r.get("LOG_FORMAT")) {
    c.log_format = lower(*format);
    if (c.log_format != "text" && c.log_format != "json")
      fail("LOG_FORMAT", "expected text or json, got " + r.shown(*format));
  }
  c.fault_injection = r.on_off("FAULT_INJECTION", c.fault_injection);
  c.database_url = r.str("DATABASE_URL", "");
  if (!c.database_url.empty()) {
    std::string_view db = c.database_url;
    if (!store::is_postgres_url(db) || has_space_or_control(db)) {
      fail("DATABASE_URL", "must be empty (SQLite in DATA_DIR) or a postgresql:// URL");
    }
  }
  c.share_dir = resolve_share_dir(r, exe_path);

  // Product
  c.timezone = r.str("TIMEZONE", c.timezone);
  if (!valid_timezone(c.timezone)) {
    fail("TIMEZONE", "not a valid IANA time zone name: " + r.shown(c.timezone));
  }
  c.sky_place_name = r.str("SKY_PLACE_NAME", c.sky_place_name);
  if (std::any_of(c.sky_place_name.begin(), c.sky_place_name.end(), [](char ch) {
        auto u = static_cast<unsigned char>(ch);
        return u < 0x20 || u == 0x7f;
      })) {
    fail("SKY_PLACE_NAME", "must not contain control characters");
  }
  c.sky_latitude = r.real("SKY_LATITUDE", c.sky_latitude, -90.0, 90.0);
  c.sky_longitude = r.real("SKY_LONGITUDE", c.sky_longitude, -180.0, 180.0);
  c.dialogue_ttl_minutes = r.integer("DIALOGUE_TTL_MINUTES", c.dialogue_ttl_minutes, 1, 10080);
  c.llm_daily_limit = r.integer("LLM_DAILY_LIMIT", c.llm_daily_limit, 0, 100000);

  // Calculations backend
  c.nocturna_api_url = r.url("NOCTURNA_API_URL", "", true);
  c.nocturna_service_token = r.secret("NOCTURNA_SERVICE_TOKEN");
  c.nocturna_timeout_s = r.integer("NOCTURNA_TIMEOUT", c.nocturna_timeout_s, 1, 60);
  c.nocturna_max_retries = r.integer("NOCTURNA_MAX_RETRIES", c.nocturna_max_retries, 0, 10);
  c.nocturna_refresh_on_401 = r.boolean("NOCTURNA_REFRESH_ON_401", c.nocturna_refresh_on_401);
  c.nocturna_chiron = r.boolean("NOCTURNA_CHIRON", c.nocturna_chiron);

  // LLM
  c.openrouter_api_key = r.secret("OPENROUTER_API_KEY");
  c.openrouter_model = r.str("OPENROUTER_MODEL", c.openrouter_model);
  if (has_space_or_control(c.openrouter_model)) {
    fail("OPENROUTER_MODEL",
         "must be a model id without spaces, got " + r.shown(c.openrouter_model));
  }
  c.openrouter_base_url = r.url("OPENROUTER_BASE_URL", c.openrouter_base_url, true);
  c.openrouter_timeout_s = r.integer("OPENROUTER_TIMEOUT", c.openrouter_timeout_s, 1, 600);
  c.llm_max_concurrency = r.integer("LLM_MAX_CONCURRENCY", c.llm_max_concurrency, 1, 64);
  c.openrouter_app_url = r.url("OPENROUTER_APP_URL", "", false);
  c.openrouter_app_title = r.str("OPENROUTER_APP_TITLE", "");
  if (std::any_of(c.openrouter_app_title.begin(), c.openrouter_app_title.end(), [](char ch) {
        auto u = static_cast<unsigned char>(ch);
        return u < 0x20 || u == 0x7f;
      })) {
    fail("OPENROUTER_APP_TITLE", "must not contain control characters");
  }

  // Chart service
  c.chart_service_url = r.url("CHART_SERVICE_URL", "", true);
  c.chart_service_api_key = r.secret("CHART_SERVICE_API_KEY");
  if (c.chart_service_api_key.empty()) {
    c.chart_service_api_key = r.secret("NOCTURNA_IMAGE_SERVICE_TOKEN");
  }
  c.chart_service_timeout_s = r.integer("CHART_SERVICE_TIMEOUT", c.chart_service_timeout_s, 1, 300);

  // Supervision
  c.restart_limit = r.integer("RESTART_LIMIT", c.restart_limit, 0, 1000);
  c.restart_window_s = r.integer("RESTART_WINDOW_S", c.restart_window_s, 1, 86400);
  c.session_idle_s = r.integer("SESSION_IDLE_S", c.session_idle_s, 1, 604800);
  c.instance_lease_s = r.integer("INSTANCE_LEASE_S", c.instance_lease_s, 3, 600);

  // Bounds
  c.intake_backlog_limit = r.integer("INTAKE_BACKLOG_LIMIT", c.intake_backlog_limit, 100, 1000000);
  c.send_queue_limit = r.integer("SEND_QUEUE_LIMIT", c.send_queue_limit, 1000, 10000000);
  c.send_chat_queue_limit = r.integer("SEND_CHAT_QUEUE_LIMIT", c.send_chat_queue_limit, 5, 10000);
  c.broadcast_queue_limit =
      r.integer("BROADCAST_QUEUE_LIMIT", c.broadcast_queue_limit, 100, 10000000);
  c.forecast_queue_limit = r.integer("FORECAST_QUEUE_LIMIT", c.forecast_queue_limit, 100, 10000000);
  c.llm_queue_limit = r.integer("LLM_QUEUE_LIMIT", c.llm_queue_limit, 1, 1000000);
  c.calc_queue_limit = r.integer("CALC_QUEUE_LIMIT", c.calc_queue_limit, 1, 1000000);
  c.render_queue_limit = r.integer("RENDER_QUEUE_LIMIT", c.render_queue_limit, 1, 1000000);

  // Cross-variable rules (docs/telegram.md §4.1, §4.4, §4.5).
  if (c.bot_mode == bot_mode::webhook) {
    if (c.webhook_url.empty()) fail("WEBHOOK_URL", "required when BOT_MODE=webhook");
    if (c.webhook_secret.empty()) {
      fail("WEBHOOK_SECRET",
           "required when BOT_MODE=webhook (generate one with: openssl rand -hex 32)");
    }
  }
  if (!c.webhook_url.empty() && !c.sandbox_embedded() &&
      lower(c.telegram_api_url) == official_bot_api_url) {
    auto p = parse_http_url(c.webhook_url);
    if (p->scheme != "https") {
      fail("WEBHOOK_URL",
           "must be https:// when TELEGRAM_API_URL is " + std::string(official_bot_api_url));
    }
    if (p->port && *p->port != 443 && *p->port != 80 && *p->port != 88 && *p->port != 8443) {
      fail("WEBHOOK_URL", "port must be omitted or one of 443, 80, 88, 8443 (got " +
                              std::to_string(*p->port) + ")");
    }
  }
  if (!c.webhook_url.empty() && parse_http_url(c.webhook_url)->port == 0 && c.webhook_port != 0)
    fail("WEBHOOK_URL", "port 0 (the bound port) needs WEBHOOK_PORT=0");
  check_ports_differ("HEALTH_PORT", c.health_port, "WEBHOOK_PORT", c.webhook_port);
  if (c.sandbox_embedded()) {
    check_ports_differ("HEALTH_PORT", c.health_port, "SANDBOX_PORT", c.sandbox_port);
    check_ports_differ("WEBHOOK_PORT", c.webhook_port, "SANDBOX_PORT", c.sandbox_port);
  }
  return c;
}

bool is_loopback_host(std::string_view host) {
  std::string h = lower(host);
  if (h == "localhost" || h == "[::1]" || h == "::1") return true;
  // 127.0.0.0/8 written as a dotted address.
  if (h.rfind("127.", 0) != 0) return false;
  return std::all_of(h.begin(), h.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) || ch == '.';
  });
}

std::optional<std::string> plain_http_host_off_loopback(std::string_view url) {
  auto p = parse_http_url(url);
  if (!p || p->scheme != "http" || is_loopback_host(p->host)) return std::nullopt;
  return p->host;
}

std::vector<std::string> config_warnings(const config& c) {
  std::vector<std::string> out;
  const std::pair<const char*, const std::string*> upstreams[] = {
      {"TELEGRAM_API_URL", &c.telegram_api_url},
      {"NOCTURNA_API_URL", &c.nocturna_api_url},
      {"CHART_SERVICE_URL", &c.chart_service_url},
      {"OPENROUTER_BASE_URL", &c.openrouter_base_url},
  };
  for (const auto& [name, url] : upstreams) {
    // Tokens and keys go to these services in headers or the path: plain HTTP off this machine
    // hands them to anyone on the way.
    if (auto host = plain_http_host_off_loopback(*url))
      out.push_back(std::string(name) + " is plain http:// to " + *host +
                    ": credentials and user data cross the network unencrypted; use https://");
  }
  return out;
}

std::vector<std::string> secrets_of(const config& c) {
  std::vector<std::string> out;
  auto add = [&out](const std::string& s) {
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  add(c.telegram_bot_token);
  add(c.webhook_secret);
  add(c.nocturna_service_token);
  add(c.openrouter_api_key);
  add(c.chart_service_api_key);
  for (const auto& password : store::database_url_secrets(c.database_url)) add(password);
  return out;
}

}  // namespace nocturna
