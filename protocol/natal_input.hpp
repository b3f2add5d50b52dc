// What a user types or presses during the /natal dialogue (docs/behaviour.md §4.6), parsed without
// side effects: dates, times, the yes/no/unknown-time words and the `n:` callback payloads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nocturna::natal {

// `text` without leading and trailing whitespace (ASCII and the Unicode spaces phones insert).
std::string_view trim(std::string_view text);

// docs/behaviour.md §4.6 "normalised": trimmed, lower-cased (ASCII, Latin-1 and Cyrillic), `ё`→`е`,
// inner whitespace collapsed to one space, trailing `.` and `!` removed. Invalid UTF-8 becomes
// U+FFFD.
std::string normalise(std::string_view text);

// Unicode code points of `text` (§1.7 counts input lengths this way); an invalid byte counts one.
std::size_t code_points(std::string_view text);

enum class date_check { ok, format, invalid, range };

struct parsed_date {
  date_check status = date_check::format;
  std::string iso;  // YYYY-MM-DD, only when status == ok
};

// A birth date typed as a whole `D{1,2}.M{1,2}.YYYY` or `YYYY-M{1,2}-D{1,2}` (trimmed): format
// first, then calendar validity, then the range 1900-01-01 … today, where today is the date at
// UTC+14 of `now_utc` (unix seconds) so no zone on Earth has a later date.
parsed_date parse_date(std::string_view text, std::int64_t now_utc);

// "YYYY-MM-DD" → "DD.MM.YYYY" (docs/behaviour.md §1.8); anything else is returned unchanged.
std::string display_date(std::string_view iso);

// A birth time typed as a whole `H{1,2}:MM(:SS)?` or `H{1,2}.MM` (trimmed), hours 0–23, minutes and
// seconds 00–59. Returns "HH:MM" (seconds dropped).
std::optional<std::string> parse_time(std::string_view text);

// The word sets of docs/behaviour.md §4.6, matched on normalise(text).
bool is_unknown_time_word(std::string_view text);
bool is_yes_word(std::string_view text);
bool is_no_word(std::string_view text);

// 8 lower-case hex digits.
bool is_nonce(std::string_view text);
// The nonce for a random value, e.g. 0x0a1b2c3d → "0a1b2c3d".
std::string format_nonce(std::uint32_t random);

// `n:{nonce}:t`, `n:{nonce}:c{i}` (i = 0..4), `n:{nonce}:y`, `n:{nonce}:r` (docs/behaviour.md §1.4)
// and `n:{nonce}:s` (skip the partner's name, /compat).
struct callback_payload {
  enum kind { unknown_time, choice, yes, restart, skip_name };
  std::string nonce;
  kind what = unknown_time;
  int index = 0;  // choice only
};

// Nothing unless `data` is exactly one of the five forms with a valid nonce.
std::optional<callback_payload> parse_callback(std::string_view data);
// The callback_data for a button (at most 13 bytes, far below Telegram's 64).
std::string callback_data(const callback_payload& payload);

}  // namespace nocturna::natal
