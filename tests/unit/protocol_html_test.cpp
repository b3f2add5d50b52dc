// protocol/html and protocol/utf16: escaping, Telegram-strict validation, plain text, UTF-16
// lengths and the tag-balanced splitter (docs/telegram.md §5).
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/html.hpp"
#include "protocol/utf16.hpp"

using namespace nocturna;

namespace {

const std::string prefix = "Bad Request: can't parse entities";

bool rejected(const std::string& h) {
  const auto e = html::validate(h);
  return e.has_value() && e->rfind(prefix, 0) == 0;
}

bool is_ws(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

std::string trim_ws(const std::string& s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_ws(s[b])) ++b;
  while (e > b && is_ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Checks the §5.3 properties of split(h, budget) and returns the parts.
std::vector<std::string> check_split(const std::string& h, std::size_t budget) {
  REQUIRE_FALSE(html::validate(h).has_value());
  const auto parts = html::split(h, budget);
  REQUIRE_FALSE(parts.empty());
  const std::string original = html::to_plain(h);
  std::size_t pos = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    INFO("part " << i << " of " << parts.size());
    const auto err = html::validate(p);
    CHECK_MESSAGE(!err.has_value(), (err ? *err : std::string()));
    CHECK(html::visible_length(p) <= budget);
    const std::string plain = trim_ws(html::to_plain(p));
    CHECK_FALSE(plain.empty());  // no empty or tags-only part
    CHECK(is_valid_utf8(html::to_plain(p)));
    // The visible texts, in order, are the original's apart from whitespace at the cuts.
    while (pos < original.size() && is_ws(original[pos])) ++pos;
    REQUIRE(original.compare(pos, plain.size(), plain) == 0);
    pos += plain.size();
  }
  while (pos < original.size() && is_ws(original[pos])) ++pos;
  CHECK(pos == original.size());
  return parts;
}

std::string repeat(const std::string& s, int n) {
  std::string r;
  for (int i = 0; i < n; ++i) r += s;
  return r;
}

}  // namespace

TEST_CASE("utf16 length counts surrogate pairs and Cyrillic") {
  CHECK(utf16_length("") == 0);
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("привет") == 6);  // 12 bytes, 6 units
  CHECK(utf16_length("😀") == 2);       // U+1F600: a surrogate pair
  CHECK(utf16_length("a😀б") == 4);
  CHECK(utf16_length("👨‍👩‍👧") == 8);  // three emoji and two ZWJ
  CHECK(utf16_length("ℹ️") == 2);              // U+2139 U+FE0F
  CHECK(utf16_length("\xff\xfe") == 2);            // invalid bytes count one each
  CHECK(utf16_length("a\xe2\x82") == 3);           // truncated sequence: two invalid bytes
}

