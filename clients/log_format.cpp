#include "clients/log_format.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <optional>

#include "protocol/json_writer.hpp"

namespace nocturna {
namespace {

// The integer after `key` (like "chat=") where it starts a word; nothing when absent.
std::optional<std::int64_t> field_number(std::string_view text, std::string_view key) {
  for (auto pos = text.find(key); pos != std::string_view::npos; pos = text.find(key, pos + 1)) {
    if (pos > 0 && !std::isspace(static_cast<unsigned char>(text[pos - 1]))) continue;
    auto i = pos + key.size();
    auto start = i;
    if (i < text.size() && text[i] == '-') ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start || (i == start + 1 && text[start] == '-')) continue;
    try {
      return std::stoll(std::string(text.substr(start, i - start)));
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string word_after(std::string_view text, std::string_view key) {
  auto pos = text.find(key);
  if (pos == std::string_view::npos) return {};
  auto i = pos + key.size();
  auto end = i;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  return std::string(text.substr(i, end - i));
}

// The first word that is no key=value field.
std::string first_plain_word(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    auto end = i;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    auto word = text.substr(i, end - i);
    if (!word.empty() && word.find('=') == std::string_view::npos) {
      std::string out;
      for (char c : word)
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '_')
          out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (!out.empty()) return out;
    }
    i = end;
  }
  return "log";
}

std::string iso_utc(std::int64_t ts_ms) {
  std::time_t secs = static_cast<std::time_t>(ts_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts_ms % 1000);
}

class json_formatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using namespace std::chrono;
    auto ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    auto level = spdlog::level::to_string_view(msg.level);
    auto line = json_log_line(ms, std::string_view(level.data(), level.size()),
                              std::string_view(msg.logger_name.data(), msg.logger_name.size()),
                              std::string_view(msg.payload.data(), msg.payload.size()));
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<json_formatter>();
  }
};

}  // namespace

std::string json_log_line(std::int64_t ts_ms, std::string_view level, std::string_view logger,
                          std::string_view message) {
  std::string actor(logger);
  std::string_view rest = message;
  if (rest.size() > 2 && rest.front() == '[') {
    auto close = rest.find(']');
    if (close != std::string_view::npos && close > 1) {
      actor = std::string(rest.substr(1, close - 1));
      rest.remove_prefix(close + 1);
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    }
  }
  auto event = word_after(rest, "event=");
  if (event.empty()) event = first_plain_word(rest);
  auto number_or_null = [](std::optional<std::int64_t> v) {
    return v ? std::to_string(*v) : std::string("null");
  };
  return "{\"ts\":" + json::quote(iso_utc(ts_ms)) + ",\"level\":" + json::quote(level) +
         ",\"actor\":" + json::quote(actor) +
         ",\"chat_id\":" + number_or_null(field_number(rest, "chat=")) +
         ",\"update_id\":" + number_or_null(field_number(rest, "update=")) +
         ",\"event\":" + json::quote(event) + ",\"msg\":" + json::quote(rest) + "}";
}

std::unique_ptr<spdlog::formatter> make_json_formatter() {
  return std::make_unique<json_formatter>();
}

}  // namespace nocturna
