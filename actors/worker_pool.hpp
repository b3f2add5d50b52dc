// Detached workers behind one actor: each query goes to the worker with the fewest queries in
// flight, so one slow call (a remote API, a chart service) does not hold up the ones behind it.
// The caller's deadline travels with the query; a worker that misses it is answered by `timeout`.
// The queries waiting in the workers' mailboxes are bounded: beyond `limit` (or past its deadline
// already) a query is answered at once by `timeout`, logged and counted in
// nocturna_queue_refused_total{queue=...}.
#pragma once

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/all.hpp>
#include <functional>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "actors/runtime.hpp"

namespace nocturna::actors {

// `Worker`: the workers' typed handle (actors/interfaces.hpp).
template <class Worker>
struct worker_pool {
  std::vector<Worker> workers;
  std::vector<int> in_flight;
  const char* queue_name = "pool";  // for the log line and the metric
  std::size_t limit = std::numeric_limits<std::size_t>::max();
  std::shared_ptr<nocturna::metrics::registry> counters;

  void bound(const char* name, std::size_t max_queued,
             std::shared_ptr<nocturna::metrics::registry> m) {
    queue_name = name;
    limit = std::max<std::size_t>(1, max_queued);
    counters = std::move(m);
  }

  std::size_t queued() const {
    return static_cast<std::size_t>(std::accumulate(in_flight.begin(), in_flight.end(), 0));
  }

  // Why a query is refused on arrival, or nullptr when it may wait for a worker.
  const char* refusal(std::int64_t deadline_ms) const {
    if (deadline_ms != 0 && deadline_ms <= steady_ms()) return "deadline passed on arrival";
    if (queued() >= limit) return "queue full";
    return nullptr;
  }

  void add(Worker worker) {
    workers.push_back(std::move(worker));
    in_flight.push_back(0);
  }

  std::size_t least_busy() const {
    return static_cast<std::size_t>(std::min_element(in_flight.begin(), in_flight.end()) -
                                    in_flight.begin());
  }

  // Sends (atom, query) to a worker and calls `k` with its answer, or with `timeout(reason)` when
  // the worker does not answer by `deadline_ms` (steady-clock ms; 0 = one minute).
  template <class Answer, class Self, class Atom, class Query>
  void ask(Self* self, Atom atom, Query query, std::int64_t deadline_ms,
           std::function<Answer(const std::string&)> timeout, std::function<void(Answer)> k) {
    if (auto why = refusal(deadline_ms)) {
      spdlog::warn("[{}] query refused: {} ({} queued, limit {})", queue_name, why, queued(),
                   limit);
      if (counters)
        counters->add("nocturna_queue_refused_total",
                      std::string("queue=\"") + queue_name + "\",reason=\"" +
                          (queued() >= limit ? "full" : "deadline") + "\"");
      return k(timeout(why));
    }
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
  template <class Answer, class Self, class Atom, class Query>
  caf::result<Answer> forward(Self* self, Atom atom, Query query, std::int64_t deadline_ms,
                              std::function<Answer(const std::string&)> timeout) {
    auto rp = self->template make_response_promise<Answer>();
    ask<Answer>(self, atom, std::move(query), deadline_ms, std::move(timeout),
                [rp](Answer a) mutable { rp.deliver(std::move(a)); });
    return rp;
  }
};

}  // namespace nocturna::actors
