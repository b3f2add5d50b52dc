// The /natal dialogue texts of docs/behaviour.md §9 and the button labels of §4.6, quoted exactly
// once. Builders return finished texts: in the HTML ones every interpolated value is escaped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nocturna::natal::texts {

extern const char* const natal_new;        // T_NATAL_NEW [HTML]
extern const char* const natal_existing;   // T_NATAL_EXISTING [HTML]
extern const char* const date_prompt;      // T_DATE_PROMPT [HTML]
extern const char* const restart;          // T_RESTART [HTML]
extern const char* const date_format;      // T_DATE_FORMAT [plain]
extern const char* const date_invalid;     // T_DATE_INVALID [plain]
extern const char* const date_range;       // T_DATE_RANGE [plain]
extern const char* const time_format;      // T_TIME_FORMAT [plain]
extern const char* const place_short;      // T_PLACE_SHORT [plain]
extern const char* const place_long;       // T_PLACE_LONG [plain]
extern const char* const place_not_found;  // T_PLACE_NOT_FOUND [plain]
extern const char* const places_loading;   // T_PLACES_LOADING [plain]
extern const char* const confirm_hint;     // T_CONFIRM_HINT [plain]
extern const char* const future_birth;     // T_FUTURE_BIRTH [plain]
extern const char* const non_text;         // T_NON_TEXT [plain]
extern const char* const saved;            // T_SAVED [HTML]
extern const char* const save_failed;      // T_SAVE_FAILED [plain]
extern const char* const cancelled;        // T_CANCELLED [plain]
extern const char* const expired;          // T_EXPIRED [plain]
extern const char* const status_place;     // T_ST_PLACE [plain]
extern const char* const status_location;  // T_ST_LOCATION [plain]
extern const char* const status_save;      // T_ST_SAVE [plain]

// Button labels and the reply keyboard's placeholder (docs/behaviour.md §4.6).
extern const char* const button_unknown_time;  // «Не знаю время»
extern const char* const button_yes;           // «Да»
extern const char* const button_restart;       // «Нет, заново»
extern const char* const button_location;  // «📍 Отправить местоположение»
extern const char* const location_placeholder;  // «Город, страна»

// The partner dialogue of /compat (the same machine, docs/architecture.md): its own first step,
// the texts that name «партнёра» or send back to /compat, and its button.
extern const char* const partner_name_prompt;   // [HTML] the first message
extern const char* const partner_name_long;     // [plain]
extern const char* const partner_date_prompt;   // [HTML]
extern const char* const partner_future_birth;  // [plain]
extern const char* const partner_cancelled;     // [plain]
extern const char* const partner_expired;       // [plain]
extern const char* const partner_saved;         // [HTML] the status before the report
extern const char* const partner_limit;         // [plain] already 10 partners
extern const char* const status_partner_save;   // [plain]
extern const char* const button_skip;           // «Пропустить»
constexpr std::size_t partner_name_max = 32;    // code points

// The date prompt of the dialogue's subject, with T_RESTART before it when `restart`.
std::string date_prompt_for(bool partner, bool restart = false);

// T_NATAL_EXISTING or T_NATAL_NEW followed by T_DATE_PROMPT: the one message /natal sends.
std::string natal_start(bool has_birth_data);
// T_RESTART followed by T_DATE_PROMPT.
std::string restart_prompt();

// T_TIME_PROMPT [HTML]; `date` is DD.MM.YYYY.
std::string time_prompt(std::string_view date, bool partner = false);
// T_PLACE_PROMPT [HTML]; `time` is HH:MM, nothing = unknown.
std::string place_prompt(const std::optional<std::string>& time, bool partner = false);
// T_CHOICE [HTML]; `total` = all matches, the "first 5 of N" line appears when it exceeds 5.
std::string choice(std::size_t total);
// T_CHOSEN [HTML].
std::string chosen(std::string_view label);

// T_NOTE_GAP, T_NOTE_OVERLAP, T_NOTE_FAR: HTML fragments for confirm_view::notes.
std::string note_gap(std::string_view time, std::string_view shifted_time);
std::string note_overlap(std::string_view time);
std::string note_far(std::int64_t km);

struct confirm_view {
  std::string date;                 // DD.MM.YYYY
  std::optional<std::string> time;  // HH:MM, nothing = unknown
  std::string label;
  std::optional<std::int64_t> nearest_km;  // set for a shared location: "(ближайший город, N км)"
  double latitude = 0, longitude = 0;
  std::string zone;
  std::string offset;              // offset at birth, e.g. "UTC+03:00"
  std::vector<std::string> notes;  // already HTML (the note_* builders)
  bool partner = false;            // the data of a /compat partner
};
// T_CONFIRM [HTML].
std::string confirm(const confirm_view& view);

}  // namespace nocturna::natal::texts
