// Redacting spdlog set-up (see logging.hpp).
#include "clients/logging.hpp"

#include <fcntl.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "clients/log_format.hpp"

namespace nocturna {
namespace {

constexpr const char* log_pattern = "[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] [%n] %v";
constexpr const char* default_logger_name = "main";
constexpr const char* log_file_name = "nocturna-bot.log";
constexpr std::size_t log_file_size = 5 * 1024 * 1024;
constexpr std::size_t log_files = 3;
constexpr std::string_view mask = "***";

// Characters that end a `/bot<…>` segment.
bool ends_segment(char c) {
  auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f || c == '/' || c == '?' || c == '#' || c == '&' || c == '"' ||
         c == '\'' || c == '<' || c == '>' || c == '\\' || c == ',' || c == ';' || c == ')';
}

bool is_bot_prefix(std::string_view text, std::size_t i) {
  return i + 4 <= text.size() && text[i] == '/' &&
         std::tolower(static_cast<unsigned char>(text[i + 1])) == 'b' &&
         std::tolower(static_cast<unsigned char>(text[i + 2])) == 'o' &&
         std::tolower(static_cast<unsigned char>(text[i + 3])) == 't';
}

// `/bot<segment>/` → `/bot***/`; a token-shaped `/bot<id>:<key>` at the end of a URL too.
std::string mask_bot_segments(std::string text) {
  for (std::size_t i = text.find('/'); i != std::string::npos; i = text.find('/', i + 1)) {
    if (!is_bot_prefix(text, i)) continue;
    std::size_t begin = i + 4;
    std::size_t end = begin;
    while (end < text.size() && !ends_segment(text[end])) ++end;
    if (end == begin) continue;
    std::string_view segment(text.data() + begin, end - begin);
    if (segment == mask) continue;
    bool closed = end < text.size() && text[end] == '/';
    if (closed || segment.find(':') != std::string_view::npos) {
      text.replace(begin, end - begin, mask);
      i = begin + mask.size() - 1;
    }
  }
  return text;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0xF];
    }
  }
  return out;
}

