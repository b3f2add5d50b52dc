// Composition of the built-in texts (docs/interpretations.md).
#include "clients/interpret/builtin_interpreter.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>

#include "clients/astro/aspects.hpp"
#include "clients/astro/display_time.hpp"
#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/synastry.hpp"
#include "protocol/typography.hpp"

namespace nocturna::interpret {

namespace {

using astro::aspect;
using astro::aspect_point;
using astro::body;
using astro::chart;
using gc = grammatical_case;

// Paragraphs kept in three groups so that aspects, the only optional part, can be dropped from
// the end of their group when the text would exceed builtin_text_max.
struct composition {
  std::vector<std::string> head, aspects, tail;

  std::string text() const {
    std::size_t used = 0, count = 0;
    for (const auto* group : {&head, &tail})
      for (const auto& p : *group) used += html::visible_length(p), ++count;
    used += count == 0 ? 0 : 2 * (count - 1);
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

// FNV-1a: a stable hash (std::hash may differ between builds), so a chart always reads the same.
std::uint64_t hash_of(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// The sentences of a text: split after . ! ? … followed by a space.
std::vector<std::string> sentences(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool ascii_end = text[i] == '.' || text[i] == '!' || text[i] == '?';
    const bool ellipsis = text.compare(i, 3, "\xE2\x80\xA6") == 0;
    const std::size_t after = i + (ellipsis ? 3 : 1);
    if ((ascii_end || ellipsis) && (after == text.size() || text[after] == ' ')) {
      out.push_back(text.substr(start, after - start));
      start = after + 1;
      i = after;
    }
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// Remembers every sentence of the message so far: a variant is taken only if none of its
// sentences was used, which keeps one message free of repeats.
class sentence_pool {
 public:
  bool fresh(const std::string& text) const {
    for (const auto& s : sentences(text))
      if (used_.count(s)) return false;
    return true;
  }
  void take(const std::string& text) {
    for (const auto& s : sentences(text)) used_.insert(s);
  }
  // The first fresh variant from the seed's position on, as `make` renders it; nothing when
  // every variant would repeat a sentence.
  template <typename Make>
  std::optional<std::string> pick(const std::vector<std::string>& variants, std::uint64_t seed,
                                  Make make) {
    for (std::size_t k = 0; k < variants.size(); ++k) {
      std::string text = make(variants[(seed + k) % variants.size()]);
      if (!fresh(text)) continue;
      take(text);
      return text;
    }
    return std::nullopt;
  }
  std::optional<std::string> pick(const std::vector<std::string>& variants, std::uint64_t seed) {
    return pick(variants, seed, [](const std::string& s) { return s; });
  }

 private:
  std::set<std::string> used_;
};

void replace_all(std::string& s, const std::string& what, const std::string& with) {
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
    s.replace(pos, what.size(), with);
}

// Upper-cases the first Cyrillic or Latin letter (a label may start with an aspect's name).
std::string capitalised(std::string s) {
  if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xD0) {
    const auto n = static_cast<unsigned char>(s[1]);
    if (n >= 0xB0 && n <= 0xBF) s[1] = static_cast<char>(n - 0x20);  // а..п → А..П
  } else if (s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0xD1) {
    const auto n = static_cast<unsigned char>(s[1]);
    if (n >= 0x80 && n <= 0x8F) {  // р..я → Р..Я
      s[0] = static_cast<char>(0xD0);
      s[1] = static_cast<char>(n + 0x20);
    }
  } else if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') {
    s[0] = static_cast<char>(s[0] - 'a' + 'A');
  }
  return s;
}

// `emoji <b>label</b>\ntext`, both typeset and escaped.
std::string paragraph(const char* emoji, const std::string& label, const std::string& text) {
  return std::string(emoji) + " <b>" + html::escape(typography::typeset(label)) + "</b>\n" +
         html::escape(typography::typeset(text));
}

int sign_of(double longitude) {
  return astro::to_dms(longitude).sign;
}

bool is_planet(body b) {
  return b >= body::sun && b <= body::pluto;
}

bool is_slow(body b) {
  return b >= body::jupiter && b <= body::pluto;
}

const char* planet_emoji(body b) {
  static constexpr const char* emojis[] = {"☀️", "🌙", "💬", "💞", "🔥", "🍀", "⏳", "⚡", "🌊", "🌋"};
  return emojis[static_cast<int>(b)];
}

// "Солнце в Рыбах" + the planet's meaning in that sign.
std::string planet_paragraph(const meanings& m, const astro::body_position& p) {
  const int sign = sign_of(p.longitude);
  return paragraph(planet_emoji(p.id), std::string(ru::body_name(p.id)) + " " + ru::sign_in(sign),
                   m.planet_in_sign(p.id, sign));
}

const noun_forms& forms_of(const meanings& m, const aspect_point& p) {
  return *m.forms(p.api_name());
}

// «натальный» agreeing with a noun in the dative or instrumental case.
std::string natal_adjective(ru::gender g, gc c) {
  if (g == ru::gender::feminine) return "натальной";
  return c == gc::dat ? "натальному" : "натальным";
}

// The preposition and case an aspect takes for its second point: «квадрат Луны к Венере»,
// «соединение Солнца с Нептуном».
std::pair<const char*, gc> second_point(astro::aspect_type t) {
  return t == astro::aspect_type::conjunction ? std::pair{"с", gc::ins} : std::pair{"к", gc::dat};
}

// «Квадрат Луны к Венере».
std::string aspect_label(const meanings& m, const aspect& a) {
  const auto [preposition, c] = second_point(a.type);
  return capitalised((*m.forms(astro::aspect_name(a.type)))[gc::nom]) + " " +
         forms_of(m, a.p1)[gc::gen] + " " + preposition + " " + forms_of(m, a.p2)[c];
}

// «Транзитный Сатурн в квадрате к натальной Луне».
std::string transit_label(const meanings& m, const aspect_point& transiting,
                          const aspect_point& natal, astro::aspect_type t) {
  const auto [preposition, c] = second_point(t);
  const noun_forms& n = forms_of(m, natal);
  return std::string(ru::transit_adjective(forms_of(m, transiting).gender)) + " " +
         forms_of(m, transiting)[gc::nom] + " в " + (*m.forms(astro::aspect_name(t)))[gc::pre] +
         " " + preposition + " " + natal_adjective(n.gender, c) + " " + n[c];
}

bool described(const meanings& m, const aspect_point& p) {
  return m.forms(p.api_name()) != nullptr;
}

bool in_chart(const chart& c, const aspect_point& p) {
  return p.id && c.find(*p.id) != nullptr;
}

// A seed that is the same for the same chart: its moment and place.
std::string chart_seed(const chart& c) {
  return std::to_string(c.moment_utc) + "/" + std::to_string(static_cast<long>(c.latitude * 1e4)) +
         "/" + std::to_string(static_cast<long>(c.longitude * 1e4));
}

std::string point_key(const aspect& a) {
  return a.p1.api_name() + "-" + a.p2.api_name() + "-" + astro::aspect_name(a.type);
}

// Aspects between two planets of the chart that have a pair text, never two slow planets (they
// stay for months and are shared by everyone), tightest first.
std::vector<aspect> described_chart_aspects(const meanings& m, const chart& c) {
  std::vector<aspect> list;
  for (const auto& a : c.aspects) {
    if (!in_chart(c, a.p1) || !in_chart(c, a.p2)) continue;
    if (!is_planet(*a.p1.id) || !is_planet(*a.p2.id)) continue;
    if (is_slow(*a.p1.id) && is_slow(*a.p2.id)) continue;
    if (!m.pair_texts(*a.p1.id, *a.p2.id, family_of(a.type))) continue;
    list.push_back(a);
  }
  astro::sort_aspects(list);
  return list;
}

std::vector<std::string> aspect_paragraphs(const meanings& m, const std::vector<aspect>& list,
                                           std::size_t limit, const std::string& seed,
                                           sentence_pool& pool) {
  std::vector<std::string> out;
  for (const auto& a : list) {
    if (out.size() == limit) break;
    const auto* variants = m.pair_texts(*a.p1.id, *a.p2.id, family_of(a.type));
    const auto text = pool.pick(*variants, hash_of(seed + point_key(a)));
    if (text) out.push_back(paragraph("🔮", aspect_label(m, a), *text));
  }
  return out;
}

// Days since 1970-01-01 of a DD.MM.YYYY date (proleptic Gregorian calendar).
long days_of(const std::string& dmy) {
  if (dmy.size() != 10) return 0;
  const int d = std::stoi(dmy.substr(0, 2)), mo = std::stoi(dmy.substr(3, 2));
  int y = std::stoi(dmy.substr(6, 4));
  y -= mo <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The advice rotates by the day, so 28 days in a row never repeat one; `offset` shifts the cycle
// (one per place, so two readers rarely get the same advice on the same day).
void add_advice(const meanings& m, long day, std::uint64_t offset, sentence_pool& pool,
                std::vector<std::string>& out) {
  const auto n = static_cast<long>(m.advice().size());
  const auto start = static_cast<std::uint64_t>(((day % n) + n) % n) + offset % n;
  if (const auto text = pool.pick(m.advice(), start))
    out.push_back(std::string("💡 ") + html::escape(typography::typeset(*text)));
}

void add_moon_day(const meanings& m, const chart& c, std::vector<std::string>& out) {
  if (const auto* moon = c.find(body::moon)) {
    const int sign = sign_of(moon->longitude);
    out.push_back(paragraph("🌙", std::string("Луна ") + ru::sign_in(sign), m.moon_day(sign)));
  }
}

// The planet of the weekday (Sunday the Sun, Tuesday Mars, …). Monday belongs to the Moon, which
// the first paragraph already describes: it takes Uranus, Neptune and Pluto in turn by week.
body weekday_planet(long days) {
  const long weekday = ((days % 7) + 7 + 3) % 7;  // 0 = Monday; 1970-01-01 was a Thursday
  static constexpr body rulers[] = {body::moon,  body::mars,   body::mercury, body::jupiter,
                                    body::venus, body::saturn, body::sun};
  if (weekday != 0) return rulers[weekday];
  static constexpr body slow[] = {body::uranus, body::neptune, body::pluto};
  return slow[((days / 7) % 3 + 3) % 3];
}

}  // namespace

std::string day_text(const meanings& m, const chart& noon_sky) {
  composition c;
  sentence_pool pool;
  const std::string date = astro::label_at(noon_sky.moment_utc, noon_sky.zone).date;
  add_moon_day(m, noon_sky, c.head);
  if (const auto* p = noon_sky.find(weekday_planet(days_of(date))))
    c.head.push_back(planet_paragraph(m, *p));
  // The Moon's aspects are what changes from one day to the next: they come first.
  auto list = described_chart_aspects(m, noon_sky);
  std::stable_partition(list.begin(), list.end(), [](const aspect& a) {
    return *a.p1.id == body::moon || *a.p2.id == body::moon;
  });
  c.aspects = aspect_paragraphs(m, list, 3, "day/" + date, pool);
  if (const auto* mercury = noon_sky.find(body::mercury); mercury && mercury->is_retrograde())
    c.tail.push_back(std::string("⚠️ ") + html::escape(typography::typeset(m.retro_mercury())));
  add_advice(m, days_of(date), 0, pool, c.tail);
  return c.text();
}

std::string natal_text(const meanings& m, const chart& natal) {
  composition c;
  sentence_pool pool;
  const auto add = [&](body b) {
    if (const auto* p = natal.find(b)) c.head.push_back(planet_paragraph(m, *p));
  };
  add(body::sun);
  add(body::moon);
  if (natal.time_known && natal.chart_angles) {
    const int sign = sign_of(natal.chart_angles->asc);
    c.head.push_back(
        paragraph("🌅", std::string("Асцендент ") + ru::sign_in(sign), m.asc_in_sign(sign)));
  }
  for (body b : {body::mercury, body::venus, body::mars, body::jupiter, body::saturn}) add(b);
  c.aspects = aspect_paragraphs(m, described_chart_aspects(m, natal), 4,
                                "natal/" + chart_seed(natal), pool);
  return c.text();
}

std::string transits_text(const meanings& m, const chart& transit_sky,
                          const std::vector<aspect>& transit_to_natal) {
  composition c;
  sentence_pool pool;
  std::vector<aspect> list;
  for (const auto& a : transit_to_natal) {
    // Transiting planets to natal planets or angles; a transiting body must be one this sky has.
    const bool natal_ok = a.p1.id ? is_planet(*a.p1.id) : m.natal_point(a.p1) != nullptr;
    if (natal_ok && described(m, a.p1) && in_chart(transit_sky, a.p2) && is_planet(*a.p2.id))
      list.push_back(a);
  }
  astro::sort_aspects(list);
  std::string seed = "transits/" + chart_seed(transit_sky);
  for (const auto& a : list) seed += "/" + point_key(a);
  std::set<std::string> used_phrases;
  for (const auto& a : list) {
    if (c.aspects.size() == 5) break;
    const body transiting = *a.p2.id;
    const noun_forms& t = forms_of(m, a.p2);
    const auto& natal_phrases = *m.natal_point(a.p1);
    const std::string key = seed + point_key(a);
    // Two transits to one natal point name it in two different ways.
    std::string natal_phrase;
    for (std::size_t k = 0; k < natal_phrases.size() && natal_phrase.empty(); ++k) {
      const auto& phrase = natal_phrases[(hash_of("point/" + key) + k) % natal_phrases.size()];
      if (!used_phrases.count(phrase)) natal_phrase = phrase;
    }
    if (natal_phrase.empty())
      natal_phrase = natal_phrases[hash_of("point/" + key) % natal_phrases.size()];
    const auto role = pool.pick(
        *m.transit_texts(transiting, family_of(a.type)), hash_of(key), [&](std::string s) {
          for (auto k : {gc::nom, gc::gen, gc::dat, gc::acc, gc::ins, gc::pre}) {
            static constexpr const char* names[] = {"nom", "gen", "dat", "acc", "ins", "pre"};
            replace_all(s, std::string("{T.") + names[static_cast<int>(k)] + "}", t[k]);
          }
          replace_all(s, "{N}", natal_phrase);
          return capitalised(s);
        });
    const auto lasts =
        pool.pick(m.duration_texts(duration_of(transiting), a.applying), hash_of("lasts/" + key));
    if (!role || !lasts) continue;
    used_phrases.insert(natal_phrase);
    c.aspects.push_back(paragraph("🔮", transit_label(m, a.p2, a.p1, a.type), *role + " " + *lasts));
  }
  if (c.aspects.empty())
    c.head.push_back(std::string("✨ ") + html::escape(typography::typeset(m.bi_no_transits())));
  add_moon_day(m, transit_sky, c.tail);
  add_advice(m, days_of(astro::label_at(transit_sky.moment_utc, transit_sky.zone).date),
             hash_of(std::to_string(static_cast<long>(transit_sky.latitude * 1e4)) + "/" +
                     std::to_string(static_cast<long>(transit_sky.longitude * 1e4))),
             pool, c.tail);
  return c.text();
}

std::string moon_text(const meanings& m, astro::moon_phase phase, std::optional<int> lunar_day) {
  std::string out = paragraph(astro::phase_emoji(phase), capitalised(astro::phase_name_ru(phase)),
                              m.moon_phase(astro::phase_key(phase)));
  if (lunar_day)
    out += "\n\n" + paragraph("🗓", std::to_string(*lunar_day) + "-й лунный день",
                              m.lunar_day(*lunar_day));
  return out;
}

std::string compat_text(const meanings& m, const chart& inner, const chart& outer,
                        const std::vector<aspect>& inter) {
  static constexpr const char* area_keys[] = {"EMOTIONS", "ATTRACTION", "COMMUNICATION", "VALUES",
                                              "STABILITY"};
  static constexpr const char* verdict_keys[] = {"HARMONY", "TENSION", "NEUTRAL"};
  static constexpr const char* emoji[] = {"🌙", "🔥", "💬", "💎", "⏳"};
  sentence_pool pool;
  // The same pair reads the same, whoever of the two is inside.
  const std::string a = chart_seed(inner), b = chart_seed(outer);
  const std::string seed = "compat/" + std::min(a, b) + "/" + std::max(a, b);
  std::string out;
  for (const auto& r : synastry::area_summary(inter)) {
    const auto i = static_cast<std::size_t>(r.what);
    const std::string key =
        std::string(area_keys[i]) + "." + verdict_keys[static_cast<std::size_t>(r.result)];
    auto text = pool.pick(m.synastry_texts(key), hash_of(seed + key));
    if (!text) continue;
    if (!out.empty()) out += "\n\n";
    out += paragraph(
        emoji[i],
        std::string(synastry::area_name(r.what)) + ": " + synastry::verdict_word(r.result), *text);
  }
  return out;
}

}  // namespace nocturna::interpret
