// Logging: spdlog to stdout (colour when a terminal) and to a rotating file
// `LOG_DIR/nocturna-bot.log` (5 MB × 3), both behind one redacting sink, so that no secret ever
// reaches a sink (docs/telegram.md §1, §8 "Token leaked in logs").
//
// Every event is one line: `[2026-11-26 13:45:01.123] [info] [sender] message`, where the third
// field is the logger's name (the actor). Before a message is written:
// * every occurrence of a registered secret (and of its percent-encoded form) becomes `***`;
// * every `/bot<anything>/` URL segment becomes `/bot***/` (also a token-shaped `/bot<id>:<key>`
//   at the end of a URL), so Bot API URLs are safe even with an unregistered token;
// * CR and LF inside the message are escaped as `\r` and `\n`.
//
// Usable before init_logging: the default logger (name "main") and get_logger() write to stdout
// at level info, through the same redaction. Use the default logger (spdlog::info(...)) or
// get_logger(name); a logger made directly with spdlog's factories bypasses the redaction.
#pragma once

#include <spdlog/logger.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna {

// Sets the level (trace, debug, info, warn|warning, error|err, critical, off; case-insensitive)
// on every logger, registers `secrets` (empty ones are ignored), and sends output to stdout and,
// when `log_dir` is non-empty, to `log_dir/nocturna-bot.log` (the directory is created). May be
// called again (e.g. by tests) to switch level and directory. Throws std::invalid_argument for an
// unknown level and std::runtime_error naming LOG_DIR when the log file cannot be opened.
void init_logging(const std::string& level, const std::string& log_dir,
                  std::vector<std::string> secrets);

// `text` with every registered secret and every `/bot<…>/` segment masked (see above). Use it for
// strings that leave the process by other routes too (error texts shown to operators, etc.).
std::string redact(std::string_view text);

// Registers a secret for the life of the process (a configured key, a password). Blank and
// values under four characters are ignored.
void add_secret(std::string secret);

// Registers the newest value of a secret that is replaced over time (e.g. the access token
// exchanged for the service token): only the two latest values of `slot` stay masked, the
// current one and the one requests under way may still carry.
void add_rotating_secret(const std::string& slot, std::string secret);

// How many strings are masked now (each secret and its percent-encoded form), for tests.
std::size_t masked_secret_count();

// "text" (the default) or "json" (clients/log_format.hpp) for the sinks init_logging makes; call
// it before init_logging. Throws std::invalid_argument for anything else.
void set_log_format(const std::string& format);

// Flushes every logger and sink (the file is otherwise flushed every second and on warn+).
void flush_logs();

// The logger named `name` (created on first use), writing through the redacting sinks.
std::shared_ptr<spdlog::logger> get_logger(const std::string& name);

}  // namespace nocturna
