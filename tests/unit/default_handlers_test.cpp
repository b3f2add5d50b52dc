// An unexpected message reaches the redacted log as one line without its content, instead of
// CAF's print_and_drop printing it whole (actors/default_handlers.hpp).
#include "actors/default_handlers.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <caf/all.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "clients/logging.hpp"

namespace {

namespace fs = std::filesystem;

caf::behavior picky(caf::event_based_actor* self) {
  nocturna::actors::replace_printing_handlers(self, "picky");
  return {[](int x) { return x + 1; }};
}

caf::behavior watcher(caf::event_based_actor* self, caf::actor watched) {
  nocturna::actors::replace_printing_handlers(self, "watcher");
  self->monitor(watched);
  return {[](int) {}};
}

caf::behavior doomed(caf::event_based_actor*) {
  return {[](int) {}};
}

std::string read_file(const fs::path& p) {
  nocturna::flush_logs();
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("default handlers: an unexpected message is logged without its content") {
  const fs::path dir =
      fs::temp_directory_path() / ("nocturna-handlers-test-" + std::to_string(::getpid()));
  nocturna::init_logging("info", dir.string(), {});
  {
    caf::actor_system_config cfg;
    caf::actor_system sys{cfg};
    auto actor = sys.spawn(picky);
    caf::scoped_actor self{sys};
    bool refused = false;
    self->request(actor, std::chrono::seconds(5), std::string("user text: my birth date"))
        .receive([](int) {}, [&](caf::error& e) { refused = e == caf::sec::unexpected_message; });
    CHECK(refused);
    // The handler ran before the answer was sent, so its line is written.
    const std::string log = read_file(dir / "nocturna-bot.log");
    CHECK(log.find("[picky] unexpected message with 1 values dropped") != std::string::npos);
    CHECK(log.find("birth date") == std::string::npos);
    self->send_exit(actor, caf::exit_reason::user_shutdown);

    // A down message the actor has no handler for: one line, not CAF's printout.
    auto victim = sys.spawn(doomed);
    auto watching = sys.spawn(watcher, victim);
    // The monitor is set up by watcher's first message; a request makes sure it has run.
    self->request(watching, std::chrono::seconds(5), 1)
        .receive([](caf::message&) {}, [](caf::error&) {});
    self->send_exit(victim, caf::exit_reason::user_shutdown);
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text = read_file(dir / "nocturna-bot.log");
      if (text.find("[watcher] unhandled down message dropped") != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(text.find("[watcher] unhandled down message dropped") != std::string::npos);
    self->send_exit(watching, caf::exit_reason::user_shutdown);
  }
  nocturna::init_logging("info", "", {});
  std::error_code ec;
  fs::remove_all(dir, ec);
}
