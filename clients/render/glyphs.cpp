#include "clients/render/glyphs.hpp"

namespace nocturna::render {

const char* body_glyph(astro::body b) {
  using astro::body;
  switch (b) {
    case body::sun:
      return "\u2609";
    case body::moon:
      return "\u263D";
    case body::mercury:
      return "\u263F";
    case body::venus:
      return "\u2640";
    case body::mars:
      return "\u2642";
    case body::jupiter:
      return "\u2643";
    case body::saturn:
      return "\u2644";
    case body::uranus:
      return "\u2645";
    case body::neptune:
      return "\u2646";
    case body::pluto:
      return "\u2647";
    case body::mean_node:
    case body::true_node:
      return "\u260A";
    case body::mean_lilith:
      return "\u26B8";
    case body::chiron:
      return "\u26B7";
  }
  return "?";
}

const char* sign_glyph(int sign) {
  static const char* const signs[12] = {"\u2648", "\u2649", "\u264A", "\u264B", "\u264C", "\u264D",
                                        "\u264E", "\u264F", "\u2650", "\u2651", "\u2652", "\u2653"};
  return signs[((sign % 12) + 12) % 12];
}

const char* aspect_glyph(astro::aspect_type t) {
  using astro::aspect_type;
  switch (t) {
    case aspect_type::conjunction:
      return "\u260C";
    case aspect_type::opposition:
      return "\u260D";
    case aspect_type::trine:
      return "\u25B3";
    case aspect_type::square:
      return "\u25A1";
    case aspect_type::sextile:
      return nullptr;
  }
  return nullptr;
}

const char* aspect_label_ru(astro::aspect_type t) {
  using astro::aspect_type;
  switch (t) {
    case aspect_type::conjunction:
      return "соединение";
    case aspect_type::opposition:
      return "оппозиция";
    case aspect_type::trine:
      return "трин";
    case aspect_type::square:
      return "квадрат";
    case aspect_type::sextile:
      return "секстиль";
  }
  return "";
}

unsigned sign_colour(int sign) {
  static const unsigned elements[4] = {palette::fire, palette::earth, palette::air, palette::water};
  return elements[((sign % 12) + 12) % 4];
}

unsigned aspect_colour(astro::aspect_type t) {
  using astro::aspect_type;
  switch (t) {
    case aspect_type::conjunction:
      return 0xc4a3ff;
    case aspect_type::opposition:
      return 0xff5470;
    case aspect_type::square:
      return 0xff9248;
    case aspect_type::trine:
      return 0x45d38f;
    case aspect_type::sextile:
      return 0x4fb8ff;
  }
  return 0xffffff;
}

}  // namespace nocturna::render
