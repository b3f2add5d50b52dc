// The tables of the built-in interpreter: text assets under `<share_dir>/meanings_ru/`, read at
// start-up so the wording can change without a rebuild. docs/interpretations.md explains how the
// texts are composed from them and how to add an entry.
//
// File format (every table): UTF-8 text, one entry per line `KEY<TAB>text`; blank lines and lines
// starting with '#' are skipped; CR before LF is tolerated. A table of variants lists a key on
// several lines, one variant per line; any other table lists each key exactly once. Keys are the
// API names of protocol/chart.hpp where one exists:
//   file                keys                                   variants  characters
//   forms.tsv           SUN..PLUTO NORTH_NODE LILITH CHIRON    1         see below
//                       ASC MC DSC IC, and the aspect names
//   planet_in_sign.tsv  SUN.ARIES .. PLUTO.PISCES (120)        1         60–250
//   moon_day.tsv        ARIES..PISCES                          1         60–250
//   lunar_day.tsv       DAY1..DAY30 (the lunar day, /moon)     1         60–250
//   moon_phase.tsv      NEW_MOON WAXING_CRESCENT FIRST_QUARTER 1         60–250
//                       WAXING_GIBBOUS FULL_MOON WANING_GIBBOUS
//                       LAST_QUARTER WANING_CRESCENT (/moon)
//   asc_in_sign.tsv     ARIES..PISCES                          1         60–250
//   pair.tsv            A+B.FAMILY: A one of SUN..MARS, B a    ≥ 2       60–260
//                       later body up to PLUTO, FAMILY one of
//                       CONJUNCTION HARMONY TENSION (only the
//                       families the two bodies can form)
//   transit.tsv         SUN..PLUTO × .FAMILY                   ≥ 3       40–260, {N} once
//   natal_point.tsv     SUN..PLUTO ASC MC                      ≥ 2       10–90, no full stop
//   duration.tsv        HOURS DAYS WEEKS MONTHS × .APPLYING    ≥ 5       20–160
//                       / .SEPARATING
//   synastry.tsv        AREA.HARMONY|TENSION|NEUTRAL (15)      ≥ 2       60–260
//   advice.tsv          TEXT                                   ≥ 28      100–400
//   retro_mercury.tsv   TEXT                                   1         60–250
//   bi_no_transits.tsv  TEXT                                   1         20–250
// forms.tsv: `nominative|genitive|dative|accusative|instrumental|prepositional|gender` with gender
// m, f or n. Placeholders: transit.tsv may name the transiting body as {T.nom} … {T.pre} and must
// contain {N} (the natal point of natal_point.tsv, an accusative phrase) once. Characters are
// Unicode code points. Every text except a natal point must end a sentence (. ! ? …).
#pragma once

#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocol/chart.hpp"
#include "protocol/ru_names.hpp"

namespace nocturna::interpret {

// A missing, unreadable or invalid table. The message starts with the file's path (and line when
// one is at fault) and names the key, e.g. ".../planet_in_sign.tsv: missing key MOON.CAPRICORN".
struct meanings_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Lunar days in a lunar month at most (clients/astro/lunar_calendar.hpp).
constexpr int lunar_day_count = 30;

// The directory inside the share directory.
constexpr const char* meanings_dir_name = "meanings_ru";

// Aspects grouped by how they read: a conjunction by the natures it merges, trine and sextile as
// harmony, square and opposition as tension.
enum class family { conjunction, harmony, tension };
family family_of(astro::aspect_type t);
const char* family_key(family f);  // "CONJUNCTION", "HARMONY", "TENSION"

// How long a transit of a body lasts, by its speed.
enum class duration { hours, days, weeks, months };
duration duration_of(astro::body transiting);

// The cases of a noun: a body, an angle or an aspect.
enum class grammatical_case { nom, gen, dat, acc, ins, pre };
struct noun_forms {
  std::array<std::string, 6> forms;  // by grammatical_case
  ru::gender gender = ru::gender::masculine;
  const std::string& operator[](grammatical_case c) const {
    return forms[static_cast<std::size_t>(c)];
  }
};

// The bodies a pair text may exist for: the first of SUN..MARS, the second a later planet. False
// for combinations the sky cannot form (Mercury never gets 28° from the Sun, Venus never 48°,
// Mercury and Venus never 76° apart).
bool pair_family_possible(astro::body a, astro::body b, family f);

class meanings {
 public:
  // Reads and validates every table of `<share_dir>/meanings_ru/`; throws meanings_error.
  static meanings load(const std::string& share_dir);

  // Planets SUN..PLUTO and signs 0..11 only; anything else throws std::out_of_range.
  const std::string& planet_in_sign(astro::body planet, int sign) const;
  const std::string& moon_day(int sign) const;
  const std::string& asc_in_sign(int sign) const;
  // The lunar day 1..30 (else std::out_of_range); the phase by its key (astro::phase_key).
  const std::string& lunar_day(int number) const;
  const std::string& moon_phase(const std::string& key) const;
  // A point's declension by its API name (SUN, ASC, …) or an aspect's (square, …); nullptr when
  // the table has none (TRUE_NODE).
  const noun_forms* forms(const std::string& key) const;
  // The variants of a pair (either order) in a family; nullptr when the pair has no text.
  const std::vector<std::string>* pair_texts(astro::body a, astro::body b, family f) const;
  // A transiting planet SUN..PLUTO in a family; nullptr for any other body.
  const std::vector<std::string>* transit_texts(astro::body transiting, family f) const;
  // The natal point (SUN..PLUTO, ASC, MC) as an accusative phrase; nullptr for other points.
  const std::vector<std::string>* natal_point(const astro::aspect_point& p) const;
  const std::vector<std::string>& duration_texts(duration d, bool applying) const;
  const std::vector<std::string>& advice() const { return advice_; }
  // synastry.tsv: AREA.VERDICT (EMOTIONS.HARMONY …), the /compat paragraphs; throws for any other.
  const std::vector<std::string>& synastry_texts(const std::string& key) const;
  const std::string& retro_mercury() const { return retro_mercury_; }
  const std::string& bi_no_transits() const { return bi_no_transits_; }

 private:
  std::array<std::array<std::string, 12>, 10> planet_in_sign_;
  std::array<std::string, 12> moon_day_, asc_in_sign_;
  std::array<std::string, lunar_day_count> lunar_day_;
  std::map<std::string, std::vector<std::string>> moon_phase_;
  std::map<std::string, noun_forms> forms_;
  std::map<std::string, std::vector<std::string>> pair_, transit_, natal_point_, duration_,
      synastry_;
  std::vector<std::string> advice_;
  std::string retro_mercury_, bi_no_transits_;
};

}  // namespace nocturna::interpret
