// When a daily forecast is due (docs/behaviour.md §5): the next instant whose wall time in the
// birth zone is the subscribed HH:MM (gaps and overlaps by the rule of docs/calculations.md §2),
// and whether a due forecast is sent or skipped. Pure functions over the system tz database;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "clients/astro/calc_error.hpp"

namespace nocturna::astro {

// A due forecast is sent only while now − due < this (docs/behaviour.md §5).
constexpr std::int64_t forecast_window_s = 60 * 60;
// A failed calculation is tried again after this, while inside the window (docs/behaviour.md §5).
constexpr std::int64_t forecast_retry_s = 10 * 60;

// "HH:MM" (00:00–23:59, two digits each) → minutes after midnight; nullopt otherwise.
std::optional<int> parse_hhmm(std::string_view hhmm);

// The first instant strictly after `after_utc` whose local wall time in `zone` is `hhmm`:00.
// A time inside a DST gap fires at the shifted instant (the offset before the transition); an
// ambiguous time fires once, at the later instant; a skipped calendar day (e.g. Pacific/Kiritimati
// 1994-12-31) maps onto the next day's occurrence, so it never fires twice.
// Errors: bad_zone; input_rejected for a malformed `hhmm`.
calc_result<std::int64_t> next_due_utc(std::string_view hhmm, const std::string& zone,
                                       std::int64_t after_utc);

// The local date (YYYY-MM-DD) of `utc` in `zone`. Error: bad_zone.
calc_result<std::string> local_date_at(std::int64_t utc, const std::string& zone);

enum class due_verdict {
  send,         // due, inside the window, not yet sent for its local date
  sent_today,   // last_sent_local_date is already the due's local date
  missed,       // now − due ≥ 60 min
  not_yet_due,  // due > now
};

// The due-check of docs/behaviour.md §5 for a forecast due at `due_utc` whose local date is
// `due_local_date`.
due_verdict check_due(std::int64_t due_utc, const std::string& due_local_date,
                      const std::optional<std::string>& last_sent_local_date, std::int64_t now_utc);

// The next due after a forecast due at `due_utc` was handled (sent or skipped) at `now_utc`: the
// first occurrence after the due itself, or — after a long pause — the first one still inside
// its window at `now_utc` (so a missed week fires today, not seven times).
calc_result<std::int64_t> next_due_after(std::string_view hhmm, const std::string& zone,
                                         std::int64_t due_utc, std::int64_t now_utc);

}  // namespace nocturna::astro
