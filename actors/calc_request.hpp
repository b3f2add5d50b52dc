// One question to the calculations gateway from any actor (a session, the inline answerer). Any
// failure to get its answer — no gateway, the wait over, an error on the way — becomes an answer
// whose error is `unavailable`, so the caller has one path for every outcome.
#pragma once

#include <caf/all.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "actors/interfaces.hpp"
#include "actors/message_types.hpp"
#include "actors/runtime.hpp"

namespace nocturna::actors {

template <class Answer, class Self, class Atom, class Query>
void ask_calc_gateway(Self* self, std::chrono::milliseconds wait, Atom atom, Query q,
                      std::function<void(Answer&)> k) {
  auto unavailable = [k](std::string why) {
    Answer a;
    a.error = {astro::calc_error_kind::unavailable, std::move(why)};
    k(a);
  };
  auto gateway = find<calc_api>(self->system());
  if (!gateway) return unavailable("calculation gateway not running");
  self->request(gateway, wait, atom, std::move(q))
      .then([=](Answer& a) { k(a); },
            [=](caf::error& e) { unavailable(self->system().render(e)); });
}

}  // namespace nocturna::actors
