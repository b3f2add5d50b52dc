// `run` without a token starts the embedded sandbox; `inject` talks to it (README, issue #2
// "Done when").
#include <doctest/doctest.h>

#include <cstdio>
#include <regex>

#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

std::string run_command(const std::string& cmd, int* exit_code) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace

TEST_CASE("e2e: without a token the bot runs its own sandbox and inject gets the welcome") {
  temp_dir dir;
  auto env = bot_env("", "", dir.path());
  env.erase("TELEGRAM_API_URL");
  bot_process bot(env, dir.path());
  bot.start();
  std::smatch m;
  std::string url;
  std::regex page("Sandbox chat page: (http://127\\.0\\.0\\.1:[0-9]+)/");
  wait_until([&] {
    auto out = bot.output();
    if (std::regex_search(out, m, page)) url = m[1];
    return !url.empty();
  });
  REQUIRE_FALSE(url.empty());
  int code = -1;
  auto out = run_command(
      std::string(NOCTURNA_BOT_BINARY) + " inject --sandbox " + url + " --chat 1 /start 2>&1",
      &code);
  CHECK(code == 0);
  CHECK(out.find("Привет") != std::string::npos);
  CHECK(out.find("Nocturna Bot") != std::string::npos);
  CHECK(bot.stop() == 0);
}
