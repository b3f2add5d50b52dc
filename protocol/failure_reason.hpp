// The reason a failed heavy command names in its error reply (texts::reason_*), decided from how
// its calculation failed (actors/session_heavy.cpp maps the calculation's error kinds onto these).
#pragma once

namespace nocturna::bot {

enum class calc_fault {
  unavailable,  // the backend is down, timed out, or its breaker is open
  bad_input,    // the data was refused: out-of-range date, unknown zone, bad place
  internal,     // anything else: a bug or a malformed answer
};

// Past the command's deadline the reply says so, whatever failed. Refused input is the user's
// doing only for their own chart (`personal`): a sky chart's input is the bot's.
const char* failure_reason(calc_fault fault, bool personal, bool past_deadline);

}  // namespace nocturna::bot