TEST_CASE("utf8 validity and decoding") {
  CHECK(is_valid_utf8("Привет, 😀"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("abc\x80"));
  char32_t cp = 0;
  CHECK(decode_utf8("я", 0, cp) == 2);
  CHECK(cp == U'я');
  std::string out;
  append_utf8(out, U'😀');
  CHECK(out == "😀");
  CHECK(utf16_to_byte_offset("a😀b", 3).value() == 5);
  CHECK_FALSE(utf16_to_byte_offset("a😀b", 2).has_value());  // inside the pair
  CHECK_FALSE(utf16_to_byte_offset("ab", 3).has_value());
}

TEST_CASE("escape covers the four special characters") {
  CHECK(html::escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c'");
  CHECK(html::escape("Привет") == "Привет");
  CHECK_FALSE(html::validate(html::escape("<script>&nbsp;\"x\"</script>")).has_value());
}

TEST_CASE("validate accepts every tag Telegram supports") {
  const std::vector<std::string> ok = {
      "",
      "plain text",
      "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins>",
      "<s>s</s><strike>s</strike><del>d</del>",
      "<span class=\"tg-spoiler\">x</span><tg-spoiler>y</tg-spoiler>",
      "<a href=\"https://example.com/?a=1&amp;b=2\">link</a>",
      "<a href='tg://user?id=123'>me</a>",
      "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
      "<tg-time unix=\"1647531900\" format=\"wDT\">22:45</tg-time>",
      "<code>x &lt; y</code>",
      "<pre>block</pre>",
      "<pre><code class=\"language-python\">print(1)</code></pre>",
      "<blockquote>q</blockquote>",
      "<blockquote expandable>long q</blockquote>",
      "<b>bold <i>italic <u>under</u></i></b>",
      "&lt; &gt; &amp; &quot; &#33; &#x1F600; &#X41;",
      "a > b",
      "<B>case</B>",
      "<b >spaced</b >",
      "line1\nline2\n\n<b>x</b>",
  };
  for (const auto& h : ok) {
    const auto e = html::validate(h);
    CHECK_MESSAGE(!e.has_value(), h << " -> " << (e ? *e : ""));
  }
}

TEST_CASE("validate rejects unsupported tags and attributes") {
  for (const std::string h :
       {"<foo>x</foo>", "<div>x</div>", "<br>", "<br/>", "<p>x</p>", "<img src=\"x\">",
        "<script>x</script>", "<b class=\"x\">y</b>", "<a title=\"t\">y</a>", "<span>x</span>",
        "<span class=\"other\">x</span>", "<code class=\"language-c\">x</code>",
        "<pre lang=\"c\">x</pre>", "<a href>x</a>", "<tg-emoji>x</tg-emoji>",
        "<tg-time format=\"t\">x</tg-time>"}) {
    CHECK_MESSAGE(rejected(h), h);
  }
  CHECK(html::validate("ab <foo>x</foo>").value() ==
        "Bad Request: can't parse entities: Unsupported start tag \"foo\" at byte offset 3");
}

TEST_CASE("validate rejects bad nesting and unbalanced tags") {
  CHECK(html::validate("<b>x").value() ==
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"");
  CHECK(html::validate("<b><i>x</b></i>").value() ==
        "Bad Request: can't parse entities: Unmatched end tag at byte offset 7, expected "
        "\"</i>\", found \"</b>\"");
  CHECK(rejected("x</b>"));
  CHECK(rejected("<b>x</b></b>"));
  CHECK(rejected("<pre><b>x</b></pre>"));    // pre holds only code
  CHECK(rejected("<code><i>x</i></code>"));  // code holds nothing
  CHECK(rejected("<blockquote><blockquote>x</blockquote></blockquote>"));
  CHECK(rejected("<b>x</b"));  // unclosed end tag
  CHECK(rejected("<a href=\"x\">y"));
}

TEST_CASE("validate rejects bad entities stray brackets and invalid UTF-8") {
  CHECK(html::validate("a&nbsp;b").value() ==
        "Bad Request: can't parse entities: Unsupported entity \"nbsp\" at byte offset 1");
  CHECK(rejected("&copy;"));
  CHECK(rejected("AT&T"));
  CHECK(rejected("a & b"));
  CHECK(rejected("&amp"));
  CHECK(rejected("&#0;"));
  CHECK(rejected("&#xD800;"));
  CHECK(rejected("&#x110000;"));
  CHECK(rejected("&#99999999999999999999;"));
  CHECK(rejected("1 < 2"));
  CHECK(rejected("x <"));
  CHECK(rejected("<"));
  CHECK(rejected("<b"));
  CHECK(rejected("<a href=\"x>y</a>"));
  CHECK(rejected("bad \xff byte"));
  CHECK(rejected("<b>\xc0\xaf</b>"));
  CHECK(rejected("<a href=\"&nbsp;\">x</a>"));
}

TEST_CASE("to_plain removes tags and decodes entities") {
  CHECK(html::to_plain("<b>a &lt;b&gt; &amp; &quot;q&quot;</b>") == "a <b> & \"q\"");
  CHECK(html::to_plain("&#x1F600;&#1055;") == "😀П");
  CHECK(html::to_plain("<a href=\"tg://user?id=1\">Имя</a>!") == "Имя!");
  CHECK(html::to_plain("<pre><code class=\"language-c\">int x;</code></pre>") == "int x;");
  // Lenient on invalid input: literal characters survive.
  CHECK(html::to_plain("1 < 2 & 3 > 2") == "1 < 2 & 3 > 2");
  CHECK(html::to_plain("&nbsp;") == "&nbsp;");
}

TEST_CASE("visible_length counts UTF-16 units of the plain text") {
  CHECK(html::visible_length("<b>abc</b>") == 3);
  CHECK(html::visible_length("&amp;&lt;") == 2);
  CHECK(html::visible_length("<i>😀</i> привет") == 9);
  CHECK(html::visible_length("&#x1F600;") == 2);
  CHECK(html::visible_length("") == 0);
}

TEST_CASE("split returns the input unchanged when it fits") {
  const std::string h = "<b>short</b> text";
  const auto parts = html::split(h);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == h);
  const std::string exact(4000, 'x');
  CHECK(html::split(exact).size() == 1);
  CHECK(html::split(exact + "y").size() == 2);
}

TEST_CASE("split a 9000 character text with bold spanning the cut") {
  std::string h;
  int n = 0;
  while (html::visible_length(h) < 3500)
    h += "Предложение номер " + std::to_string(n++) + " о планетах. ";
  h += "<b>";
  while (html::visible_length(h) < 4500) h += "Жирный текст " + std::to_string(n++) + " и Луна. ";
  h += "</b>";
  while (html::visible_length(h) < 9000) h += "Хвост " + std::to_string(n++) + " текста. ";
  REQUIRE(html::visible_length(h) >= 9000);
  const auto parts = check_split(h, 4000);
  REQUIRE(parts.size() == 3);
  REQUIRE(parts[0].size() > 4);
  CHECK(parts[0].substr(parts[0].size() - 4) == "</b>");
  CHECK(parts[1].rfind("<b>", 0) == 0);
  // Sentence ends are preferred over arbitrary spaces when no newline exists.
  CHECK(trim_ws(html::to_plain(parts[0])).back() == '.');
}

TEST_CASE("split prefers a blank line then a newline then a sentence end then a space") {
  const std::string a(1500, 'a');
  const std::string b(1500, 'b');
  const std::string c(1500, 'c');
  {
    const auto parts = check_split(a + "\n\n" + b + "\nx. " + c, 4000);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == a);
  }
  {
    const auto parts = check_split(a + ". " + b + "\n" + c + " y", 4000);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == a + ". " + b);
  }
  {
    const auto parts = check_split(a + ". " + b + " " + c, 4000);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == a + ".");
  }
  {
    const auto parts = check_split(a + " " + b + " " + c, 4000);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == a + " " + b);
  }
}

