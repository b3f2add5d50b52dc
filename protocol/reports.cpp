// Report and reply texts of docs/behaviour.md §3 and §9. Values from outside (labels, zones, dates,
// API strings) are escaped where they are interpolated; the vocabulary of protocol/ru_names is
// ours. Typography: the space before «—» and after a one-letter word («в», «и», «я», …) is U+00A0
// (non-breaking), as protocol/typography sets composed texts, so a phone never starts a line with
// a dash; the test "interface texts are typeset" checks every text.
#include "protocol/reports.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "protocol/compat_texts.hpp"
#include "protocol/html.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/ru_names.hpp"
#include "protocol/texts.hpp"
#include "protocol/typography.hpp"
#include "protocol/utf16.hpp"

namespace nocturna::reports {

namespace {

using astro::body;

// docs/behaviour.md §3: SUN..PLUTO, MEAN_NODE, MEAN_LILITH, CHIRON; the true node is never shown.
constexpr body report_order[] = {body::sun,     body::moon,    body::mercury,   body::venus,
                                 body::mars,    body::jupiter, body::saturn,    body::uranus,
                                 body::neptune, body::pluto,   body::mean_node, body::mean_lilith,
                                 body::chiron};

// docs/calculations.md §5.1, in astro::aspect_type order.
constexpr double chart_orb_limit[] = {8, 8, 6, 6, 4};
constexpr double transit_orb_limit = 3;

constexpr std::size_t pt_max_lines = 10;
constexpr std::size_t forecast_max_lines = 5;
constexpr std::size_t caption_label_max = 120;
// Captions must fit 1024 units whatever the caller passes; real dates, times and zones are far
// shorter, so this cut only guards the sum.
constexpr std::size_t caption_field_max = 64;

constexpr const char* retrograde_legend = "℞ — ретроградное движение";
// Raw literals keep clang-format from splitting texts with U+FE0F, whose width it misjudges.
constexpr const char* pt_legend =
    R"(💡 <i>▶️ — аспект формируется (сходящийся), ◀️ — аспект расходится</i>)";
constexpr const char* profile_footer = R"(💡 Изменить данные: /natal
⚙️ Настройки: /settings
🗑 Удалить данные: /clear_profile)";
constexpr const char* settings_title = R"(⚙️ <b>Настройки</b>)";

bool is_planet(const std::optional<body>& b) {
  return b && static_cast<int>(*b) <= static_cast<int>(body::pluto);
}

bool is_natal_angle(const astro::aspect_point& p) {
  return !p.id && (p.angle == "ASC" || p.angle == "MC");
}

bool within(double orb, double limit) {
  return std::isfinite(orb) && std::fabs(orb) <= limit;
}

// Bodies in docs/calculations.md §1.1 order, then the angles.
int point_rank(const astro::aspect_point& p) {
  if (p.id) return static_cast<int>(*p.id);
  if (p.angle == "ASC") return 100;
  if (p.angle == "MC") return 101;
  return 102;
}

void sort_tightest_first(std::vector<astro::aspect>& list) {
  std::stable_sort(list.begin(), list.end(), [](const astro::aspect& a, const astro::aspect& b) {
    const double oa = std::fabs(a.orb), ob = std::fabs(b.orb);
    if (oa != ob) return oa < ob;
    if (point_rank(a.p1) != point_rank(b.p1)) return point_rank(a.p1) < point_rank(b.p1);
    return point_rank(a.p2) < point_rank(b.p2);
  });
}

// An unknown letter can only come from a bug or an old record; the default system is the honest
// fallback (docs/behaviour.md §2).
const char* system_label(char letter) {
  const char* label = ru::house_system_label(letter);
  return label ? label : ru::house_system_label('P');
}

std::string esc(std::string_view s) {
  return html::escape(s);
}

// The first `max` code points of `s` + "…" when it is longer (docs/behaviour.md §1.7 counts code
// points).
std::string cut(std::string_view s, std::size_t max) {
  std::size_t pos = 0, count = 0;
  while (pos < s.size() && count < max) {
    char32_t cp;
    const std::size_t n = decode_utf8(s, pos, cp);
    pos += n == 0 ? 1 : n;
    ++count;
  }
  if (pos >= s.size()) return std::string(s);
  return std::string(s.substr(0, pos)) + "…";
}

// "-0.0000" would read as a sign error to a user.
std::string coordinate(double v) {
  std::string s = fmt::format("{:.4f}", v);
  if (s == "-0.0000") s.erase(0, 1);
  return s;
}

std::string join(const std::vector<std::string>& lines, std::size_t limit) {
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < limit; ++i) {
    if (i) out += '\n';
    out += lines[i];
  }
  return out;
}

