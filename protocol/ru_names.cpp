// The tables of docs/behaviour.md §2, indexed by the enums of protocol/chart.hpp.
#include "protocol/ru_names.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace nocturna::ru {

namespace {

struct body_entry {
  const char* name;
  gender g;
  bool retrograde_shown;
};

// Same order as astro::body.
constexpr body_entry bodies[] = {
    {"Солнце", gender::neuter, false},           {"Луна", gender::feminine, false},
    {"Меркурий", gender::masculine, true},       {"Венера", gender::feminine, true},
    {"Марс", gender::masculine, true},           {"Юпитер", gender::masculine, true},
    {"Сатурн", gender::masculine, true},         {"Уран", gender::masculine, true},
    {"Нептун", gender::masculine, true},         {"Плутон", gender::masculine, true},
    {"Северный узел", gender::masculine, false}, {"Истинный узел", gender::masculine, false},
    {"Лилит", gender::feminine, false},          {"Хирон", gender::masculine, true}};

constexpr const char* sign_nominative[] = {"Овен",    "Телец",   "Близнецы", "Рак",
                                           "Лев",     "Дева",    "Весы",     "Скорпион",
                                           "Стрелец", "Козерог", "Водолей",  "Рыбы"};

constexpr const char* sign_prepositional[] = {
    "в Овне",  "в Тельце",    "в Близнецах", "в Раке",     "во Льве",   "в Деве",
    "в Весах", "в Скорпионе", "в Стрельце",  "в Козероге", "в Водолее", "в Рыбах"};

// Same order as astro::aspect_type.
constexpr const char* aspect_words[] = {"соединение", "оппозиция", "трин", "квадрат", "секстиль"};
constexpr const char* aspect_symbols[] = {"☌", "☍", "△", "□", "⚹"};

const body_entry& entry(astro::body b) {
  return bodies[static_cast<int>(b)];
}

// Truncation of both parts, as docs/calculations.md §3.3 prescribes for D/M/S.
std::string degrees_minutes(double value) {
  if (!std::isfinite(value)) value = 0;
  const double d = std::trunc(value);
  int minute = static_cast<int>(std::trunc((value - d) * 60.0));
  if (minute > 59) minute = 59;
  return fmt::format("{}°{:02}′", static_cast<long long>(d), minute);
}

}  // namespace

const char* body_name(astro::body b) {
  return entry(b).name;
}

gender body_gender(astro::body b) {
  return entry(b).g;
}

bool shows_retrograde(astro::body b) {
  return entry(b).retrograde_shown;
}

std::string point_name(const astro::aspect_point& p) {
  if (p.id) return body_name(*p.id);
  if (p.angle == "ASC") return "Асцендент";
  if (p.angle == "DSC") return "Десцендент";
  // MC and IC are shown by their Latin abbreviations (docs/behaviour.md §2); anything else is a
  // caller bug that the report builders never let through.
  return p.angle;
}

gender point_gender(const astro::aspect_point& p) {
  return p.id ? body_gender(*p.id) : gender::masculine;
}

const char* sign_name(int sign) {
  return sign >= 0 && sign < 12 ? sign_nominative[sign] : "";
}

const char* sign_in(int sign) {
  return sign >= 0 && sign < 12 ? sign_prepositional[sign] : "";
}

const char* aspect_word(astro::aspect_type t) {
  return aspect_words[static_cast<int>(t)];
}

const char* aspect_symbol(astro::aspect_type t) {
  return aspect_symbols[static_cast<int>(t)];
}

const char* house_system_label(char letter) {
  switch (letter) {
    case 'P':
      return "Плацидус";
    case 'K':
      return "Кох";
    case 'E':
      return "Равнодомная";
    case 'W':
      return "Целые знаки";
    case 'O':
      return "Порфирий";
    case 'R':
      return "Региомонтан";
    case 'C':
      return "Кампанус";
    default:
      return nullptr;
  }
}

std::string aspect_plural(long n) {
  const long a = n < 0 ? -(n % 100) : n % 100;  // avoids overflow of -LONG_MIN
  const long mod10 = a % 10;
  if (mod10 == 1 && a != 11) return "аспект";
  if (mod10 >= 2 && mod10 <= 4 && (a < 12 || a > 14)) return "аспекта";
  return "аспектов";
}

std::string angle_text(double longitude) {
  const astro::dms d = astro::to_dms(longitude);
  return fmt::format("{}°{:02}′", d.degree, d.minute);
}

std::string orb_text(double orb) {
  return degrees_minutes(std::fabs(orb));
}

const char* transit_adjective(gender g) {
  switch (g) {
    case gender::feminine:
      return "Транзитная";
    case gender::neuter:
      return "Транзитное";
    case gender::masculine:
      break;
  }
  return "Транзитный";
}

const char* natal_adjective(gender g) {
  switch (g) {
    case gender::feminine:
      return "натальная";
    case gender::neuter:
      return "натальное";
    case gender::masculine:
      break;
  }
  return "натальный";
}

}  // namespace nocturna::ru
