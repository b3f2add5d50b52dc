// Composition of the built-in texts (bot.md §7.4).
#include "clients/interpret/builtin_interpreter.hpp"

#include <optional>

#include "clients/astro/aspects.hpp"
#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"

namespace nocturna::interpret {

namespace {

using astro::aspect;
using astro::aspect_point;
using astro::body;
using astro::chart;

// Paragraphs kept in three groups so that aspects, the only optional part, can be dropped from
// the end of their group when the text would exceed builtin_text_max.
struct composition {
  std::vector<std::string> head, aspects, tail;

  std::string text() const {
    std::vector<const std::string*> fixed;
    for (const auto* group : {&head, &tail})
      for (const auto& p : *group) fixed.push_back(&p);
    std::size_t used = 0;
    for (const auto* p : fixed) used += html::visible_length(*p);
    used += fixed.empty() ? 0 : 2 * (fixed.size() - 1);
    std::vector<const std::string*> out;
    for (const auto& p : head) out.push_back(&p);
    for (const auto& p : aspects) {
      const std::size_t cost = html::visible_length(p) + 2;
      if (used + cost > builtin_text_max) break;
      used += cost;
      out.push_back(&p);
    }
    for (const auto& p : tail) out.push_back(&p);
    std::string s;
    for (const auto* p : out) {
      if (!s.empty()) s += "\n\n";
      s += *p;
    }
    return s;
  }
};

std::string paragraph(const char* emoji, const std::string& html_text) {
  return std::string(emoji) + " " + html_text;
}

int sign_of(double longitude) {
  return astro::to_dms(longitude).sign;
}

// "Солнце в Рыбах: " + the planet's meaning in that sign.
std::string planet_line(const meanings& m, const astro::body_position& p) {
  const int sign = sign_of(p.longitude);
  return html::escape(ru::body_name(p.id)) + " " + html::escape(ru::sign_in(sign)) + ": " +
         html::escape(m.planet_in_sign(p.id, sign));
}

void replace_all(std::string& s, const std::string& what, const std::string& with) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
    s.replace(pos, what.size(), with);
}

// Themes are lower case, and a template may start with one.
void capitalise_first_letter(std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'a' && c <= 'z') {
      s[i] = static_cast<char>(c - 'a' + 'A');
      return;
    }
    if (c >= 'A' && c <= 'Z') return;
    if (c == 0xD0 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0xB0 && n <= 0xBF) s[i + 1] = static_cast<char>(n - 0x20);  // а..п → А..П
      if (n >= 0x81 && n <= 0xBF) return;                                  // any Cyrillic letter
    }
    if (c == 0xD1 && i + 1 < s.size()) {
      const auto n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x8F) {  // р..я → Р..Я
        s[i] = static_cast<char>(0xD0);
        s[i + 1] = static_cast<char>(n + 0x20);
        return;
      }
      if (n == 0x91) {  // ё → Ё
        s[i] = static_cast<char>(0xD0);
        s[i + 1] = static_cast<char>(0x81);
        return;
      }
    }
  }
}

// The aspect template with {A} = theme of `a`, {B} = theme of `b`; nothing when a point has no
// theme, so the aspect is left out rather than described with a gap.
std::optional<std::string> aspect_sentence(const meanings& m, astro::aspect_type type,
                                           const aspect_point& a, const aspect_point& b) {
  const std::string* ta = m.theme(a);
  const std::string* tb = m.theme(b);
  if (!ta || !tb) return std::nullopt;
  // «Эмоции» и «эмоции» reads as a slip: a body aspecting its own natal place has its own wording.
  const bool same = a.api_name() == b.api_name();
  std::string s = same ? m.same_point_template(type) : m.aspect_template(type);
  replace_all(s, "{A}", *ta);
  replace_all(s, "{B}", *tb);
  capitalise_first_letter(s);
  return html::escape(s);
}

bool in_chart(const chart& c, const aspect_point& p) {
  return p.id && c.find(*p.id) != nullptr;
}

