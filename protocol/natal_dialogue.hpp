// The /natal birth-data dialogue of docs/behaviour.md §4.6 as a pure state machine: given the
// stored dialogue, one input and the outside world as plain functions, it returns the next state
// and the Bot API calls to make, in order. It never performs I/O itself; the caller runs the
// actions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nocturna::natal {

// `name` is the first step of the /compat partner dialogue only.
enum class step { name, date, time, place, choice, confirm };

struct place_option {
  std::string label;
  double latitude = 0, longitude = 0;
  std::string zone;  // IANA name
};

// Persisted between updates.
struct dialogue {
  step at = step::date;
  std::string nonce;
  std::int64_t expires_at = 0;      // unix seconds
  std::string date;                 // YYYY-MM-DD once given
  std::optional<std::string> time;  // HH:MM; empty while time_given → unknown (chart at 12:00)
  bool time_given = false;
  std::optional<place_option> place;     // once shown at CONFIRM
  bool by_location = false;              // place from a shared location: coordinates are the point
  std::optional<double> distance_km;     // shared location: distance to the nearest city
  std::vector<place_option> candidates;  // the CHOICE buttons, at most 5
  std::size_t candidates_total = 0;
  std::int64_t time_prompt_message = 0, choice_message = 0, confirm_message = 0;
  std::vector<std::int64_t> keyboard_messages;  // every message whose inline buttons are still up
  // The /compat partner dialogue: the same steps about the partner, after an optional name.
  bool for_partner = false;
  std::string partner_name;  // empty = skipped
  std::int64_t name_message = 0;
};

// The persisted form, mirroring the store's dialogue record: step name (NAME, DATE, TIME, PLACE,
// CHOICE, CONFIRM), nonce, expires_at, the fields and candidates as JSON, keyboard message ids.
struct encoded {
  std::string step, nonce;
  std::int64_t expires_at = 0;
  std::string fields_json = "{}", candidates_json = "[]";
  std::vector<std::int64_t> keyboard_messages;
};
encoded encode(const dialogue& d);
// Nothing for anything encode() cannot have produced (unknown step, bad nonce, wrong types,
// values missing for the step): the caller then drops the record.
std::optional<dialogue> decode(const encoded& e);

// What the machine needs from outside. Tests pass lambdas; the bot binds the gazetteer and the tz
// database.
struct environment {
  std::int64_t now_utc = 0;                // unix seconds
  int ttl_minutes = 30;                    // DIALOGUE_TTL_MINUTES
  std::function<std::string()> new_nonce;  // 8 lower-case hex digits (format_nonce)
  // Typed place → up to 5 options and the total number of matches.
  std::function<std::pair<std::vector<place_option>, std::size_t>(const std::string& text)> search;
  // Shared point → the nearest city and its distance in km; nothing when there is none.
  std::function<std::optional<std::pair<place_option, double>>(double lat, double lon)> nearest;
  struct resolved {
    std::int64_t utc = 0;  // the birth moment, unix seconds
    enum kind_t { unique, gap, overlap } kind = unique;
    std::string offset_text;   // offset at birth as shown, e.g. "UTC+03:00"
    std::string shifted_time;  // gap only: the wall time actually used, HH:MM
  };
  // Local date (YYYY-MM-DD) and time (HH:MM) in `zone` → UTC by docs/calculations.md §2; nothing
  // for an unknown zone.
  std::function<std::optional<resolved>(const std::string& date, const std::string& time_hhmm,
                                        const std::string& zone)>
      resolve;
};

struct input {
  // Scoped: `text` is also the name of the text field.
  enum class kind { natal_command, cancel_command, text, location, button, other_message };
  kind what = kind::text;
  std::string text;                        // text
  double latitude = 0, longitude = 0;      // location (message.location or venue.location)
  std::string callback_id, callback_data;  // button
  std::int64_t callback_message_id = 0;    // button: the message carrying it
  bool has_birth_data = false;             // natal_command: T_NATAL_EXISTING instead of _NEW
};

