#include "app/sandbox_commands.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "app/options.hpp"
#include "app/stop_signals.hpp"
#include "clients/sandbox/control_client.hpp"
#include "clients/sandbox/sandbox_server.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna {
namespace {

using namespace std::chrono_literals;

std::optional<long long> parse_integer(const std::string& s) {
  try {
    std::size_t used = 0;
    long long v = std::stoll(s, &used);
    if (used != s.size()) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

int usage_error(const char* usage, const std::string& what) {
  std::fprintf(stderr, "%s\nusage: %s\n", what.c_str(), usage);
  return 2;
}

// ---- sandbox ----

constexpr const char* sandbox_usage = "nocturna-bot sandbox [--port N] [--rate-limits]";

// ---- inject ----

constexpr const char* inject_usage =
    "nocturna-bot inject [--sandbox URL] [--chat ID] [--json] TEXT...";

struct inject_args {
  std::string url = "http://127.0.0.1:8090";
  std::int64_t chat = 1;
  bool json = false;
  std::vector<std::string> texts;
};

std::optional<std::string> parse_inject_args(const std::vector<std::string>& args, inject_args& a) {
  bool options_done = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (options_done || arg.empty() || arg[0] != '-' || arg == "-") {
      a.texts.push_back(arg);
    } else if (arg == "--") {
      options_done = true;
    } else if (arg == "--json") {
      a.json = true;
    } else if (arg == "--sandbox" && has_value) {
      a.url = args[++i];
    } else if (arg == "--chat" && has_value) {
      auto id = parse_integer(args[++i]);
      if (!id || *id == 0) return "--chat needs a non-zero integer chat id";
      a.chat = *id;
    } else if (arg.size() > 1 && arg[1] != '-' && parse_integer(arg)) {
      a.texts.push_back(arg);  // a negative number is text
    } else {
      return "unknown or incomplete option: " + arg;
    }
  }
  if (a.texts.empty()) return std::string("nothing to send: give at least one TEXT");
  return std::nullopt;
}

// Everything about the bot's messages that a reply can change.
std::string bot_fingerprint(const sandbox::transcript& t) {
  std::string out;
  for (const auto& m : t.bot_messages()) {
    out += std::to_string(m.message_id) + '\x1f' + m.text.value_or("") + '\x1f' +
           m.caption.value_or("") + '\x1f' + m.photo_file_id + '\x1f' + m.reply_markup + '\x1e';
  }
  return out;
}

// Waits until the bot's messages stop changing for 1.5 s (at most 30 s). True when any changed.
bool wait_for_replies(sandbox::control_client& client, std::int64_t chat, std::string before) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> last_change;
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (last_change && now - *last_change >= 1500ms) return true;
    if (now - start >= 30s) return last_change.has_value();
    std::this_thread::sleep_for(100ms);
    std::string current = bot_fingerprint(client.get_transcript(chat));
    if (current != before) {
      last_change = std::chrono::steady_clock::now();
      before = std::move(current);
    }
  }
}

std::string message_to_json(const sandbox::transcript_message& m) {
  auto quote_or_null = [](const std::optional<std::string>& s) {
    return s ? json::quote(*s) : std::string("null");
  };
  json::object o;
  o.add("message_id", m.message_id)
      .add_raw("text", quote_or_null(m.text))
      .add_raw("caption", quote_or_null(m.caption))
      .add("plain", m.plain)
      .add_raw("parse_mode", m.parse_mode.empty() ? "null" : json::quote(m.parse_mode))
      .add_raw("photo_file_id", m.photo_file_id.empty() ? "null" : json::quote(m.photo_file_id))
      .add_raw("reply_markup", m.reply_markup.empty() ? "null" : m.reply_markup)
      .add("edited", m.edited)
      .add("date", m.date);
  return o.str();
}

void print_plain(const sandbox::transcript_message& m) {
  std::printf("--- #%lld%s\n", static_cast<long long>(m.message_id), m.edited ? " (edited)" : "");
  if (!m.photo_file_id.empty()) std::printf("[photo %s]\n", m.photo_file_id.c_str());
  if (!m.plain.empty()) std::printf("%s\n", m.plain.c_str());
  for (const auto& row : m.keyboard()) {
    std::string line;
    for (const auto& b : row) {
      line += (line.empty() ? "" : "  ") + std::string("[") + b.text + " → " +
              (b.url.empty() ? b.callback_data : b.url) + "]";
    }
    std::printf("%s\n", line.c_str());
  }
}

void print_messages(const std::vector<sandbox::transcript_message>& messages, std::int64_t chat,
                    bool as_json) {
  if (!as_json) {
    for (const auto& m : messages) print_plain(m);
    return;
  }
  std::string list;
  for (const auto& m : messages) list += (list.empty() ? "" : ",") + message_to_json(m);
  std::printf(
      "%s\n",
      json::object().add("chat_id", chat).add_raw("messages", "[" + list + "]").str().c_str());
}

std::int64_t last_message_id(const sandbox::transcript& t) {
  return t.messages.empty() ? 0 : t.messages.back().message_id;
}

}  // namespace

int sandbox_main(const std::vector<std::string>& args, const config& cfg) {
  auto opts = sandbox_options_of(cfg);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) {
      auto port = parse_integer(args[++i]);
      if (!port || *port < 0 || *port > 65535)
        return usage_error(sandbox_usage, "--port needs 0-65535");
      opts.port = static_cast<int>(*port);
    } else if (args[i] == "--rate-limits") {
      opts.rate_limits = true;
    } else {
      return usage_error(sandbox_usage, "unknown argument: " + args[i]);
    }
  }
  block_stop_signals();
  sandbox::server server(opts);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  std::printf("sandbox: %s/ (token %s)\n", server.base_url().c_str(), server.token().c_str());
  std::fflush(stdout);
  wait_for_stop_signal();
  server.stop();
  return 0;
}

int inject_main(const std::vector<std::string>& args) {
  inject_args a;
  if (auto err = parse_inject_args(args, a)) return usage_error(inject_usage, *err);
  sandbox::control_client client(a.url);
  try {
    const sandbox::transcript before = client.get_transcript(a.chat);
    bool answered = false;
    for (const auto& text : a.texts) {
      const std::string fingerprint = bot_fingerprint(client.get_transcript(a.chat));
      client.send(a.chat, text);
      answered = wait_for_replies(client, a.chat, fingerprint) || answered;
    }
    std::vector<sandbox::transcript_message> replies;
    for (const auto& m : client.get_transcript(a.chat).bot_messages()) {
      if (m.message_id > last_message_id(before)) replies.push_back(m);
    }
    print_messages(replies, a.chat, a.json);
    if (!answered) std::fprintf(stderr, "inject: no reply from the bot\n");
    return answered ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inject: %s\n", e.what());
    return 1;
  }
}

}  // namespace nocturna
