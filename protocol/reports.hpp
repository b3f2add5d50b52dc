// The report texts, captions and reply texts of docs/behaviour.md §3 and §9 built from a chart:
// pure functions, HTML with every interpolated value escaped (docs/behaviour.md conventions).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/chart.hpp"

namespace nocturna::reports {

// A moment as shown to the user; the caller formats it in the display zone (docs/behaviour.md
// §1.8), e.g.
// {"26.11.2026", "17:00", "Europe/Moscow", "UTC+03:00"}.
struct moment_label {
  std::string date, time, zone, offset;
};

// Saved birth data as shown to the user.
struct birth_view {
  std::string date;                 // DD.MM.YYYY
  std::optional<std::string> time;  // HH:MM; empty when unknown
  std::string zone, place_label;
  bool by_location = false;  // the place came from a shared location
  double latitude = 0, longitude = 0;
};

// --- Building blocks (docs/behaviour.md §3) ---

// «📅 26.11.2026 🕐 17:00 (Europe/Moscow, UTC+03:00)», escaped.
std::string moment_line(const moment_label& at);

// The aspects a sky or natal report may show: the five types between SUN..PLUTO within the orbs of
// docs/calculations.md §5, tightest first (ties in §1.1 order).
std::vector<astro::aspect> major_aspects(const std::vector<astro::aspect>& aspects);
// Transit-to-natal aspects a report may show: natal SUN..PLUTO (plus ASC/MC when the birth time is
// known) × transiting SUN..PLUTO within 3°, tightest first.
std::vector<astro::aspect> transit_aspects(const std::vector<astro::aspect>& aspects,
                                           bool natal_time_unknown);

// POS lines in report order, ` ({n} дом)` only when `with_houses`, ending with the ℞ legend line
// when any ℞ is shown. No trailing newline.
std::string pos_lines(const astro::chart& c, bool with_houses);
std::string asp_line(const astro::aspect& a);
// ASP lines of major_aspects(aspects), or T_NO_ASPECTS.
std::string asp_lines(const std::vector<astro::aspect>& aspects);
// One TR line: p1 is the natal point, p2 the transiting body (docs/calculations.md §5.2).
std::string tr_line(const astro::aspect& a);
std::string angles_lines(const astro::angles& a);  // ANGLES: Асцендент, MC, Десцендент, IC
std::string cusps_lines(const std::vector<astro::house_cusp>& houses);  // CUSPS
extern const char* const note_unknown;                                  // N_UNKNOWN
std::string note_polar(char system_requested);                          // N_POLAR

// --- Reports [HTML] ---

std::string sky_report(const astro::chart& c, const moment_label& at, std::string_view place_name);
std::string natal_report(const astro::chart& c, const birth_view& birth);
std::string ptransit_report(const std::vector<astro::aspect>& aspects, const moment_label& at,
                            bool natal_time_unknown);
std::string planets_report(const astro::chart& c, const moment_label& at);
std::string aspects_report(const astro::chart& c, const moment_label& at);

// --- Captions [HTML], never longer than 1024 visible UTF-16 units ---

std::string sky_caption(const moment_label& at, std::string_view place_name);
std::string natal_caption(const birth_view& birth);
std::string pt_caption(const moment_label& at);

// --- Interpretation block (docs/behaviour.md §7.1) ---

// compat: /compat (its headers in protocol/compat_texts.hpp); moon: /moon.
enum class purpose { day, natal, transits, compat, moon };

// Header + text (+ T_INTERP_NOTE). `text_html` is inserted as is: LLM text comes already
// sanitised, built-in text is the caller's to escape.
std::string interpretation_block(purpose p, std::string_view text_html, bool builtin,
                                 bool llm_configured_but_unused);

// T_FORECAST [HTML]: the first 5 TR lines of transit_aspects(aspects, time_unknown).
std::string forecast_text(const std::vector<astro::aspect>& aspects, std::string_view date,
                          bool time_unknown, std::string_view interpretation_block);

// --- Profile, settings, subscription ---

// T_PROFILE [HTML]; `subscription_time` = HH:MM of an active subscription; `partners` = the
// partners saved by /compat (a line only when there are any).
std::string profile_text(const birth_view& birth, char house_system,
                         const std::optional<std::string>& subscription_time,
                         std::size_t partners = 0);
// T_SETTINGS [HTML].
std::string settings_text(char current, bool time_unknown);
// reply_markup of /settings (docs/behaviour.md §4.11): {"inline_keyboard":[...]} with data
// "s:h:{L}".
std::string settings_keyboard(char current);
// reply_markup of the /clear_profile question (docs/behaviour.md §4.10): x:{nonce}:y / x:{nonce}:n.
std::string clear_keyboard(std::string_view nonce);
// Callback answers of /settings for a house-system letter [plain].
std::string set_changed_text(char letter);                                   // T_SET_CHANGED
std::string set_same_text(char letter);                                      // T_SET_SAME
std::string sub_ok_text(std::string_view time, std::string_view zone);       // T_SUB_OK [HTML]
std::string sub_changed_text(std::string_view time, std::string_view zone);  // T_SUB_CHANGED [HTML]

}  // namespace nocturna::reports
