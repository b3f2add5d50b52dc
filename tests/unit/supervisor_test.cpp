// The supervisor with a real actor system: a crashed child is restarted under the same name, and
// too many crashes within the window escalate to a process exit request with code 1.
#include "actors/supervisor.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "actors/message_types.hpp"

using namespace nocturna;

namespace {

using crash_atom = caf::atom_constant<caf::atom("crash")>;
using probe = caf::atom_constant<caf::atom("probe")>;

caf::behavior fragile_child(caf::event_based_actor* self) {
  return {
      [=](crash_atom) { self->quit(caf::make_error(caf::sec::runtime_error, "crash requested")); },
      [=](probe) { return caf::ok_atom::value; },
  };
}

caf::actor child_now(caf::actor_system& sys) {
  return services::find(sys, services::store::value);
}

// Bounds a wait that fails the test, never one it needs: a loaded machine may take seconds.
constexpr int wait_bound_ms = 20000;

// Waits until a child is registered that differs from `old` (the first one when `old` is null, or
// a restart) or the timeout passes.
caf::actor wait_for_new_child(caf::actor_system& sys, const caf::actor& old, int timeout_ms) {
  for (int i = 0; i < timeout_ms / 10; ++i) {
    auto now = child_now(sys);
    if (now && now != old) return now;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return nullptr;
}

std::shared_ptr<runtime> test_runtime(int limit) {
  auto rt = std::make_shared<runtime>();
  rt->options.supervisor.restart_limit = limit;
  rt->options.supervisor.restart_window_s = 30;
  return rt;
}

std::vector<actors::child_spec> one_fragile_child() {
  return {{services::store::value, "fragile", [](caf::event_based_actor* self) {
             return self->spawn<caf::monitored>(fragile_child);
           }}};
}

}  // namespace

TEST_CASE("supervisor: a failed child is restarted under the same name") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto rt = test_runtime(5);
  auto sup = actors::spawn_supervisor(sys, rt, one_fragile_child());
  auto first = wait_for_new_child(sys, nullptr, wait_bound_ms);
  REQUIRE(first);
  caf::scoped_actor self{sys};
  self->send(first, crash_atom::value);
  auto second = wait_for_new_child(sys, first, wait_bound_ms);
  REQUIRE(second);
  bool answered = false;
  self->request(second, std::chrono::milliseconds(wait_bound_ms), probe::value)
      .receive([&](caf::ok_atom) { answered = true; }, [](caf::error&) {});
  CHECK(answered);
  CHECK_FALSE(rt->control->exit_requested());
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_CASE("supervisor: more restarts than the limit within the window escalate") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto rt = test_runtime(2);
  auto sup = actors::spawn_supervisor(sys, rt, one_fragile_child());
  caf::scoped_actor self{sys};
  auto current = wait_for_new_child(sys, nullptr, wait_bound_ms);
  REQUIRE(current);
  // Two crashes are restarted (with backoff), the third exceeds the limit of 2.
  for (int crash = 0; crash < 3 && current; ++crash) {
    self->send(current, crash_atom::value);
    current = crash < 2 ? wait_for_new_child(sys, current, wait_bound_ms) : current;
  }
  CHECK(rt->control->wait_for_exit(wait_bound_ms));
  CHECK(rt->control->exit_code() == 1);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
}

TEST_CASE(
    "supervisor: each child declares its restart kind; the intake starts after the services") {
  auto labels_and_kinds = [](bot_mode mode, bool llm) {
    auto rt = std::make_shared<runtime>();
    rt->options.supervisor.mode = mode;
    rt->cfg.llm_on = llm;
    std::vector<std::string> out;
    for (const auto& spec : actors::bot_services(rt))
      out.push_back(spec.label +
                    (spec.restart == actors::restart_kind::transient ? " transient" : ""));
    return out;
  };
  using list = std::vector<std::string>;
  const list services = {"store",     "sender", "calc_gateway", "renderer",
                         "scheduler", "inline", "dispatcher"};
  auto with = [&services](list tail) {
    list all = services;
    all.insert(all.end(), tail.begin(), tail.end());
    return all;
  };
  CHECK(labels_and_kinds(bot_mode::polling, true) == with({"llm", "poller transient", "watchdog"}));
  CHECK(labels_and_kinds(bot_mode::polling, false) == with({"poller transient", "watchdog"}));
  CHECK(labels_and_kinds(bot_mode::webhook, true) == with({"llm", "webhook transient"}));
  CHECK(labels_and_kinds(bot_mode::webhook, false) == with({"webhook transient"}));
}
