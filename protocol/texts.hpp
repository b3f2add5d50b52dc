// User-visible texts of docs/behaviour.md §9 and §1.6, quoted exactly once each.
#pragma once

#include <string>
#include <string_view>

namespace nocturna::texts {

// T_START: {mention} is interpolated (already HTML).
extern const char* const start_template;
extern const char* const help;
extern const char* const unknown_command;
extern const char* const text_hint;
extern const char* const cancel_none;
extern const char* const private_only;
extern const char* const busy;
extern const char* const error_generic;
// T_STALE: the callback answer for a button that no longer applies.
extern const char* const stale;

// Statuses S of the heavy commands (docs/behaviour.md §1.5) [plain].
extern const char* const status_transit;   // T_ST_TRANSIT
extern const char* const status_planets;   // T_ST_PLANETS
extern const char* const status_aspects;   // T_ST_ASPECTS
extern const char* const status_natal;     // T_ST_NATAL
extern const char* const status_ptransit;  // T_ST_PTRANSIT

// Error contexts and reasons (docs/behaviour.md §1.6), joined by error_text.
extern const char* const context_transit;     // C_TRANSIT
extern const char* const context_planets;     // C_PLANETS
extern const char* const context_aspects;     // C_ASPECTS
extern const char* const context_natal;       // C_NATAL
extern const char* const context_ptransit;    // C_PTRANSIT
extern const char* const reason_unavailable;  // R_UNAVAILABLE
extern const char* const reason_input;        // R_INPUT
extern const char* const reason_timeout;      // R_TIMEOUT
extern const char* const reason_internal;     // R_INTERNAL
// "{context}\n\n{reason}" [plain].
std::string error_text(std::string_view context, std::string_view reason);

extern const char* const no_natal;      // T_NO_NATAL [plain]
extern const char* const no_aspects;    // T_NO_ASPECTS: a line inside reports
extern const char* const pt_none;       // T_PT_NONE: a line inside REP_PT and T_FORECAST
extern const char* const profile_none;  // T_PROFILE_NONE [plain]

extern const char* const clear_none;    // T_CLEAR_NONE [plain]
extern const char* const clear_ask;     // T_CLEAR_ASK [HTML]
extern const char* const clear_done;    // T_CLEAR_DONE [HTML]
extern const char* const clear_kept;    // T_CLEAR_KEPT [plain]
extern const char* const clear_failed;  // T_CLEAR_FAILED [plain]

// Callback answers of /settings (no parse mode, so the label is not escaped).
std::string set_changed(std::string_view label);  // T_SET_CHANGED
std::string set_same(std::string_view label);     // T_SET_SAME
extern const char* const set_failed;              // T_SET_FAILED

extern const char* const sub_need_natal;  // T_SUB_NEED_NATAL [plain]
extern const char* const sub_bad_time;    // T_SUB_BAD_TIME [plain]
extern const char* const unsub_ok;        // T_UNSUB_OK [plain]
extern const char* const unsub_none;      // T_UNSUB_NONE [plain]

// Interpretation headers (docs/behaviour.md §7.1) [HTML]; each ends with a blank line.
extern const char* const header_day;          // T_HDR_DAY
extern const char* const header_natal;        // T_HDR_NATAL
extern const char* const header_pt;           // T_HDR_PT
extern const char* const header_day_short;    // T_HDR_DAY_SHORT
extern const char* const header_natal_short;  // T_HDR_NATAL_SHORT
extern const char* const header_pt_short;     // T_HDR_PT_SHORT
// T_INTERP_NOTE [HTML]: appended to a built-in block when the LLM was configured but not used.
extern const char* const interp_note;

// /moon (issue 21): statuses, errors, notes [plain unless marked]; the header is HTML.
extern const char* const status_moon;         // T_ST_MOON
extern const char* const context_moon;        // C_MOON
extern const char* const moon_bad_format;     // T_MOON_FORMAT
extern const char* const moon_bad_date;       // T_MOON_INVALID
extern const char* const moon_out_of_range;   // T_MOON_RANGE
extern const char* const moon_default_place;  // T_MOON_DEFAULT_PLACE
extern const char* const moon_no_rise;        // T_MOON_NO_RISE
extern const char* const header_moon_short;   // T_HDR_MOON_SHORT
extern const char* const header_moon;         // the same over the LLM's text

}  // namespace nocturna::texts
