// The tables of the built-in interpreter (bot.md §7.4): text assets under
// `<share_dir>/meanings_ru/`, read at start-up so the wording can change without a rebuild.
//
// File format (every table): UTF-8 text, one entry per line `KEY<TAB>text`; blank lines and lines
// starting with '#' are skipped; CR before LF is tolerated; each key exactly once. Keys are the API
// names of protocol/chart.hpp where one exists:
//   file                keys                                  characters
//   planet_in_sign.tsv  SUN.ARIES .. PLUTO.PISCES (120)       60–250
//   moon_day.tsv        ARIES..PISCES                         60–250
//   asc_in_sign.tsv     ARIES..PISCES                         60–250
//   aspect.tsv          conjunction opposition trine square   30–200, {A} and {B} once each
//                       sextile
//   aspect_same.tsv     the same five keys                    30–200, {A} once: a transiting
//                                                             body to its own natal place
//   theme.tsv           SUN..PLUTO NORTH_NODE LILITH CHIRON   2–40
//                       ASC MC
//   element_advice.tsv  FIRE EARTH AIR WATER                  150–400
//   retro_mercury.tsv   TEXT                                  60–250
//   influence.tsv       APPLYING SEPARATING                   5–80
//   bi_no_transits.tsv  TEXT (T_BI_NO_TRANSITS, bot.md §9)    20–250
// Characters are Unicode code points. Every text except a theme must end a sentence (. ! ? …).
#pragma once

#include <array>
#include <map>
#include <stdexcept>
#include <string>

#include "protocol/chart.hpp"

namespace nocturna::interpret {

// A missing, unreadable or invalid table. The message starts with the file's path (and line when
// one is at fault) and names the key, e.g. ".../planet_in_sign.tsv: missing key MOON.CAPRICORN".
struct meanings_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The directory inside the share directory.
constexpr const char* meanings_dir_name = "meanings_ru";

enum class element { fire, earth, air, water };
element element_of_sign(int sign);  // sign 0 = ARIES

class meanings {
 public:
  // Reads and validates every table of `<share_dir>/meanings_ru/`; throws meanings_error.
  static meanings load(const std::string& share_dir);

  // Planets SUN..PLUTO and signs 0..11 only; anything else throws std::out_of_range.
  const std::string& planet_in_sign(astro::body planet, int sign) const;
  const std::string& moon_day(int sign) const;
  const std::string& asc_in_sign(int sign) const;
  const std::string& aspect_template(astro::aspect_type t) const;
  const std::string& same_point_template(astro::aspect_type t) const;
  // nullptr for a point without a theme (TRUE_NODE, DSC, IC): such an aspect is not described.
  const std::string* theme(const astro::aspect_point& p) const;
  const std::string& element_advice(element e) const;
  const std::string& retro_mercury() const { return retro_mercury_; }
  const std::string& influence(bool applying) const { return applying ? applying_ : separating_; }
  const std::string& bi_no_transits() const { return bi_no_transits_; }

 private:
  std::array<std::array<std::string, 12>, 10> planet_in_sign_;
  std::array<std::string, 12> moon_day_, asc_in_sign_;
  std::array<std::string, 5> aspect_, aspect_same_;
  std::map<std::string, std::string> theme_;
  std::array<std::string, 4> element_advice_;
  std::string retro_mercury_, applying_, separating_, bi_no_transits_;
};

}  // namespace nocturna::interpret
