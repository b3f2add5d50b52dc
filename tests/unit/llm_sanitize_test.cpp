// Model output → Telegram HTML (docs/integrations.md §1.6): hostile markup is escaped, the Markdown
// the models like is turned into <b>/<i> or dropped, and long answers are cut with tags balanced.
#include "protocol/llm_sanitize.hpp"

#include <doctest/doctest.h>

#include <string>

#include "protocol/html.hpp"

namespace {

using nocturna::llm::drop_unfinished_tail;
using nocturna::llm::sanitize_llm_text;

constexpr std::size_t kDayCap = 6000;

// Sanitises and checks that Telegram would accept the result.
std::string clean(std::string_view raw, std::size_t cap = kDayCap) {
  std::string out = sanitize_llm_text(raw, cap);
  const auto problem = nocturna::html::validate(out);
  INFO("output: " << out);
  CHECK_MESSAGE(!problem, (problem ? *problem : std::string()));
  return out;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// A paragraph of whole sentences, about `chars` characters.
std::string paragraph(int index, int chars) {
  std::string p;
  int n = 0;
  while (static_cast<int>(p.size()) / 2 < chars) {
    if (!p.empty()) p += ' ';
    p += "Абзац " + std::to_string(index) + ", предложение " + std::to_string(++n) +
         " говорит о спокойной энергии дня.";
  }
  return p;
}

}  // namespace

TEST_CASE("llm sanitiser: tags and entities from the model are escaped") {
  CHECK(clean("<script>alert(1)</script> Тигр & Лев \"вместе\"") ==
        "&lt;script&gt;alert(1)&lt;/script&gt; Тигр &amp; Лев &quot;вместе&quot;");
  CHECK(clean("<b>не наш тег</b> &amp;") == "&lt;b&gt;не наш тег&lt;/b&gt; &amp;amp;");
  CHECK(clean("<a href=\"javascript:x\">ссылка</a>") ==
        "&lt;a href=&quot;javascript:x&quot;&gt;ссылка&lt;/a&gt;");
}

TEST_CASE("llm sanitiser: bold and italic markers become tags") {
  CHECK(clean("**Любовь** и __работа__") == "<b>Любовь</b> и <b>работа</b>");
  CHECK(clean("*тихо* и _мягко_, а snake_case_name остаётся") ==
        "<i>тихо</i> и <i>мягко</i>, а snake_case_name остаётся");
  CHECK(clean("**жирный *курсив* текст**") == "<b>жирный <i>курсив</i> текст</b>");
  CHECK(clean("**<опасно> & смело**") == "<b>&lt;опасно&gt; &amp; смело</b>");
  // Bold may span the lines of one paragraph, italics only one line.
  CHECK(clean("**первая\nвторая**") == "<b>первая\nвторая</b>");
  CHECK(clean("*первая\nвторая*") == "первая\nвторая");
}

TEST_CASE("llm sanitiser: unpaired or misplaced markers are removed, never tagged") {
  CHECK(clean("**не закрыто и *тоже") == "не закрыто и тоже");
  CHECK(clean("2 * 3 = 6") == "2 3 = 6");
  CHECK(clean("** пробелы внутри **") == "пробелы внутри");
  CHECK(clean("* начало без пары") == "• начало без пары");
  // Bold never crosses a paragraph.
  CHECK(clean("**начало\n\nконец**") == "начало\n\nконец");
  // Overlapping markers still nest properly.
  const auto overlap = clean("**a *b** c*");
  CHECK(overlap.find("<i>") == std::string::npos);
  CHECK(clean("***") == "");
  CHECK(clean("****") == "");
}

TEST_CASE("llm sanitiser: headings and rules are dropped, bullets normalised") {
  CHECK(clean("# Заголовок\nТекст") == "Текст");
  CHECK(clean("Один\n## Раздел\nДва") == "Один\n\nДва");
  CHECK(clean("###### шесть\nостаётся ####### семь") == "остаётся ####### семь");
  CHECK(clean("#хэштег остаётся") == "#хэштег остаётся");
  CHECK(clean("Один\n---\nДва\n* * *\nТри\n___\n - - - ") == "Один\n\nДва\n\nТри");
  CHECK(clean("Список:\n- раз\n* два\n  - три") == "Список:\n• раз\n• два\n• три");
}

TEST_CASE("llm sanitiser: line endings, blank runs, fences, whitespace and controls") {
  CHECK(clean("a\r\n\r\n\r\n\r\nb\rc") == "a\n\nb\nc");
  CHECK(clean("  a  \n   \n\n \n\tb\t") == "a\n\nb");
  CHECK(clean("```markdown\nТекст\n```") == "Текст");
  CHECK(clean("\n\n```\nТекст\n```\n\n") == "Текст");
  CHECK(clean(std::string_view("a\x01"
                               "b\0c\x7f",
                               6)) == "abc");
  const auto bad = clean("abc\xff\xfe def");
  CHECK(bad.find("\xEF\xBF\xBD") != std::string::npos);
  CHECK(clean("") == "");
  CHECK(clean("# только\n---\n## заголовки") == "");
}

TEST_CASE("llm sanitiser: emoji survive and count as two units") {
  CHECK(clean("🌟 День\n\n💫 Ночь") == "🌟 День\n\n💫 Ночь");
  std::string stars;
  for (int i = 0; i < 100; ++i) stars += "🌟";
  const auto cut = clean(stars, 101);
  CHECK(nocturna::html::visible_length(cut) <= 101);
  CHECK(ends_with(cut, "…"));
  CHECK(cut.find("\xF0\x9F\x8C") != std::string::npos);
}

TEST_CASE("llm sanitiser: 20,000 characters are cut at a paragraph boundary under the cap") {
  std::string raw;
  std::string expected_prefix;
  for (int i = 1; i <= 20; ++i) {
    if (!raw.empty()) raw += "\n\n";
    raw += paragraph(i, 1000);
  }
  REQUIRE(raw.size() > 20000);
  const auto out = clean(raw, kDayCap);
  CHECK(nocturna::html::visible_length(out) <= kDayCap);
  CHECK(nocturna::html::visible_length(out) > kDayCap / 2);
  REQUIRE(ends_with(out, "…"));
  // What precedes the ellipsis is a run of whole paragraphs.
  const std::string body = out.substr(0, out.size() - std::string("…").size());
  CHECK(raw.compare(0, body.size(), body) == 0);
  CHECK(raw.compare(body.size(), 2, "\n\n") == 0);

  // No cap: untouched length.
  CHECK(sanitize_llm_text(raw, 0).size() == raw.size());
  // The natal cap is larger.
  CHECK(nocturna::html::visible_length(clean(raw, 7000)) <= 7000);
}

TEST_CASE("llm sanitiser: a cut inside a bold paragraph keeps the tags balanced") {
  const std::string raw = "**" + paragraph(1, 9000) + "**";
  const auto out = clean(raw, kDayCap);
  CHECK(nocturna::html::visible_length(out) <= kDayCap);
  CHECK(out.rfind("<b>", 0) == 0);
  CHECK(ends_with(out, "</b>…"));
  // Cut at a sentence end.
  CHECK(ends_with(out, ".</b>…"));
}

TEST_CASE("llm sanitiser: the unfinished tail of a length-stopped answer goes") {
  CHECK(drop_unfinished_tail("Абзац один.\n\nАбзац два не законч") == "Абзац один.");
  CHECK(drop_unfinished_tail("Первый.\r\n\r\nВторой.\r\n\r\nТретий обры") == "Первый.\n\nВторой.");
  CHECK(drop_unfinished_tail("Одно. Два! Три без конца") == "Одно. Два!");
  CHECK(drop_unfinished_tail("Всё хорошо.") == "Всё хорошо.");
  CHECK(drop_unfinished_tail("Абзац.\n\nКонец! ✨\n") == "Абзац.\n\nКонец! ✨");
  CHECK(drop_unfinished_tail("**Совет дня.**") == "**Совет дня.**");
  CHECK(drop_unfinished_tail("Без точки вообще") == "Без точки вообще");
}
