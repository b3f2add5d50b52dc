// Logging: redaction of secrets and `/bot<token>/` URLs, one line per event, the log file.
#include "clients/logging.hpp"

#include <doctest/doctest.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct log_dir {
  fs::path path;
  log_dir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() / ("nocturna-logging-test-" + std::to_string(::getpid()) +
                                        "-" + std::to_string(++counter));
    fs::remove_all(path);
    // Not created here: init_logging must create it (with a missing parent, too).
    path /= "nested";
  }
  ~log_dir() {
    // Back to stdout only, so later tests do not write into a removed directory.
    nocturna::init_logging("info", "", {});
    std::error_code ec;
    fs::remove_all(path.parent_path(), ec);
  }
  std::string read() const {
    nocturna::flush_logs();
    std::ifstream in(path / "nocturna-bot.log", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("logging: redact masks registered secrets and bot URL segments") {
  nocturna::add_secret("s3cr3t-Value-42");
  nocturna::add_secret("   ");  // blank: ignored, must not mask spaces
  CHECK(nocturna::redact("key=s3cr3t-Value-42 and again s3cr3t-Value-42") ==
        "key=*** and again ***");
  CHECK(nocturna::redact("nothing to hide here") == "nothing to hide here");

  // Bot API URLs, whatever the token (registered or not).
  CHECK(nocturna::redact("GET https://api.telegram.org/bot111:unregistered/getMe") ==
        "GET https://api.telegram.org/bot***/getMe");
  CHECK(nocturna::redact("POST /bot42:x/sendMessage and /bot43:y/getUpdates") ==
        "POST /bot***/sendMessage and /bot***/getUpdates");
  CHECK(nocturna::redact("base http://127.0.0.1:8090/bot555:tail") ==
        "base http://127.0.0.1:8090/bot***");
  CHECK(nocturna::redact("/BOT777:upper/getMe") == "/BOT***/getMe");
  CHECK(nocturna::redact("/bot/ and /about/ stay") == "/bot/ and /about/ stay");

  // The percent-encoded form of a secret (as in a query string) is masked too.
  nocturna::add_secret("p@ss:word");
  CHECK(nocturna::redact("u=p@ss:word q=p%40ss%3Aword") == "u=*** q=***");

  // A secret learned later (e.g. a refreshed token) is masked from then on.
  CHECK(nocturna::redact("fresh-token-abc") == "fresh-token-abc");
  nocturna::add_secret("fresh-token-abc");
  CHECK(nocturna::redact("fresh-token-abc") == "***");

  // One to three characters are not masked: "c" must not turn "Connection" into "Conne***tion".
  nocturna::add_secret("c");
  nocturna::add_secret("abc");
  CHECK(nocturna::redact("Connection abcd") == "Connection abcd");
  nocturna::add_secret("wxyz");
  CHECK(nocturna::redact("a wxyz b") == "a *** b");
}

TEST_CASE("logging: the log file never receives the token") {
  const std::string token = "987654321:AAFakeTokenForTheLoggingTest_xyz";
  log_dir dir;
  nocturna::init_logging("debug", dir.path.string(), {token, ""});
  REQUIRE(fs::is_directory(dir.path));

  spdlog::info("starting with token {}", token);
  nocturna::get_logger("sender")->warn("GET https://api.telegram.org/bot{}/getMe failed", token);
  nocturna::get_logger("poller")->debug("url http://127.0.0.1:1/bot{}/getUpdates", token);
  nocturna::get_logger("sender")->error("httplib: connection to /bot{}/sendMessage reset", token);

  const std::string text = dir.read();
  REQUIRE_FALSE(text.empty());
  CHECK(text.find(token) == std::string::npos);
  CHECK(text.find("AAFakeTokenForTheLoggingTest") == std::string::npos);
  CHECK(text.find("starting with token ***") != std::string::npos);
  CHECK(text.find("https://api.telegram.org/bot***/getMe failed") != std::string::npos);
  CHECK(text.find("http://127.0.0.1:1/bot***/getUpdates") != std::string::npos);
  CHECK(text.find("/bot***/sendMessage reset") != std::string::npos);

  const auto lines = lines_of(text);
  REQUIRE(lines.size() == 4);
  const std::regex shape(
      R"(^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\] \[[a-z]+\] \[[a-z]+\] .+$)");
  for (const auto& line : lines) {
    CAPTURE(line);
    CHECK(std::regex_match(line, shape));
  }
  CHECK(lines[0].find("] [info] [main] starting") != std::string::npos);
  CHECK(lines[1].find("] [sender] GET") != std::string::npos);
  CHECK(lines[2].find("] [debug] [poller] url") != std::string::npos);
}

TEST_CASE("logging: each event stays one line and levels filter") {
  log_dir dir;
  nocturna::init_logging("WARNING", dir.path.string(), {});
  spdlog::info("hidden at warn level");
  spdlog::warn("first\nsecond\r\nthird");
  nocturna::get_logger("health")->error("multi\nline");

  const auto lines = lines_of(dir.read());
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("first\\nsecond\\r\\nthird") != std::string::npos);
  CHECK(lines[1].find("[health] multi\\nline") != std::string::npos);
  for (const auto& line : lines) CHECK(line.find("hidden") == std::string::npos);
}

TEST_CASE("logging: init_logging rejects an unknown level") {
  CHECK_THROWS_AS(nocturna::init_logging("verbose", "", {}), std::invalid_argument);
  // The default logger keeps working afterwards.
  CHECK(spdlog::default_logger()->name() == "main");
  CHECK(nocturna::get_logger("main") == spdlog::default_logger());
}

TEST_CASE("logging: the log directory is 0700 and the file 0600 even with umask 022") {
  log_dir dir;
  const mode_t old_mask = ::umask(022);
  // A file left by an earlier run with a wide mode is narrowed too.
  fs::create_directories(dir.path);
  { std::ofstream(dir.path / "nocturna-bot.log") << "old line\n"; }
  fs::permissions(dir.path / "nocturna-bot.log", fs::perms(0644));
  nocturna::init_logging("info", dir.path.string(), {});
  spdlog::info("a line");
  ::umask(old_mask);
  CHECK((fs::status(dir.path).permissions() & fs::perms::all) == fs::perms::owner_all);
  CHECK((fs::status(dir.path / "nocturna-bot.log").permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write));
  CHECK(dir.read().find("a line") != std::string::npos);
}

TEST_CASE("logging: a rotating secret keeps only its two latest values masked") {
  const auto before = nocturna::masked_secret_count();
  for (int i = 0; i < 50; ++i)
    nocturna::add_rotating_secret("test access token", "access-token-number-" + std::to_string(i));
  // Two values, each with its percent-encoded form (the same here): two entries, not fifty.
  CHECK(nocturna::masked_secret_count() == before + 2);
  CHECK(nocturna::redact("access-token-number-49") == "***");
  CHECK(nocturna::redact("access-token-number-48") == "***");
  CHECK(nocturna::redact("access-token-number-47") == "access-token-number-47");
}
