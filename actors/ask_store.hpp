// One request to the store actor from any actor (a session, the scheduler, the sender, …): the
// typed requests of actors/store_requests.hpp. Every way of not getting the answer — no store
// running, the wait over, the store's calls threw — is logged once, through the asker's
// `log_failure` (which names its actor and chat), and handed to `k` as "no answer": an empty
// optional, or false for a request without an answer.
#pragma once

#include <caf/all.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "actors/interfaces.hpp"
#include "actors/store_requests.hpp"

namespace nocturna::actors {

// What the asker gets: the answer, or nothing (`bool` for a request answered without a value:
// whether it was done).
template <class Answer>
using store_outcome = std::conditional_t<std::is_void_v<Answer>, bool, std::optional<Answer>>;

using store_failure_log = std::function<void(const std::string& why)>;

template <class Answer, class Self, class... Request>
void ask_store(Self* self, std::chrono::milliseconds wait, store_failure_log log_failure,
               std::function<void(store_outcome<Answer>)> k, Request... request) {
  auto store = find<store_api>(self->system());
  if (!store) {
    log_failure("store not running");
    return k(store_outcome<Answer>{});
  }
  auto failed = [=](caf::error& e) {
    log_failure(store_failure_reason(self->system(), e));
    k(store_outcome<Answer>{});
  };
  auto answer = self->request(store, wait, std::move(request)...);
  if constexpr (std::is_void_v<Answer>)
    std::move(answer).then([=]() { k(true); }, failed);
  else
    std::move(answer).then([=](message_type<Answer>& a) { k(Answer(std::move(a))); }, failed);
}

}  // namespace nocturna::actors