std::string angle_line(const char* name, double longitude) {
  return std::string(name) + ": " + ru::sign_name(astro::to_dms(longitude).sign) + " " +
         ru::angle_text(longitude);
}

std::vector<std::string> tr_lines(const std::vector<astro::aspect>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& a : list) out.push_back(tr_line(a));
  return out;
}

std::string json_button(std::string_view text, std::string_view data) {
  return json::object().add("text", text).add("callback_data", data).str();
}

// {"inline_keyboard":[[b,b],[b]]} from rows of ready button objects.
std::string inline_keyboard(const std::vector<std::vector<std::string>>& rows) {
  std::string out = "[";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r) out += ',';
    out += '[';
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      if (i) out += ',';
      out += rows[r][i];
    }
    out += ']';
  }
  out += ']';
  return json::object().add_raw("inline_keyboard", out).str();
}

}  // namespace

std::string moment_line(const moment_label& at) {
  return "📅 " + esc(at.date) + " 🕐 " + esc(at.time) + " (" + esc(at.zone) + ", " + esc(at.offset) +
         ")";
}

const char* const note_unknown =
    R"(⚠️ Время рождения неизвестно: карта рассчитана на 12:00 местного времени, дома и углы не определены, положение Луны приблизительное.)";

std::string note_polar(char system_requested) {
  return std::string("⚠️ На этой широте система «") +
         system_label(system_requested) + "» неприменима, дома рассчитаны по системе «Порфирий».";
}

std::vector<astro::aspect> major_aspects(const std::vector<astro::aspect>& aspects) {
  std::vector<astro::aspect> out;
  for (const auto& a : aspects) {
    if (!is_planet(a.p1.id) || !is_planet(a.p2.id)) continue;
    if (!within(a.orb, chart_orb_limit[static_cast<int>(a.type)])) continue;
    out.push_back(a);
  }
  sort_tightest_first(out);
  return out;
}

std::vector<astro::aspect> transit_aspects(const std::vector<astro::aspect>& aspects,
                                           bool natal_time_unknown) {
  std::vector<astro::aspect> out;
  for (const auto& a : aspects) {
    // Without a birth time the natal angles do not exist (docs/behaviour.md §11 item 6).
    const bool natal_ok = is_planet(a.p1.id) || (!natal_time_unknown && is_natal_angle(a.p1));
    if (!natal_ok || !is_planet(a.p2.id) || !within(a.orb, transit_orb_limit)) continue;
    out.push_back(a);
  }
  sort_tightest_first(out);
  return out;
}

std::string pos_lines(const astro::chart& c, bool with_houses) {
  std::vector<std::string> lines;
  bool any_retrograde = false;
  for (body b : report_order) {
    const astro::body_position* p = c.find(b);
    if (!p) continue;
    // «в Овне» from protocol/ru_names is plain (the LLM prompts use it too); a line keeps it whole.
    std::string line = std::string(ru::body_name(b)) + " " +
                       typography::typeset(ru::sign_in(astro::to_dms(p->longitude).sign)) + " " +
                       ru::angle_text(p->longitude);
    if (p->is_retrograde() && ru::shows_retrograde(b)) {
      line += " ℞";
      any_retrograde = true;
    }
    if (with_houses && p->house) line += " (" + std::to_string(*p->house) + "-й дом)";
    lines.push_back(std::move(line));
  }
  if (any_retrograde) lines.emplace_back(retrograde_legend);
  return join(lines, lines.size());
}