// Aspects between two bodies of the chart, tightest first: "Солнце □ Луна: " + sentence.
std::vector<std::string> chart_aspect_paragraphs(const meanings& m, const chart& c,
                                                 std::size_t limit) {
  std::vector<aspect> list;
  for (const auto& a : c.aspects)
    if (in_chart(c, a.p1) && in_chart(c, a.p2)) list.push_back(a);
  astro::sort_aspects(list);
  std::vector<std::string> out;
  for (const auto& a : list) {
    if (out.size() == limit) break;
    const auto sentence = aspect_sentence(m, a.type, a.p1, a.p2);
    if (!sentence) continue;
    out.push_back(paragraph("🔮", html::escape(ru::point_name(a.p1)) + " " +
                                     ru::aspect_symbol(a.type) + " " +
                                     html::escape(ru::point_name(a.p2)) + ": " + *sentence));
  }
  return out;
}

void add_element_advice(const meanings& m, const chart& c, std::vector<std::string>& out) {
  if (const auto* moon = c.find(body::moon))
    out.push_back(
        paragraph("💡", html::escape(m.element_advice(element_of_sign(sign_of(moon->longitude))))));
}

bool is_planet(body b) {
  return b >= body::sun && b <= body::pluto;
}

}  // namespace

std::string day_text(const meanings& m, const chart& noon_sky) {
  composition c;
  if (const auto* moon = noon_sky.find(body::moon))
    c.head.push_back(paragraph("🌙", html::escape(m.moon_day(sign_of(moon->longitude)))));
  if (const auto* sun = noon_sky.find(body::sun))
    c.head.push_back(paragraph("☀️", planet_line(m, *sun)));
  c.aspects = chart_aspect_paragraphs(m, noon_sky, 3);
  if (const auto* mercury = noon_sky.find(body::mercury); mercury && mercury->is_retrograde())
    c.tail.push_back(paragraph("⚠️", html::escape(m.retro_mercury())));
  add_element_advice(m, noon_sky, c.tail);
  return c.text();
}

std::string natal_text(const meanings& m, const chart& natal) {
  composition c;
  const auto add = [&](body b, const char* emoji) {
    if (const auto* p = natal.find(b)) c.head.push_back(paragraph(emoji, planet_line(m, *p)));
  };
  add(body::sun, "☀️");
  add(body::moon, "🌙");
  if (natal.time_known && natal.chart_angles) {
    const int sign = sign_of(natal.chart_angles->asc);
    c.head.push_back(paragraph("🌅", html::escape(ru::point_name(aspect_point{{}, "ASC"})) + " " +
                                        html::escape(ru::sign_in(sign)) + ": " +
                                        html::escape(m.asc_in_sign(sign))));
  }
  add(body::mercury, "💬");
  add(body::venus, "💞");
  add(body::mars, "🔥");
  c.aspects = chart_aspect_paragraphs(m, natal, 4);
  return c.text();
}

std::string transits_text(const meanings& m, const chart& transit_sky,
                          const std::vector<aspect>& transit_to_natal) {
  composition c;
  std::vector<aspect> list;
  for (const auto& a : transit_to_natal) {
    // Only aspects of the transiting planets to natal planets or angles are described (§7.4),
    // and a transiting body must be one this sky has.
    const bool natal_ok = a.p1.id ? is_planet(*a.p1.id) : !a.p1.angle.empty();
    if (natal_ok && in_chart(transit_sky, a.p2) && is_planet(*a.p2.id)) list.push_back(a);
  }
  astro::sort_aspects(list);
  for (const auto& a : list) {
    if (c.aspects.size() == 5) break;
    const auto sentence = aspect_sentence(m, a.type, a.p2, a.p1);
    if (!sentence) continue;
    c.aspects.push_back(paragraph("🔮", std::string(ru::transit_adjective(ru::point_gender(a.p2))) +
                                           " " + html::escape(ru::point_name(a.p2)) + " " +
                                           ru::aspect_symbol(a.type) + " " +
                                           ru::natal_adjective(ru::point_gender(a.p1)) + " " +
                                           html::escape(ru::point_name(a.p1)) + ": " + *sentence +
                                           " " + html::escape(m.influence(a.applying))));
  }
  if (c.aspects.empty()) c.head.push_back(paragraph("✨", html::escape(m.bi_no_transits())));
  add_element_advice(m, transit_sky, c.tail);
  return c.text();
}

}  // namespace nocturna::interpret
