// Place-name normalisation (docs/integrations.md §3.4).
#include "clients/geo/place_text.hpp"

#include <glib.h>

#include <memory>

namespace nocturna::geo {

namespace {

// Code points that act as word separators or vanish, on top of ASCII whitespace.
bool is_dash(gunichar c) {
  return c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212;
}
bool is_apostrophe(gunichar c) {
  return c == '\'' || c == '`' || c == 0x2019 || c == 0x02BC;
}
bool is_space(gunichar c) {
  return g_unichar_isspace(c) || c == 0x00A0;
}

}  // namespace

std::string normalise_place(std::string_view text) {
  if (text.empty() || !g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr))
    return {};
  std::unique_ptr<gchar, decltype(&g_free)> lower(
      g_utf8_strdown(text.data(), static_cast<gssize>(text.size())), &g_free);
  std::string out;
  bool pending_space = false;
  for (const gchar* p = lower.get(); *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char(p);
    if (is_apostrophe(c)) continue;
    if (is_space(c) || is_dash(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (c == 0x0451) c = 0x0435;  // ё → е: users type either
    if (pending_space) out.push_back(' ');
    pending_space = false;
    char buf[6];
    out.append(buf, static_cast<std::size_t>(g_unichar_to_utf8(c, buf)));
  }
  if (!out.empty() && (out.back() == '.' || out.back() == '!')) {
    out.pop_back();
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

std::string_view first_word(std::string_view normalised) {
  const auto space = normalised.find(' ');
  return space == std::string_view::npos ? normalised : normalised.substr(0, space);
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace nocturna::geo