std::string asp_line(const astro::aspect& a) {
  return esc(ru::point_name(a.p1)) + " " + ru::aspect_symbol(a.type) + " " +
         esc(ru::point_name(a.p2)) + " — " + ru::aspect_word(a.type) + ", орб " +
         ru::orb_text(a.orb) + ", " + (a.applying ? "сходящийся" : "расходящийся");
}

std::string asp_lines(const std::vector<astro::aspect>& aspects) {
  const auto list = major_aspects(aspects);
  if (list.empty()) return texts::no_aspects;
  std::vector<std::string> lines;
  for (const auto& a : list) lines.push_back(asp_line(a));
  return join(lines, lines.size());
}

std::string tr_line(const astro::aspect& a) {
  return std::string(a.applying ? "▶️ " : "◀️ ") +
         ru::transit_adjective(ru::point_gender(a.p2)) + " <b>" + esc(ru::point_name(a.p2)) +
         "</b> " + ru::aspect_symbol(a.type) + " " + ru::natal_adjective(ru::point_gender(a.p1)) +
         " <b>" + esc(ru::point_name(a.p1)) + "</b> — " + ru::aspect_word(a.type) + ", орб " +
         ru::orb_text(a.orb);
}

std::string angles_lines(const astro::angles& a) {
  return angle_line("Асцендент", a.asc) + "\n" + angle_line("MC", a.mc) + "\n" +
         angle_line("Десцендент", a.dsc) + "\n" + angle_line("IC", a.ic);
}

std::string cusps_lines(const std::vector<astro::house_cusp>& houses) {
  auto sorted = houses;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.number < b.number; });
  std::vector<std::string> lines;
  for (const auto& h : sorted)
    lines.push_back(angle_line((std::to_string(h.number) + "-й дом").c_str(), h.longitude));
  return join(lines, lines.size());
}

std::string sky_report(const astro::chart& c, const moment_label& at, std::string_view place_name) {
  std::string out = "🌟 <b>Текущая карта транзитов</b>\n" + moment_line(at) + "\n📍 " +
                    esc(place_name) + "\n🏠 Система домов: " + system_label(c.system_requested);
  if (c.houses_fallback) out += "\n" + note_polar(c.system_requested);
  out += "\n\n<b>Позиции планет</b>\n" + pos_lines(c, false);
  if (c.chart_angles)
    out += "\n\n<b>Углы</b>\n" + angle_line("Асцендент", c.chart_angles->asc) + "\n" +
           angle_line("MC", c.chart_angles->mc);
  out += "\n\n<b>Аспекты</b>\n" + asp_lines(c.aspects);
  return out;
}

std::string natal_report(const astro::chart& c, const birth_view& birth) {
  const bool known = c.time_known && birth.time.has_value();
  std::string out = "🌟 <b>Натальная карта</b>\n📅 " + esc(birth.date) + " 🕐 " +
                    (known ? esc(*birth.time) : std::string("время неизвестно")) + " (" +
                    esc(birth.zone) + ")\n📍 " + esc(birth.place_label);
  if (known) out += std::string("\n🏠 Система домов: ") + system_label(c.system_requested);
  if (!known)
    out += std::string("\n") + note_unknown;
  else if (c.houses_fallback)
    out += "\n" + note_polar(c.system_requested);
  out += "\n\n<b>Планеты</b>\n" + pos_lines(c, known);
  if (known && c.chart_angles && !c.houses.empty())
    out += "\n\n<b>Углы</b>\n" + angles_lines(*c.chart_angles) + "\n\n<b>Дома</b>\n" +
           cusps_lines(c.houses);
  out += "\n\n<b>Аспекты</b>\n" + asp_lines(c.aspects);
  return out;
}

