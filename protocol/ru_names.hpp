// The Russian vocabulary of docs/behaviour.md §2 and the angle/orb formats of docs/behaviour.md
// §1.8: the only place where a body, sign, aspect or house system gets the name a user sees.
#pragma once

#include <string>

#include "protocol/chart.hpp"

namespace nocturna::ru {

// Decides the ending of «Транзитный/ая/ое» and «натальный/ая/ое».
enum class gender { masculine, feminine, neuter };

const char* body_name(
    astro::body b);  // "Солнце", "Северный узел", "Лилит"; true_node → "Истинный узел"
gender body_gender(astro::body b);
// docs/behaviour.md §2 «℞ shown»: the nodes and Lilith move retrograde by construction, so ℞ says
// nothing.
bool shows_retrograde(astro::body b);

// A body's name, or "Асцендент"/"MC" (also "Десцендент"/"IC") for a natal angle.
std::string point_name(const astro::aspect_point& p);
gender point_gender(const astro::aspect_point& p);

const char* sign_name(int sign);  // 0..11, nominative: "Овен"; "" out of range
const char* sign_in(int sign);  // with its preposition: "в Овне", "во Льве"; "" out of range

const char* aspect_word(astro::aspect_type t);    // "соединение"
const char* aspect_symbol(astro::aspect_type t);  // "☌"

// 'P' → "Плацидус" … 'C' → "Кампанус"; nullptr for a letter that is not one of P K E W O R C.
const char* house_system_label(char letter);

// "аспект" / "аспекта" / "аспектов" for n (docs/behaviour.md §2).
std::string aspect_plural(long n);
// «Транзитный/ая/ое» and «натальный/ая/ое» agreeing with a body's gender (docs/behaviour.md §3 TR).
const char* transit_adjective(gender g);
const char* natal_adjective(gender g);

// Degrees inside the sign, truncated: "24°05′" (docs/calculations.md §3.3).
std::string angle_text(double longitude);
// An orb, truncated the same way: "1°57′".
std::string orb_text(double orb);

}  // namespace nocturna::ru