std::string escape_line_breaks(std::string_view s) {
  if (s.find_first_of("\r\n") == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

constexpr std::size_t min_secret_length = 4;

// How many values of one rotating secret stay masked: the current one and the one before it,
// which requests already under way may still carry.
constexpr std::size_t rotating_kept = 2;

std::string_view trim_blank(std::string_view t) {
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.remove_suffix(1);
  return t;
}

class secret_registry {
 public:
  void add(std::string secret) {
    std::string_view t = trim_blank(secret);
    // Masking a secret of one to three characters would mangle every log line that happens to
    // contain them and protect nothing a guess would not find.
    if (t.size() < min_secret_length) return;
    std::unique_lock lock(mutex_);
    if (std::find(fixed_.begin(), fixed_.end(), t) == fixed_.end()) fixed_.emplace_back(t);
    rebuild();
  }

  // A secret replaced from time to time (an exchanged access token): only the last
  // rotating_kept values of `slot` are masked, so the list does not grow with every exchange.
  void rotate(const std::string& slot, std::string secret) {
    std::string_view t = trim_blank(secret);
    if (t.size() < min_secret_length) return;
    std::unique_lock lock(mutex_);
    auto& values = rotating_[slot];
    if (std::find(values.begin(), values.end(), t) != values.end()) return;
    values.emplace_back(t);
    while (values.size() > rotating_kept) values.erase(values.begin());
    rebuild();
  }

  std::size_t size() const {
    std::shared_lock lock(mutex_);
    return secrets_.size();
  }

  std::string apply(std::string_view text) const {
    std::string out(text);
    {
      std::shared_lock lock(mutex_);
      for (const auto& s : secrets_) {
        for (std::size_t pos = out.find(s); pos != std::string::npos;
             pos = out.find(s, pos + mask.size())) {
          out.replace(pos, s.size(), mask);
        }
      }
    }
    if (out.find('/') == std::string::npos) return out;  // fast path: no URL path at all
    return mask_bot_segments(std::move(out));
  }

 private:
  // Every live secret and its percent-encoded form, longest first so that a secret containing
  // another one is masked whole. Under the unique lock.
  void rebuild() {
    std::vector<std::string> all;
    auto insert = [&all](std::string s) {
      if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(std::move(s));
    };
    auto both = [&insert](const std::string& s) {
      insert(s);
      insert(percent_encode(s));
    };
    for (const auto& s : fixed_) both(s);
    for (const auto& [slot, values] : rotating_)
      for (const auto& s : values) both(s);
    std::sort(all.begin(), all.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    secrets_ = std::move(all);
  }

  mutable std::shared_mutex mutex_;
  std::vector<std::string> fixed_;
  std::map<std::string, std::vector<std::string>> rotating_;
  std::vector<std::string> secrets_;
};

// One sink in front of the real ones: redacts and escapes each message, then fans it out. The
// real sinks keep their own fixed pattern; pattern/formatter changes from loggers are ignored.
class redacting_sink final : public spdlog::sinks::sink {
 public:
  explicit redacting_sink(const secret_registry& secrets) : secrets_(secrets) {}

  void log(const spdlog::details::log_msg& msg) override {
    std::string_view payload(msg.payload.data(), msg.payload.size());
    std::string text = escape_line_breaks(secrets_.apply(payload));
    spdlog::details::log_msg copy(msg);
    copy.payload = spdlog::string_view_t(text.data(), text.size());
    std::lock_guard lock(mutex_);
    for (auto& s : children_) {
      if (s->should_log(msg.level)) s->log(copy);
    }
  }

  void flush() override {
    std::lock_guard lock(mutex_);
    for (auto& s : children_) s->flush();
  }

  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}

  void set_children(std::vector<spdlog::sink_ptr> children) {
    std::lock_guard lock(mutex_);
    for (auto& s : children_) s->flush();
    children_ = std::move(children);
  }

 private:
  const secret_registry& secrets_;
  std::mutex mutex_;
  std::vector<spdlog::sink_ptr> children_;
};

std::atomic<bool> json_lines{false};  // LOG_FORMAT=json

// The line format of a real sink: the text pattern, or one JSON object per line.
void apply_format(spdlog::sinks::sink& sink) {
  if (json_lines)
    sink.set_formatter(make_json_formatter());
  else
    sink.set_pattern(log_pattern);
}

spdlog::sink_ptr make_console_sink() {
  auto console = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  apply_format(*console);
  return console;
}

struct logging_state {
  secret_registry secrets;
  std::shared_ptr<redacting_sink> sink = std::make_shared<redacting_sink>(secrets);
  std::mutex loggers_mutex;

  logging_state() {
    sink->set_children({make_console_sink()});
    auto main_logger = std::make_shared<spdlog::logger>(default_logger_name, sink);
    main_logger->set_level(spdlog::level::info);
    spdlog::set_level(spdlog::level::info);
    spdlog::set_default_logger(main_logger);
  }
};

// Never destroyed: loggers may still be used while static objects are torn down.
logging_state& state() {
  static logging_state* s = new logging_state();
  return *s;
}

// Installs the redacting default logger at start-up, before main() logs anything.
const bool installed = (state(), true);

// Each log file (the first and every one rotation opens) is created 0600 before spdlog opens
// it, and set to 0600 once open in case it already existed with a wider mode.
spdlog::file_event_handlers owner_only_files() {
  spdlog::file_event_handlers h;
  h.before_open = [](const spdlog::filename_t& name) {
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
  };
  h.after_open = [](const spdlog::filename_t&, std::FILE* f) { ::fchmod(::fileno(f), 0600); };
  return h;
}

spdlog::level::level_enum parse_level(const std::string& level) {
  std::string w = level;
  for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (w == "trace") return spdlog::level::trace;
  if (w == "debug") return spdlog::level::debug;
  if (w == "info") return spdlog::level::info;
  if (w == "warn" || w == "warning") return spdlog::level::warn;
  if (w == "error" || w == "err") return spdlog::level::err;
  if (w == "critical") return spdlog::level::critical;
  if (w == "off") return spdlog::level::off;
  throw std::invalid_argument("LOG_LEVEL: unknown level \"" + redact(level) + "\"");
}

}  // namespace

void init_logging(const std::string& level, const std::string& log_dir,
                  std::vector<std::string> secrets) {
  auto& st = state();
  (void)installed;
  for (auto& s : secrets) st.secrets.add(std::move(s));
  const auto lvl = parse_level(level);

  std::vector<spdlog::sink_ptr> children{make_console_sink()};
  if (!log_dir.empty()) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(log_dir, ec);
    if (ec) {
      throw std::runtime_error("LOG_DIR: cannot create directory \"" + log_dir +
                               "\": " + ec.message());
    }
    // The log names chats and users: owner only, whatever the umask (a directory we do not own,
    // e.g. one an operator shares on purpose, keeps its mode).
    fs::permissions(log_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    try {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          (fs::path(log_dir) / log_file_name).string(), log_file_size, log_files, false,
          owner_only_files());
      apply_format(*file);
      children.push_back(std::move(file));
    } catch (const spdlog::spdlog_ex& e) {
      throw std::runtime_error(std::string("LOG_DIR: cannot open the log file: ") + e.what());
    }
  }
  st.sink->set_children(std::move(children));
  spdlog::set_level(lvl);
  spdlog::flush_on(spdlog::level::warn);
  spdlog::flush_every(std::chrono::seconds(1));
}

void set_log_format(const std::string& format) {
  if (format != "text" && format != "json")
    throw std::invalid_argument("LOG_FORMAT: expected text or json");
  json_lines = format == "json";
}

std::string redact(std::string_view text) {
  return state().secrets.apply(text);
}

void add_secret(std::string secret) {
  state().secrets.add(std::move(secret));
}

void add_rotating_secret(const std::string& slot, std::string secret) {
  state().secrets.rotate(slot, std::move(secret));
}

std::size_t masked_secret_count() {
  return state().secrets.size();
}

void flush_logs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& l) { l->flush(); });
  state().sink->flush();
}

std::shared_ptr<spdlog::logger> get_logger(const std::string& name) {
  auto& st = state();
  std::lock_guard lock(st.loggers_mutex);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = std::make_shared<spdlog::logger>(name, st.sink);
  spdlog::initialize_logger(logger);  // registers it and applies the global level
  return logger;
}

}  // namespace nocturna