TEST_CASE("split hard cuts a long word at the budget") {
  const auto parts = check_split(std::string(9000, 'x'), 4000);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0].size() == 4000);
  CHECK(parts[2].size() == 1000);
}

TEST_CASE("split never cuts a surrogate pair or an entity") {
  // Odd budgets: a cut after an odd number of units would split an emoji.
  const std::string emoji = repeat("😀", 4500);
  for (std::size_t budget : {3999u, 4000u, 7u}) {
    const auto parts = check_split(emoji, budget);
    for (const auto& p : parts) CHECK(html::visible_length(p) % 2 == 0);
  }
  const auto parts = check_split(repeat("&amp;", 5000) + repeat("&#x1F600;", 100), 3001);
  for (const auto& p : parts) {
    CHECK(p.front() == '&');
    CHECK(p.back() == ';');
  }
}

TEST_CASE("split avoids cutting inside ZWJ emoji sequences") {
  const std::string family = "👨‍👩‍👧";  // 8 units
  const auto parts = check_split(repeat(family, 100), 100);
  for (const auto& p : parts) {
    const std::string plain = html::to_plain(p);
    CHECK(plain.rfind("👨", 0) == 0);
    CHECK(plain.size() % family.size() == 0);
  }
}

TEST_CASE("split reopens tags with their attributes") {
  const std::string words = repeat("слово ", 900);
  const std::string h = "<a href=\"tg://user?id=42\"><i>" + words + "</i></a> end";
  const auto parts = check_split(h, 4000);
  REQUIRE(parts.size() >= 2);
  CHECK(parts[0].rfind("<a href=\"tg://user?id=42\"><i>", 0) == 0);
  CHECK(parts[0].substr(parts[0].size() - 8) == "</i></a>");
  CHECK(parts[1].rfind("<a href=\"tg://user?id=42\"><i>", 0) == 0);

  std::string code = "<pre><code class=\"language-python\">";
  for (int i = 0; i < 500; ++i) code += "print(" + std::to_string(i) + ")\n";
  code += "</code></pre>";
  const auto cparts = check_split(code, 1000);
  CHECK(cparts.size() >= 4);
  for (const auto& p : cparts) CHECK(p.rfind("<pre><code class=\"language-python\">", 0) == 0);
}