std::string ptransit_report(const std::vector<astro::aspect>& aspects, const moment_label& at,
                            bool natal_time_unknown) {
  std::string out = "🌟 <b>Персональные транзиты</b>\n" + moment_line(at);
  if (natal_time_unknown) out += std::string("\n") + note_unknown;
  const auto list = transit_aspects(aspects, natal_time_unknown);
  if (list.empty()) return out + "\n\n" + texts::pt_none;
  out += "\n\n🔮 <b>Транзитные аспекты к натальной карте</b>\n" + join(tr_lines(list), pt_max_lines);
  if (list.size() > pt_max_lines) {
    const long rest = static_cast<long>(list.size() - pt_max_lines);
    out += "\n<i>… и ещё " + std::to_string(rest) + " " + ru::aspect_plural(rest) + "</i>";
  }
  // The legend explains ▶️/◀️, so it comes only with the lines that use them.
  return out + "\n\n" + pt_legend;
}

std::string planets_report(const astro::chart& c, const moment_label& at) {
  return "🌟 <b>Позиции планет</b>\n" + moment_line(at) + "\n\n" + pos_lines(c, false);
}

std::string aspects_report(const astro::chart& c, const moment_label& at) {
  return "🔮 <b>Аспекты планет</b>\n" + moment_line(at) + "\n\n" + asp_lines(c.aspects);
}

std::string sky_caption(const moment_label& at, std::string_view place_name) {
  return "🌟 <b>Текущая карта транзитов</b>\n📅 " + esc(cut(at.date, caption_field_max)) + " 🕐 " +
         esc(cut(at.time, caption_field_max)) + " (" + esc(cut(at.zone, caption_field_max)) +
         ")\n📍 " + esc(cut(place_name, caption_label_max));
}

std::string natal_caption(const birth_view& birth) {
  const std::string time =
      birth.time ? esc(cut(*birth.time, caption_field_max)) : std::string("время неизвестно");
  return "🌟 <b>Натальная карта</b>\n📅 " + esc(cut(birth.date, caption_field_max)) + " 🕐 " + time +
         "\n📍 " + esc(cut(birth.place_label, caption_label_max));
}

std::string pt_caption(const moment_label& at) {
  return "🌟 <b>Персональные транзиты</b>\n📅 " + esc(cut(at.date, caption_field_max)) + " 🕐 " +
         esc(cut(at.time, caption_field_max)) + " (" + esc(cut(at.zone, caption_field_max)) + ")";
}

std::string interpretation_block(purpose p, std::string_view text_html, bool builtin,
                                 bool llm_configured_but_unused) {
  const char* header = nullptr;
  switch (p) {
    case purpose::day:
      header = builtin ? texts::header_day_short : texts::header_day;
      break;
    case purpose::natal:
      header = builtin ? texts::header_natal_short : texts::header_natal;
      break;
    case purpose::transits:
      header = builtin ? texts::header_pt_short : texts::header_pt;
      break;
    case purpose::compat:
      header = builtin ? compat::header_short : compat::header;
      break;
    case purpose::moon:
      header = builtin ? texts::header_moon_short : texts::header_moon;
      break;
  }
  std::string out = std::string(header) + std::string(text_html);
  if (builtin && llm_configured_but_unused) out += texts::interp_note;
  return out;
}

std::string forecast_text(const std::vector<astro::aspect>& aspects, std::string_view date,
                          bool time_unknown, std::string_view interpretation_block) {
  std::string out = "🌅 <b>Ваш прогноз на " + esc(date) + "</b>";
  if (time_unknown) out += std::string("\n") + note_unknown;
  const auto list = transit_aspects(aspects, time_unknown);
  out += "\n\n";
  out += list.empty() ? std::string(texts::pt_none) : join(tr_lines(list), forecast_max_lines);
  out += "\n\n";
  out += interpretation_block;
  out += "\n\n🔕 Отключить рассылку: /unsubscribe";
  return out;
}

