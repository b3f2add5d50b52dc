// User-visible texts of bot.md §9, quoted exactly once each.
#pragma once

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

}  // namespace nocturna::texts
