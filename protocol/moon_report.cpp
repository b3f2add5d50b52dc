#include "protocol/moon_report.hpp"

#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/texts.hpp"
#include "protocol/typography.hpp"

namespace nocturna::reports {
namespace {

std::string esc(const std::string& s) {
  return html::escape(s);
}

// ♈ … ♓ with the emoji presentation selector, as phones show sign glyphs in colour.
const char* sign_glyph(int sign) {
  static const char* const glyphs[] = {"♈️", "♉️", "♊️", "♋️", "♌️", "♍️",
                                       "♎️", "♏️", "♐️", "♑️", "♒️", "♓️"};
  return sign >= 0 && sign < 12 ? glyphs[sign] : "🌙";
}

std::string span(const std::string& from, const std::string& to) {
  return "с " + esc(from) + " до " + esc(to);
}

}  // namespace

std::string moon_report(const moon_view& v) {
  std::string out = "🌙 <b>Лунный календарь</b>\n" + moment_line(v.at) + "\n📍 " + esc(v.place);
  if (v.default_place) out += std::string("\n") + texts::moon_default_place;
  out += "\n\n" + v.phase_emoji + " <b>Фаза:</b> " + esc(v.phase_name) + ", освещено " +
         std::to_string(v.illumination_percent) + " %";
  out += "\n🗓 <b>Лунный день:</b> ";
  if (v.lunar_day)
    out += std::to_string(*v.lunar_day) + "-й, " + span(v.day_start, v.day_end);
  else
    out += texts::moon_no_rise;
  out += "\n" + std::string(sign_glyph(v.sign)) + " <b>Луна " + ru::sign_in(v.sign) + "</b> " +
         span(v.sign_start, v.sign_end);
  if (v.void_of_course.empty())
    out += "\n⏸ <b>Луна без курса:</b> в этот день нет";
  for (const auto& [from, to] : v.void_of_course)
    out += "\n⏸ <b>Луна без курса:</b> " + span(from, to);
  out += "\n🌑 <b>Новолуние:</b> " + esc(v.next_new_moon);
  out += "\n🌕 <b>Полнолуние:</b> " + esc(v.next_full_moon);
  for (const auto& e : v.eclipses) out += "\n🌘 <b>Затмение:</b> " + esc(e);
  return typography::typeset(out);
}

std::string moon_block(const std::string& text_html) {
  return interpretation_block(purpose::moon, text_html, true, false);
}

}  // namespace nocturna::reports