struct action {
  enum kind {
    send,             // sendMessage(text, html?, reply_markup)
    send_status,      // sendMessage(text) [plain] with reply_markup; it becomes the status message
    delete_status,    // deleteMessage(status)
    edit_status,      // editMessageText(status, text, html?)
    edit_message,     // editMessageText(message_id, text, html?) without keyboard
    clear_keyboard,   // editMessageReplyMarkup(message_id, empty); errors ignored
    answer_callback,  // answerCallbackQuery(callback_id, text if not empty)
    save_birth,       // the store write of outcome::save (committed before the next call)
    partner_report    // a partner was saved: the /compat report of the new partner follows
  } what = send;
  std::string text;
  bool html = false;
  std::string reply_markup;  // JSON, or empty for none
  std::int64_t message_id = 0;
  std::string callback_id;
  // For `send`: which message of the dialogue this is; pass its message_id to note_sent().
  enum role { none, time_prompt, choice, confirm, name_prompt } remember = none;
};

struct birth_data {
  std::string date;                 // YYYY-MM-DD
  std::optional<std::string> time;  // HH:MM; nothing = unknown
  std::string place_label;
  bool by_location = false;
  std::optional<double> distance_km;
  double latitude = 0, longitude = 0;
  std::string zone;
};

struct outcome {
  std::optional<dialogue> next;    // nothing = delete the stored dialogue
  std::vector<action> actions;     // in order
  std::optional<birth_data> save;  // present with a save_birth action
  // With `save`: the data are a partner's, saved under this name (may be empty), not the user's.
  std::optional<std::string> partner_name;
  // When the save_birth write fails: store this instead of `next` and run these instead of the
  // actions after save_birth.
  std::optional<dialogue> if_save_fails;
  std::vector<action> on_save_failure;
};

// `/natal`, with or without a dialogue in progress (expired or not): clears the old buttons and
// starts over at DATE with a new nonce.
outcome start(const std::optional<dialogue>& current, const input& in, const environment& env);

// «Добавить партнёра» in /compat: like start(), but the dialogue asks about a partner, beginning
// with the optional name.
outcome start_partner(const std::optional<dialogue>& current, const environment& env);

// Any other input while a dialogue is stored: text, location, button, non-text message, /cancel
// (a natal_command is passed on to start()). Covers expiry (T_EXPIRED; a /cancel after expiry
// clears the dialogue silently and answers T_CANCEL_NONE) and stale presses (payload, nonce or
// step wrong → T_STALE answer and the pressed message's buttons cleared, state unchanged). The
// generic staleness of §1.4 (chat not private, from ≠ chat, inaccessible message) is the caller's.
outcome handle(const dialogue& current, const input& in, const environment& env);

// Whether handle() would call env.search or env.nearest for this input: a text or a location at
// PLACE or CHOICE (the caller makes such an input wait while the gazetteer is still being built).
bool looks_up_places(const dialogue& current, const input& in);

// True once `now_utc` is past the dialogue's expiry (docs/behaviour.md §1.3).
bool expired(const dialogue& d, std::int64_t now_utc);

// Records the message_id of a `send` whose remember != none: its role field and, since every such
// message carries inline buttons, keyboard_messages.
void note_sent(dialogue& d, action::role role, std::int64_t message_id);

// The keyboards of docs/behaviour.md §4.6 as reply_markup JSON.
namespace keyboards {
std::string location_request();  // the reply keyboard with request_location
std::string remove();            // {"remove_keyboard":true}
std::string unknown_time(const std::string& nonce);
std::string confirm(const std::string& nonce);
std::string choice(const std::string& nonce, const std::vector<place_option>& options);
std::string skip_name(const std::string& nonce);
}  // namespace keyboards

}  // namespace nocturna::natal