std::string profile_text(const birth_view& birth, char house_system,
                         const std::optional<std::string>& subscription_time,
                         std::size_t partners) {
  std::string out = "👤 <b>Ваш профиль</b>\n\n📅 <b>Дата рождения:</b> " + esc(birth.date) +
                    "\n🕐 <b>Время рождения:</b> " +
                    (birth.time ? esc(*birth.time) : std::string("неизвестно")) +
                    "\n📍 <b>Место рождения:</b> " + esc(birth.place_label);
  if (birth.by_location) out += " (по геопозиции)";
  out += "\n🌍 <b>Координаты:</b> " + coordinate(birth.latitude) + ", " +
         coordinate(birth.longitude) + "\n🕰 <b>Часовой пояс:</b> " + esc(birth.zone) +
         "\n🏠 <b>Система домов:</b> " + system_label(house_system) +
         "\n🔔 <b>Ежедневный прогноз:</b> " +
         (subscription_time ? "в " + esc(*subscription_time) : std::string("выключен"));
  // Only once there are some, so a profile without partners reads as before.
  if (partners > 0) out += "\n💞 <b>Партнёры для совместимости:</b> " + std::to_string(partners);
  return out + "\n\n" + profile_footer;
}

std::string settings_text(char current, bool time_unknown) {
  std::string out = std::string(settings_title) + "\n\n🏠 Система домов: <b>" +
                    system_label(current) + "</b>\n\nВыберите систему домов для ваших карт:";
  if (time_unknown)
    out +=
        "\n\n<i>Время рождения неизвестно, поэтому в натальной карте дома не строятся; выбор "
        "применяется к карте текущего неба (/transit).</i>";
  return out;
}

std::string settings_keyboard(char current) {
  // An unknown stored letter marks the default, matching the label settings_text shows.
  const char marked = ru::house_system_label(current) ? current : 'P';
  static constexpr char layout[][2] = {{'P', 'K'}, {'E', 'W'}, {'O', 'R'}, {'C', 0}};
  std::vector<std::vector<std::string>> rows;
  for (const auto& letters : layout) {
    std::vector<std::string> row;
    for (char letter : letters) {
      if (!letter) continue;
      std::string text = ru::house_system_label(letter);
      if (letter == marked) text = "✅ " + text;
      row.push_back(json_button(text, std::string("s:h:") + letter));
    }
    rows.push_back(std::move(row));
  }
  return inline_keyboard(rows);
}

std::string clear_keyboard(std::string_view nonce) {
  const std::string prefix = "x:" + std::string(nonce) + ":";
  return inline_keyboard({{json_button("🗑 Да, удалить", prefix + "y")},
                          {json_button("Отмена", prefix + "n")}});
}

std::string set_changed_text(char letter) {
  return texts::set_changed(system_label(letter));
}

std::string set_same_text(char letter) {
  return texts::set_same(system_label(letter));
}

std::string sub_ok_text(std::string_view time, std::string_view zone) {
  return "🔔 <b>Подписка оформлена</b>\n\nКаждый день в " + esc(time) +
         " по часовому поясу места рождения (" + esc(zone) +
         ") я буду присылать персональный прогноз транзитов.\n\nИзменить время: /subscribe "
         "ЧЧ:ММ\nОтключить: /unsubscribe";
}

std::string sub_changed_text(std::string_view time, std::string_view zone) {
  return "🔔 <b>Время прогноза изменено</b>\n\nТеперь прогноз будет приходить каждый день в " +
         esc(time) + " (" + esc(zone) + ").\n\nОтключить: /unsubscribe";
}

}  // namespace nocturna::reports