TEST_CASE("split drops whitespace at the end rather than exceed the budget") {
  const std::string h = std::string(4000, 'x') + "\n\n<b> </b>  ";
  const auto parts = check_split(h, 4000);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == std::string(4000, 'x') + "<b></b>");
  const auto two = check_split(std::string(3000, 'x') + " \n" + std::string(2000, 'y') + " ", 4000);
  REQUIRE(two.size() == 2);
  CHECK(two[0] == std::string(3000, 'x'));
  CHECK(two[1] == std::string(2000, 'y') + " ");
}

TEST_CASE("split drops a leading whitespace run that leaves no room within the budget") {
  // Found by tests/fuzz/html_fuzz.cpp: 19 leading spaces with a budget of 16 gave a 20-unit part.
  const auto parts = check_split(std::string(19, ' ') + "&lt;b&gt;&lt;i&gt;unclu&gt;", 16);
  REQUIRE(parts.size() == 1);
  CHECK(parts[0] == "&lt;b&gt;&lt;i&gt;unclu&gt;");
  // A shorter run still counts and stays.
  const auto kept = check_split("   abcdefghijklmnop", 16);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0] == "   abcdefghijklm");
}

TEST_CASE("split holds its properties on random valid HTML") {
  std::mt19937 rng(12345);
  const std::vector<std::string> words = {
      "Луна", "Sun", "😀",     "👨‍👩‍👧", "&amp;",  "&lt;", "a.",
      "b!",   "c?",  "текст", "&#x1F31F;",          "ℹ️", "x"};
  const std::vector<std::string> seps = {" ", " ", " ", "\n", "\n\n", ". ", ""};
  const std::vector<std::pair<std::string, std::string>> tags = {
      {"<b>", "</b>"},
      {"<i>", "</i>"},
      {"<a href=\"https://e.com/?q=1&amp;r=2\">", "</a>"},
      {"<span class=\"tg-spoiler\">", "</span>"},
      {"<u>", "</u>"}};
  for (int round = 0; round < 40; ++round) {
    std::string h;
    std::vector<std::string> open;
    const int len = 200 + static_cast<int>(rng() % 3000);
    for (int i = 0; i < len; ++i) {
      const auto r = rng() % 100;
      if (r < 4 && open.size() < 3) {
        const auto& t = tags[rng() % tags.size()];
        h += t.first;
        open.push_back(t.second);
      } else if (r < 8 && !open.empty()) {
        h += open.back();
        open.pop_back();
      } else {
        h += words[rng() % words.size()];
        h += seps[rng() % seps.size()];
      }
    }
    while (!open.empty()) {
      h += open.back();
      open.pop_back();
    }
    const std::size_t budget = 50 + rng() % 400;
    INFO("round " << round << " budget " << budget);
    check_split(h, budget);
  }
}

TEST_CASE("html functions survive hostile input") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::string s;
    const int len = static_cast<int>(rng() % 300);
    for (int i = 0; i < len; ++i) {
      const char pool[] = "<>&;#x/=\"' abi\n\xff\xd0\x9f";
      s.push_back(pool[rng() % (sizeof pool - 1)]);
    }
    (void)html::validate(s);
    (void)html::to_plain(s);
    const auto parts = html::split(s, 1 + rng() % 20);
    CHECK_FALSE(parts.empty());
  }
  const std::string deep = repeat("<b>", 10000) + "x" + repeat("</b>", 10000);
  CHECK_FALSE(html::validate(deep).has_value());
  CHECK(html::split(deep, 4000).size() == 1);
}
