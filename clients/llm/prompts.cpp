#include "clients/llm/prompts.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "protocol/ru_names.hpp"
#include "protocol/synastry.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::llm {
namespace {

using astro::body;

// docs/behaviour.md §3 report order; the true node is computed but never shown, so the model never
// sees it.
constexpr body shown_bodies[] = {body::sun,     body::moon,    body::mercury,   body::venus,
                                 body::mars,    body::jupiter, body::saturn,    body::uranus,
                                 body::neptune, body::pluto,   body::mean_node, body::mean_lilith,
                                 body::chiron};

constexpr const char* closing = "Следуй структуре и правилам из инструкции.";
constexpr const char* time_unknown = "Время рождения неизвестно: не упоминай Асцендент и дома.";
constexpr const char* no_houses = "Дома и Асцендент не определены: не упоминай их.";

const char* ending(ru::gender g, const char* m, const char* f, const char* n) {
  switch (g) {
    case ru::gender::masculine:
      return m;
    case ru::gender::feminine:
      return f;
    case ru::gender::neuter:
      return n;
  }
  return m;
}

bool houses_known(const astro::chart& c) {
  return c.time_known && c.houses.size() == 12 && c.chart_angles.has_value();
}

std::string position_line(const astro::body_position& p, bool with_house) {
  std::string line = "- ";
  line += ru::body_name(p.id);
  line += ' ';
  line += ru::sign_in(astro::to_dms(p.longitude).sign);
  line += ' ';
  line += ru::angle_text(p.longitude);
  if (p.is_retrograde() && ru::shows_retrograde(p.id)) {
    line += ending(ru::body_gender(p.id), " (ретроградный)", " (ретроградная)", " (ретроградное)");
  }
  if (with_house && p.house) line += " (" + std::to_string(*p.house) + "-й дом)";
  return line;
}

void append_positions(std::string& out, const astro::chart& c, bool with_houses) {
  for (const body b : shown_bodies) {
    if (const auto* p = c.find(b)) out += position_line(*p, with_houses) + "\n";
  }
}

std::string sign_and_angle(double longitude) {
  return std::string(ru::sign_name(astro::to_dms(longitude).sign)) + " " +
         ru::angle_text(longitude);
}

void append_angles(std::string& out, const astro::chart& c) {
  out += "Асцендент: " + sign_and_angle(c.chart_angles->asc) + "\n";
  out += "MC: " + sign_and_angle(c.chart_angles->mc) + "\n";
}

bool point_shown(const astro::aspect_point& p, bool angles_allowed) {
  if (p.id) return *p.id != body::true_node;
  return angles_allowed && (p.angle == "ASC" || p.angle == "MC");
}

std::vector<astro::aspect> tightest(const std::vector<astro::aspect>& aspects, bool angles_allowed,
                                    std::size_t limit) {
  std::vector<astro::aspect> out;
  for (const auto& a : aspects) {
    if (point_shown(a.p1, angles_allowed) && point_shown(a.p2, angles_allowed)) out.push_back(a);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const astro::aspect& x, const astro::aspect& y) { return x.orb < y.orb; });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::string aspect_tail(const astro::aspect& a) {
  return ", орб " + ru::orb_text(a.orb) + (a.applying ? ", сходящийся" : ", расходящийся");
}

void append_aspects(std::string& out, const astro::chart& c, bool angles_allowed) {
  out += "Аспекты:\n";
  const auto list = tightest(c.aspects, angles_allowed, c.aspects.size());
  if (list.empty()) out += "Значимых аспектов нет.\n";
  for (const auto& a : list) {
    out += "- " + ru::point_name(a.p1) + " " + ru::aspect_word(a.type) + " " +
           ru::point_name(a.p2) + aspect_tail(a) + "\n";
  }
}

std::string read_prompt(const std::string& share_dir, const char* stem) {
  const std::string path = share_dir + "/prompts_ru/" + stem + ".txt";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read LLM prompt " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  if (text.empty()) throw std::runtime_error("LLM prompt " + path + " is empty");
  if (!is_valid_utf8(text)) throw std::runtime_error("LLM prompt " + path + " is not UTF-8");
  return text;
}

}  // namespace

const purpose_params& params_of(purpose p) {
  static const purpose_params day{"day", 1500, 0.7, 6000};
  static const purpose_params natal{"natal", 2000, 0.7, 7000};
  static const purpose_params transits{"transits", 1500, 0.7, 6000};
  // Six paragraphs of at most 500 words, like the natal text.
  static const purpose_params compat{"compat", 2000, 0.7, 7000};
  // A few sentences (at most 90 words); room for the tokens of Russian words and no more.
  static const purpose_params moon{"moon", 600, 0.7, 2000};
  switch (p) {
    case purpose::day:
      return day;
    case purpose::natal:
      return natal;
    case purpose::transits:
      return transits;
    case purpose::compat:
      return compat;
    case purpose::moon:
      return moon;
  }
  return day;
}

const std::string& prompt_set::of(purpose p) const {
  switch (p) {
    case purpose::day:
      return day;
    case purpose::natal:
      return natal;
    case purpose::transits:
      return transits;
    case purpose::compat:
      return compat;
    case purpose::moon:
      return moon;
  }
  return day;
}

prompt_set load_prompts(const std::string& share_dir) {
  prompt_set s;
  s.day = read_prompt(share_dir, params_of(purpose::day).name);
  s.natal = read_prompt(share_dir, params_of(purpose::natal).name);
  s.transits = read_prompt(share_dir, params_of(purpose::transits).name);
  s.compat = read_prompt(share_dir, params_of(purpose::compat).name);
  s.moon = read_prompt(share_dir, params_of(purpose::moon).name);
  return s;
}

