// Detached workers behind one actor: each query goes to the worker with the fewest queries in
// flight, so one slow call (a remote API, a chart service) does not hold up the ones behind it.
// The caller's deadline travels with the query; a worker that misses it is answered by `timeout`.
#pragma once

#include <algorithm>
#include <caf/all.hpp>
#include <functional>
#include <string>
#include <vector>

#include "actors/runtime.hpp"

namespace nocturna::actors {

struct worker_pool {
  std::vector<caf::actor> workers;
  std::vector<int> in_flight;

  void add(caf::actor worker) {
    workers.push_back(std::move(worker));
    in_flight.push_back(0);
  }

  std::size_t least_busy() const {
    return static_cast<std::size_t>(std::min_element(in_flight.begin(), in_flight.end()) -
                                    in_flight.begin());
  }

  // Sends (atom, query) to a worker and calls `k` with its answer, or with `timeout(reason)` when
  // the worker does not answer by `deadline_ms` (steady-clock ms; 0 = one minute).
  template <class Answer, class Atom, class Query>
  void ask(caf::event_based_actor* self, Atom atom, Query query, std::int64_t deadline_ms,
           std::function<Answer(const std::string&)> timeout, std::function<void(Answer)> k) {
    auto i = least_busy();
    ++in_flight[i];
    auto wait = std::chrono::milliseconds(
        deadline_ms == 0 ? 60'000 : std::max<std::int64_t>(1, deadline_ms - steady_ms()));
    // The pool lives in the owner's state, which outlives every continuation of the owner.
    auto* pool = this;
    self->request(workers[i], wait, atom, std::move(query))
        .then(
            [=](Answer& a) {
              --pool->in_flight[i];
              k(std::move(a));
            },
            [=](caf::error& e) {
              --pool->in_flight[i];
              k(timeout(self->system().render(e)));
            });
  }

  // ask(), with the answer delivered to the current request's sender.
  template <class Answer, class Atom, class Query>
  caf::result<Answer> forward(caf::event_based_actor* self, Atom atom, Query query,
                              std::int64_t deadline_ms,
                              std::function<Answer(const std::string&)> timeout) {
    auto rp = self->make_response_promise<Answer>();
    ask<Answer>(self, atom, std::move(query), deadline_ms, std::move(timeout),
                [rp](Answer a) mutable { rp.deliver(std::move(a)); });
    return rp;
  }
};

}  // namespace nocturna::actors
