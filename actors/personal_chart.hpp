// The steps shared by /my_natal and /my_transit (actors/session_heavy.cpp) and the daily forecast
// (actors/forecast_scheduler.cpp): load a user's birth data, house system and cached natal chart in
// one store request, then the natal chart from that cache or calculated and cached. Each actor
// plugs in its own store and calculation calls (their deadlines and logs differ) through
// `personal_ports`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "actors/message_types.hpp"
#include "actors/store_requests.hpp"
#include "clients/store/records.hpp"

namespace nocturna::actors {

// Birth data, house system and the natal cache for that version and system.
using personal_data = msg::personal_data;
using personal_ptr = std::shared_ptr<const personal_data>;

// How an actor reaches the store and the calculations gateway, each with its own deadline and
// log line for a failure.
struct personal_ports {
  // (load_personal) of actors/store_requests.hpp; nothing when the store failed.
  std::function<void(std::int64_t user, std::function<void(std::optional<personal_data>)>)>
      load_personal;
  // (cache_natal); `k` runs whatever the store answered.
  std::function<void(std::int64_t user, std::int64_t version, char system, std::string chart_json,
                     std::function<void()> k)>
      cache_natal;
  std::function<void(astro::chart_request, std::function<void(msg::chart_answer&)>)> calculate;
};

// Step 1: the user's data in one store request. `k(nullptr)` when the store failed; data without
// `birth` when the user saved none.
void load_personal_data(const personal_ports& ports, std::int64_t user,
                        std::function<void(personal_ptr)> k);

// What becomes of a natal chart the steps could not make.
struct natal_failure_handlers {
  std::function<void()> malformed;  // the stored birth data makes no chart request
  std::function<void(const astro::calc_error&)> calc_failed;
};

// Step 2: the natal chart of `data` (which has `birth`): the cached one when it parses, else
// calculated, cached (a failed write is only logged by the store) and then handed on.
void obtain_natal_chart(const personal_ports& ports, std::int64_t user, personal_ptr data,
                        std::function<void(const astro::chart&)> k, natal_failure_handlers failed);

}  // namespace nocturna::actors
