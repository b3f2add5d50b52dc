// Compatibility report (docs/interpretations.md "Compatibility"). Texts are composed, then set by
// protocol/typography, so the non-breaking spaces of the interface style hold for every name.
#include "protocol/synastry.hpp"

#include <algorithm>

#include "protocol/html.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/typography.hpp"

namespace nocturna::synastry {

namespace {

using astro::body;

bool is(const astro::aspect_point& p, body b) {
  return p.id && *p.id == b;
}

// The unordered pair {x, y} across the two charts.
bool pair_of(const astro::aspect& a, body x, body y) {
  return (is(a.p1, x) && is(a.p2, y)) || (is(a.p1, y) && is(a.p2, x));
}

bool personal(const astro::aspect_point& p) {
  return p.id && static_cast<int>(*p.id) <= static_cast<int>(body::mars);
}

bool harmonious(astro::aspect_type t) {
  return t == astro::aspect_type::trine || t == astro::aspect_type::sextile ||
         t == astro::aspect_type::conjunction;
}

const char* possessive(ru::gender g) {
  switch (g) {
    case ru::gender::feminine:
      return "Ваша";
    case ru::gender::neuter:
      return "Ваше";
    case ru::gender::masculine:
      break;
  }
  return "Ваш";
}

const char* area_emoji(area a) {
  switch (a) {
    case area::emotions:
      return "🌙";
    case area::attraction:
      return "🔥";
    case area::communication:
      return "💬";
    case area::values:
      return "💎";
    case area::stability:
      return "⏳";
  }
  return "";
}

std::string elements_line(const elements& e) {
  return "огонь " + std::to_string(e.fire) + ", земля " + std::to_string(e.earth) + ", воздух " +
         std::to_string(e.air) + ", вода " + std::to_string(e.water);
}

std::string shown_name(std::string_view name) {
  return name.empty() ? std::string("Партнёр") : html::escape(name);
}

}  // namespace

bool speaks_for(area a, const astro::aspect& x) {
  switch (a) {
    case area::emotions:
      return pair_of(x, body::moon, body::moon) || pair_of(x, body::moon, body::venus);
    case area::attraction:
      return pair_of(x, body::venus, body::mars);
    case area::communication:
      return pair_of(x, body::mercury, body::mercury) || pair_of(x, body::mercury, body::moon);
    case area::values:
      return pair_of(x, body::venus, body::venus) || pair_of(x, body::sun, body::venus);
    case area::stability:
      return (is(x.p1, body::saturn) && personal(x.p2)) ||
             (is(x.p2, body::saturn) && personal(x.p1));
  }
  return false;
}

std::vector<area_reading> area_summary(const std::vector<astro::aspect>& inter) {
  std::vector<area_reading> out;
  for (area a : all_areas) {
    area_reading r;
    r.what = a;
    for (const auto& x : inter) {
      if (!speaks_for(a, x)) continue;
      (harmonious(x.type) ? r.harmonious : r.tense) += 1;
    }
    r.result = r.harmonious > r.tense   ? verdict::harmonious
               : r.tense > r.harmonious ? verdict::tense
                                        : verdict::neutral;
    out.push_back(r);
  }
  return out;
}

elements element_balance(const astro::chart& c) {
  elements e;
  for (const auto& p : c.positions) {
    if (static_cast<int>(p.id) > static_cast<int>(body::pluto)) continue;
    switch (astro::to_dms(p.longitude).sign % 4) {
      case 0:
        ++e.fire;
        break;
      case 1:
        ++e.earth;
        break;
      case 2:
        ++e.air;
        break;
      default:
        ++e.water;
        break;
    }
  }
  return e;
}

const char* area_name(area a) {
  switch (a) {
    case area::emotions:
      return "Эмоции";
    case area::attraction:
      return "Притяжение";
    case area::communication:
      return "Общение";
    case area::values:
      return "Ценности";
    case area::stability:
      return "Стабильность";
  }
  return "";
}

const char* verdict_word(verdict v) {
  switch (v) {
    case verdict::harmonious:
      return "гармонично";
    case verdict::tense:
      return "напряжённо";
    case verdict::neutral:
      break;
  }
  return "нейтрально";
}

std::string inter_line(const astro::aspect& a) {
  return typography::typeset(std::string(possessive(ru::point_gender(a.p1))) + " " +
                             html::escape(ru::point_name(a.p1)) + " " + ru::aspect_symbol(a.type) +
                             " " + html::escape(ru::point_name(a.p2)) + " партнёра — " +
                             ru::aspect_word(a.type) + ", орб " + ru::orb_text(a.orb));
}

std::string report(const std::vector<astro::aspect>& inter, const astro::chart& user,
                   const astro::chart& partner, std::string_view partner_name) {
  std::string out = "💞 <b>Совместимость</b>\nВы и " + shown_name(partner_name);
  if (!user.time_known)
    out +=
        "\n⚠️ Ваше время рождения неизвестно: "
        "Асцендент и MC в расчёт не входят.";
  if (!partner.time_known)
    out +=
        "\n⚠️ Время рождения партнёра неизвестно: "
        "Асцендент и MC в расчёт не входят.";
  out += "\n\n<b>Аспекты между картами</b>\n";
  if (inter.empty()) {
    out += "Мажорных аспектов в пределах орбов нет.";
  } else {
    for (std::size_t i = 0; i < inter.size(); ++i) {
      if (i) out += '\n';
      out += inter_line(inter[i]);
    }
  }
  out += "\n\n<b>Сферы</b>";
  for (const auto& r : area_summary(inter))
    out += std::string("\n") + area_emoji(r.what) + " " + area_name(r.what) + ": " +
           verdict_word(r.result);
  out += "\n\n<b>Стихии</b>\nВы: " + elements_line(element_balance(user)) + "\n" +
         shown_name(partner_name) + ": " + elements_line(element_balance(partner));
  return typography::typeset(out);
}

std::string caption(std::string_view partner_name) {
  std::string out = "💞 <b>Совместимость</b>\nВнутри — ваша карта, снаружи — карта партнёра";
  if (!partner_name.empty()) out += " (" + html::escape(partner_name) + ")";
  return typography::typeset(out);
}

}  // namespace nocturna::synastry