std::string day_input(const astro::chart& noon, const std::string& date_text,
                      const std::string& zone) {
  std::string out = "Дата: " + date_text + " (" + zone + "), положение планет на 12:00.\n";
  out += "Позиции планет:\n";
  append_positions(out, noon, false);
  // The day text is for everyone: the sky place's Ascendant and houses would mislead.
  append_aspects(out, noon, false);
  out += closing;
  return out;
}

std::string natal_input(const astro::chart& natal) {
  const bool houses = houses_known(natal);
  std::string out = "Натальная карта.\n";
  if (!natal.time_known) {
    out += std::string(time_unknown) + "\n";
  } else if (!houses) {
    out += std::string(no_houses) + "\n";
  }
  out += "Позиции планет:\n";
  append_positions(out, natal, houses);
  if (houses) {
    append_angles(out, natal);
    out += "Дома:\n";
    for (const auto& cusp : natal.houses) {
      out +=
          "- " + std::to_string(cusp.number) + "-й дом: " + sign_and_angle(cusp.longitude) + "\n";
    }
  }
  append_aspects(out, natal, houses);
  out += closing;
  return out;
}

std::string transits_input(const astro::chart& natal, const astro::chart& transit,
                           const std::vector<astro::aspect>& transit_aspects,
                           const std::string& date_text) {
  const bool houses = houses_known(natal);
  std::string out = "Дата: " + date_text + ".\n";
  if (!natal.time_known) {
    out += std::string(time_unknown) + "\n";
  } else if (!houses) {
    out += std::string(no_houses) + "\n";
  }
  out += "Натальные позиции:\n";
  append_positions(out, natal, houses);
  if (houses) append_angles(out, natal);

  out += "Транзитные аспекты к натальной карте:\n";
  const auto list = tightest(transit_aspects, houses, max_transit_aspects);
  if (list.empty()) out += "Значимых транзитных аспектов нет.\n";
  for (const auto& a : list) {
    out += "- ";
    // p1 is the natal point, p2 the transiting body (astro::transit_aspects).
    out += std::string(ru::transit_adjective(ru::point_gender(a.p2))) + " ";
    out += ru::point_name(a.p2) + " " + ru::aspect_word(a.type) + " ";
    out += std::string(ru::natal_adjective(ru::point_gender(a.p1))) + " ";
    out += ru::point_name(a.p1) + aspect_tail(a) + "\n";
  }
  if (const auto* moon = transit.find(body::moon)) {
    out +=
        std::string("Транзитная Луна ") + ru::sign_in(astro::to_dms(moon->longitude).sign) + "\n";
  }
  out += closing;
  return out;
}

namespace {

std::string element_line(const astro::chart& c) {
  const auto e = synastry::element_balance(c);
  return "огонь " + std::to_string(e.fire) + ", земля " + std::to_string(e.earth) + ", воздух " +
         std::to_string(e.air) + ", вода " + std::to_string(e.water);
}

// «Ваше Солнце», «Ваша Луна», «Ваш Асцендент».
std::string yours(const astro::aspect_point& p) {
  return std::string(ending(ru::point_gender(p), "Ваш ", "Ваша ", "Ваше ")) + ru::point_name(p);
}

}  // namespace

std::string compat_input(const astro::chart& inner, const astro::chart& outer,
                         const std::vector<astro::aspect>& inter) {
  const bool my_houses = houses_known(inner), their_houses = houses_known(outer);
  std::string out =
      "Совместимость двух натальных карт: «вы» — читатель, «партнёр» — другой человек.\n";
  if (!my_houses) out += "Ваше время рождения неизвестно: не упоминай ваш Асцендент и ваши дома.\n";
  if (!their_houses)
    out += "Время рождения партнёра неизвестно: не упоминай Асцендент и дома партнёра.\n";
  out += "Ваши позиции:\n";
  append_positions(out, inner, my_houses);
  if (my_houses) append_angles(out, inner);
  out += "Позиции партнёра:\n";
  append_positions(out, outer, their_houses);
  if (their_houses) append_angles(out, outer);

  out += "Аспекты между картами (первая точка ваша, вторая — партнёра):\n";
  // astro::synastry_aspects gives ASC and MC only when both times are known.
  const auto list = tightest(inter, my_houses && their_houses, max_inter_aspects);
  if (list.empty()) out += "Значимых аспектов между картами нет.\n";
  for (const auto& a : list) {
    out += "- " + yours(a.p1) + " " + ru::aspect_word(a.type) + " " + ru::point_name(a.p2) +
           " партнёра, орб " + ru::orb_text(a.orb) + "\n";
  }
  out += "Сферы отношений по аспектам:\n";
  for (const auto& r : synastry::area_summary(inter)) {
    out += std::string("- ") + synastry::area_name(r.what) + ": " +
           synastry::verdict_word(r.result) + "\n";
  }
  out += "Стихии (планеты от Солнца до Плутона): ваши — " + element_line(inner) + "; партнёра — " +
         element_line(outer) + ".\n";
  out += closing;
  return out;
}

std::string moon_input(const astro::lunar_calendar& c, const std::string& date_text) {
  std::string out = "Дата: " + date_text + ".\n";
  out += std::string("Фаза Луны: ") + astro::phase_name_ru(c.phase) + ".\n";
  if (c.day) {
    out += "Лунный день: " + std::to_string(c.day->number) + "-й.\n";
  } else {
    out +=
        "Лунный день здесь не определяется: Луна восходит не каждые сутки. Не называй номер "
        "лунного дня.\n";
  }
  out += std::string("Луна ") + ru::sign_in(c.sign) + ".\n";
  out += closing;
  return out;
}

}  // namespace nocturna::llm
