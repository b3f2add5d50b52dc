// The OpenRouter client (docs/integrations.md §1.2–§1.5) against a loopback fake, and what it
// sends: the prompts of share/prompts_ru and the data blocks built from charts (docs/behaviour.md
// §7.3).
#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "clients/llm/openrouter_client.hpp"
#include "clients/llm/prompts.hpp"
#include "tests/support/fake_openrouter.hpp"

namespace {

using namespace std::chrono_literals;
using nocturna::llm::llm_breaker;
using nocturna::llm::llm_errc;
using nocturna::llm::openrouter_client;
using nocturna::llm::openrouter_config;
using nocturna::llm::purpose;
using nocturna::testing::fake_llm_reply;
using nocturna::testing::fake_openrouter;
using clock_type = std::chrono::steady_clock;

const std::string kKey = "sk-or-v1-test-0123456789abcdef";
const std::string kSystem = "Ты — астролог. Отвечай по-русски.";
const std::string kData = "Дата: 23.11.2025 (Europe/Moscow), положение планет на 12:00.";

openrouter_config config_for(const fake_openrouter& fake) {
  openrouter_config c;
  c.base_url = fake.base_url();
  c.api_key = kKey;
  c.app_url = "https://nocturna.example/bot";
  c.app_title = "Nocturna Bot";
  // Short enough for tests; the production values are 10 s and 1 s (§1.5).
  c.retry_min_left = 50ms;
  c.retry_delay = 10ms;
  c.connect_timeout = 500ms;
  return c;
}

clock_type::time_point in(std::chrono::milliseconds d) {
  return clock_type::now() + d;
}

long ms_since(clock_type::time_point t) {
  return static_cast<long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - t).count());
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

struct running_fake {
  fake_openrouter fake;
  running_fake() {
    fake.start();
    fake.set_api_key(kKey);
  }
};

}  // namespace

TEST_CASE("openrouter: a success returns the sanitised text, usage and model") {
  running_fake f;
  f.fake.set_default(fake_llm_reply::text("🌟 **День** для <всех> & каждого."));
  openrouter_client client(config_for(f.fake));
  const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
  REQUIRE_MESSAGE(r.ok, r.describe());
  CHECK(r.text == "🌟 <b>День</b> для &lt;всех&gt; &amp; каждого.");
  CHECK(r.finish_reason == "stop");
  CHECK(r.model == "anthropic/claude-haiku-4.5");
  CHECK(r.usage.prompt_tokens == 612);
  CHECK(r.usage.completion_tokens == 1088);
  CHECK(r.usage.total_tokens == 1700);
  CHECK(r.attempts == 1);
  CHECK(f.fake.request_count() == 1);
}

TEST_CASE("openrouter: the request body and headers are the documented ones") {
  running_fake f;
  openrouter_client client(config_for(f.fake));
  REQUIRE(client.complete(purpose::day, kSystem, kData, in(3s)).ok);

  CHECK(f.fake.last_path() == "/api/v1/chat/completions");
  CHECK(f.fake.last_header("Authorization") == "Bearer " + kKey);
  CHECK(f.fake.last_header("Content-Type") == "application/json");
  CHECK(f.fake.last_header("Accept") == "application/json");
  CHECK(f.fake.last_header("HTTP-Referer") == "https://nocturna.example/bot");
  CHECK(f.fake.last_header("X-OpenRouter-Title") == "Nocturna Bot");
  CHECK(f.fake.last_header("X-Title") == "Nocturna Bot");

  simdjson::dom::parser parser;
  simdjson::dom::object body;
  REQUIRE_FALSE(parser.parse(f.fake.last_body()).get(body));
  CHECK(body.size() == 5);  // model, messages, temperature, max_tokens, stream: nothing else
  std::string_view model, role0, content0, role1, content1;
  double temperature = 0;
  std::int64_t max_tokens = 0;
  bool stream = true;
  REQUIRE_FALSE(body["model"].get(model));
  CHECK(model == "anthropic/claude-haiku-4.5");
  simdjson::dom::array messages;
  REQUIRE_FALSE(body["messages"].get(messages));
  REQUIRE(messages.size() == 2);
  REQUIRE_FALSE(messages.at(0)["role"].get(role0));
  REQUIRE_FALSE(messages.at(0)["content"].get(content0));
  REQUIRE_FALSE(messages.at(1)["role"].get(role1));
  REQUIRE_FALSE(messages.at(1)["content"].get(content1));
  CHECK(role0 == "system");
  CHECK(content0 == kSystem);
  CHECK(role1 == "user");
  CHECK(content1 == kData);
  REQUIRE_FALSE(body["temperature"].get(temperature));
  CHECK(temperature == doctest::Approx(0.7));
  REQUIRE_FALSE(body["max_tokens"].get(max_tokens));
  CHECK(max_tokens == 1500);
  REQUIRE_FALSE(body["stream"].get(stream));
  CHECK_FALSE(stream);

  SUBCASE("natal asks for 2000 tokens") {
    REQUIRE(client.complete(purpose::natal, kSystem, kData, in(3s)).ok);
    REQUIRE_FALSE(parser.parse(f.fake.last_body()).get(body));
    REQUIRE_FALSE(body["max_tokens"].get(max_tokens));
    CHECK(max_tokens == 2000);
  }
}

TEST_CASE("openrouter: no attribution headers unless configured") {
  running_fake f;
  auto cfg = config_for(f.fake);
  cfg.app_url.clear();
  cfg.app_title.clear();
  openrouter_client client(cfg);
  REQUIRE(client.complete(purpose::transits, kSystem, kData, in(3s)).ok);
  CHECK_FALSE(f.fake.last_has_header("HTTP-Referer"));
  CHECK_FALSE(f.fake.last_has_header("X-OpenRouter-Title"));
  CHECK_FALSE(f.fake.last_has_header("X-Title"));
}

TEST_CASE("openrouter: 429 with Retry-After is retried after the pause") {
  running_fake f;
  f.fake.script({fake_llm_reply::error(429, "Rate limit exceeded", 1),
                 fake_llm_reply::text("🌙 Вторая попытка.")});
  openrouter_client client(config_for(f.fake));
  const auto start = clock_type::now();
  const auto r = client.complete(purpose::day, kSystem, kData, in(5s));
  REQUIRE_MESSAGE(r.ok, r.describe());
  CHECK(r.text == "🌙 Вторая попытка.");
  CHECK(r.attempts == 2);
  CHECK(f.fake.request_count() == 2);
  CHECK(ms_since(start) >= 1000);
}

TEST_CASE("openrouter: a Retry-After beyond the deadline ends the call at once") {
  running_fake f;
  f.fake.script({fake_llm_reply::error(429, "Rate limit exceeded", 30)});
  openrouter_client client(config_for(f.fake));
  const auto start = clock_type::now();
  const auto r = client.complete(purpose::day, kSystem, kData, in(2s));
  CHECK_FALSE(r.ok);
  CHECK(r.error.kind == llm_errc::unavailable);
  CHECK(r.error.reason == "rate_limited");
  CHECK(r.error.http_status == 429);
  CHECK(r.error.retry_after_s == 30);
  CHECK(f.fake.request_count() == 1);
  CHECK(ms_since(start) < 1000);
}

TEST_CASE("openrouter: a retry needs the minimum time left") {
  running_fake f;
  f.fake.script({fake_llm_reply::error(500), fake_llm_reply::text("Не дойдёт.")});
  auto cfg = config_for(f.fake);
  cfg.retry_min_left = 10s;  // the production rule with a 2 s deadline
  openrouter_client client(cfg);
  const auto r = client.complete(purpose::day, kSystem, kData, in(2s));
  CHECK_FALSE(r.ok);
  CHECK(r.error.reason == "upstream");
  CHECK(f.fake.request_count() == 1);
}

TEST_CASE("openrouter: consecutive 500s open the shared breaker, then nothing is sent") {
  running_fake f;
  f.fake.set_default(fake_llm_reply::error(500, "Internal Server Error"));
  auto breaker = std::make_shared<llm_breaker>(5, 60s);
  openrouter_client client(config_for(f.fake), breaker);
  for (int i = 0; i < 5; ++i) {
    const auto r = client.complete(purpose::day, kSystem, kData, in(2s));
    CHECK_FALSE(r.ok);
    CHECK(r.error.kind == llm_errc::unavailable);
    CHECK(r.error.http_status == 500);
    CHECK(r.attempts == 2);
  }
  CHECK(f.fake.request_count() == 10);
  CHECK(breaker->current(clock_type::now()) == nocturna::remote::circuit_breaker::state::open);

  const auto r = client.complete(purpose::day, kSystem, kData, in(2s));
  CHECK(r.error.kind == llm_errc::breaker_open);
  CHECK(r.attempts == 0);
  openrouter_client other(config_for(f.fake), breaker);
  CHECK(other.complete(purpose::natal, kSystem, kData, in(2s)).error.kind ==
        llm_errc::breaker_open);
  CHECK(f.fake.request_count() == 10);
}

TEST_CASE("openrouter: a hung request is cut at the deadline") {
  running_fake f;
  f.fake.script({fake_llm_reply::hang(5000ms)});
  openrouter_client client(config_for(f.fake));
  const auto start = clock_type::now();
  const auto r = client.complete(purpose::day, kSystem, kData, in(300ms));
  const long elapsed = ms_since(start);
  CHECK_FALSE(r.ok);
  CHECK(r.error.kind == llm_errc::timeout);
  CHECK(f.fake.request_count() == 1);
  CHECK(elapsed >= 250);
  CHECK(elapsed <
        4000);  // cut, not waited out: the hang lasts 5 s (loosely: the machine may be busy)
}

TEST_CASE("openrouter: a deadline already past sends nothing and spares the breaker") {
  running_fake f;
  auto breaker = std::make_shared<llm_breaker>(1, 60s);
  openrouter_client client(config_for(f.fake), breaker);
  const auto r = client.complete(purpose::day, kSystem, kData, clock_type::now() - 1ms);
  CHECK(r.error.kind == llm_errc::timeout);
  CHECK(r.attempts == 0);
  CHECK(f.fake.request_count() == 0);
  CHECK(breaker->current(clock_type::now()) == nocturna::remote::circuit_breaker::state::closed);
}

TEST_CASE("openrouter: a refused connection is a retried network failure") {
  std::string url;
  {
    running_fake gone;
    url = gone.fake.base_url();
  }
  openrouter_config cfg;
  cfg.base_url = url;
  cfg.api_key = kKey;
  cfg.retry_min_left = 50ms;
  cfg.retry_delay = 10ms;
  openrouter_client client(cfg);
  const auto r = client.complete(purpose::day, kSystem, kData, in(2s));
  CHECK(r.error.kind == llm_errc::unavailable);
  CHECK(r.error.reason == "network");
  CHECK(r.attempts == 2);
}

TEST_CASE("openrouter: stop() ends a call in flight") {
  running_fake f;
  f.fake.script({fake_llm_reply::hang(5000ms)});
  openrouter_client client(config_for(f.fake));
  std::thread stopper([&] {  // once the call is in flight: the fake has its request
    while (f.fake.request_count() == 0) std::this_thread::sleep_for(1ms);
    client.stop();
  });
  const auto start = clock_type::now();
  const auto r = client.complete(purpose::day, kSystem, kData, in(4s));
  stopper.join();
  CHECK_FALSE(r.ok);
  CHECK(r.error.reason == "stopped");
  CHECK(ms_since(start) < 1000);
  CHECK(client.complete(purpose::day, kSystem, kData, in(1s)).error.reason == "stopped");
  CHECK(f.fake.request_count() == 1);
}

TEST_CASE("openrouter: 401 is not retried and the key stays out of the error") {
  running_fake f;
  // The fake's 401 message quotes the Authorization header it got.
  f.fake.set_api_key("sk-or-v1-the-right-key");
  openrouter_client client(config_for(f.fake));
  const auto r = client.complete(purpose::natal, kSystem, kData, in(3s));
  CHECK_FALSE(r.ok);
  CHECK(r.error.kind == llm_errc::rejected);
  CHECK(r.error.reason == "auth");
  CHECK(r.error.http_status == 401);
  CHECK(f.fake.request_count() == 1);
  CHECK(contains(r.error.detail, "No auth credentials"));
  CHECK_FALSE(contains(r.error.detail, kKey));
  CHECK_FALSE(contains(r.describe(), kKey));
}

TEST_CASE("openrouter: 402 is not retried and pauses every client") {
  running_fake f;
  f.fake.script({fake_llm_reply::error(402, "Insufficient credits")});
  auto breaker = std::make_shared<llm_breaker>();
  openrouter_client client(config_for(f.fake), breaker);
  const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
  CHECK(r.error.kind == llm_errc::rejected);
  CHECK(r.error.reason == "credits");
  CHECK(f.fake.request_count() == 1);
  CHECK(breaker->current(clock_type::now()) == nocturna::remote::circuit_breaker::state::open);
  CHECK(client.complete(purpose::day, kSystem, kData, in(3s)).error.kind == llm_errc::breaker_open);
  CHECK(f.fake.request_count() == 1);
}

TEST_CASE("openrouter: 400 and 403 are not retried and leave the breaker closed") {
  running_fake f;
  auto breaker = std::make_shared<llm_breaker>(1, 60s);
  openrouter_client client(config_for(f.fake), breaker);
  f.fake.script({fake_llm_reply::error(403, "flagged")});
  auto r = client.complete(purpose::day, kSystem, kData, in(3s));
  CHECK(r.error.reason == "moderation");
  f.fake.script({fake_llm_reply::error(400, "bad")});
  r = client.complete(purpose::day, kSystem, kData, in(3s));
  CHECK(r.error.reason == "bad_request");
  CHECK(f.fake.request_count() == 2);
  CHECK(breaker->current(clock_type::now()) == nocturna::remote::circuit_breaker::state::closed);
}

TEST_CASE("openrouter: malformed and empty answers") {
  running_fake f;
  openrouter_client client(config_for(f.fake));

  SUBCASE("unparsable JSON is not retried") {
    f.fake.script({fake_llm_reply::malformed()});
    const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
    CHECK(r.error.kind == llm_errc::malformed);
    CHECK(r.error.reason == "protocol");
    CHECK(f.fake.request_count() == 1);
  }
  SUBCASE("blank content is retried once") {
    f.fake.script({fake_llm_reply::empty_content(), fake_llm_reply::text("Теперь есть текст.")});
    const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
    CHECK(r.ok);
    CHECK(r.text == "Теперь есть текст.");
    CHECK(f.fake.request_count() == 2);
  }
  SUBCASE("content that sanitises to nothing counts as empty") {
    f.fake.set_default(fake_llm_reply::text("# Заголовок\n---"));
    const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
    CHECK(r.error.kind == llm_errc::malformed);
    CHECK(r.error.reason == "empty");
    CHECK(f.fake.request_count() == 2);
  }
  SUBCASE("an error object in a 200 answer is retried once") {
    f.fake.set_default(fake_llm_reply::error_in_200(502, "provider went away"));
    const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
    CHECK(r.error.kind == llm_errc::unavailable);
    CHECK(r.error.reason == "upstream");
    CHECK(contains(r.error.detail, "provider went away"));
    CHECK(f.fake.request_count() == 2);
  }
}

TEST_CASE("openrouter: an answer stopped by max_tokens loses its unfinished paragraph") {
  running_fake f;
  f.fake.set_default(
      fake_llm_reply::text("🌟 Первый абзац.\n\n💫 Второй абзац оборвался на полу", "length"));
  openrouter_client client(config_for(f.fake));
  const auto r = client.complete(purpose::day, kSystem, kData, in(3s));
  REQUIRE(r.ok);
  CHECK(r.finish_reason == "length");
  CHECK(r.text == "🌟 Первый абзац.");
}

TEST_CASE("openrouter: a blank key sends nothing") {
  running_fake f;
  auto cfg = config_for(f.fake);
  cfg.api_key = "  \t ";
  CHECK_FALSE(nocturna::llm::openrouter_enabled(cfg.api_key));
  CHECK(nocturna::llm::openrouter_enabled(kKey));
  openrouter_client client(cfg);
  const auto r = client.complete(purpose::day, kSystem, kData, in(1s));
  CHECK(r.error.reason == "disabled");
  CHECK(f.fake.request_count() == 0);
}

TEST_CASE("openrouter: a base URL that is not http(s) is refused") {
  openrouter_config cfg;
  cfg.api_key = kKey;
  cfg.base_url = "ftp://openrouter.ai/api/v1";
  CHECK_THROWS_AS(openrouter_client{cfg}, std::invalid_argument);
  cfg.base_url = "openrouter.ai";
  CHECK_THROWS_AS(openrouter_client{cfg}, std::invalid_argument);
}

// ---- prompts and data blocks ----

namespace {

namespace astro = nocturna::astro;

astro::body_position pos(astro::body b, double lon, double speed = 1.0,
                         std::optional<int> house = std::nullopt) {
  astro::body_position p;
  p.id = b;
  p.longitude = lon;
  p.speed = speed;
  p.house = house;
  return p;
}

astro::aspect asp(astro::aspect_point a, astro::aspect_type t, astro::aspect_point b, double orb,
                  bool applying) {
  astro::aspect x;
  x.p1 = std::move(a);
  x.p2 = std::move(b);
  x.type = t;
  x.orb = orb;
  x.applying = applying;
  return x;
}

astro::aspect_point pt(astro::body b) {
  astro::aspect_point p;
  p.id = b;
  return p;
}

astro::aspect_point angle(const char* name) {
  astro::aspect_point p;
  p.angle = name;
  return p;
}

// 23.11.2025 noon-ish sky, rounded to values whose truncation is unambiguous.
astro::chart sky() {
  astro::chart c;
  c.zone = "Europe/Moscow";
  c.positions = {pos(astro::body::sun, 241.33),
                 pos(astro::body::moon, 262.1),
                 pos(astro::body::mercury, 234.495, -0.3),
                 pos(astro::body::venus, 200.0, -0.1),
                 pos(astro::body::uranus, 61.37, -0.04),
                 pos(astro::body::mean_node, 350.5, -0.05),
                 pos(astro::body::true_node, 351.2, -0.05)};
  c.aspects = {
      asp(pt(astro::body::sun), astro::aspect_type::opposition, pt(astro::body::uranus), 1.96,
          false),
      asp(pt(astro::body::moon), astro::aspect_type::conjunction, pt(astro::body::sun), 0.51, true),
      asp(pt(astro::body::true_node), astro::aspect_type::square, pt(astro::body::moon), 0.1,
          true)};
  return c;
}

astro::chart natal(bool time_known) {
  astro::chart c;
  c.zone = "America/New_York";
  c.time_known = time_known;
  const auto h = [&](int n) { return time_known ? std::optional<int>(n) : std::nullopt; };
  c.positions = {pos(astro::body::sun, 241.33, 1.0, h(6)), pos(astro::body::moon, 15.5, 13, h(10)),
                 pos(astro::body::mars, 100.0, 0.5, h(1))};
  if (time_known) {
    for (int i = 1; i <= 12; ++i) c.houses.push_back({i, 93.25 + 30.0 * (i - 1)});
    c.chart_angles = astro::angles{93.25, 342.0, 273.25, 162.0};
  }
  c.aspects = {
      asp(pt(astro::body::sun), astro::aspect_type::trine, pt(astro::body::moon), 4.31, false),
      asp(angle("ASC"), astro::aspect_type::conjunction, pt(astro::body::mars), 6.81, true)};
  return c;
}

bool has_line(const std::string& block, const std::string& line) {
  return contains("\n" + block + "\n", "\n" + line + "\n");
}

}  // namespace

TEST_CASE("prompts: the Russian system prompts load from the share directory") {
  const auto p = nocturna::llm::load_prompts(NOCTURNA_SOURCE_SHARE_DIR);
  for (const auto* text : {&p.day, &p.natal, &p.transits, &p.compat, &p.moon}) {
    CHECK(text->size() > 1000);
    CHECK(contains(*text, "русском"));
    CHECK(contains(*text, "Markdown"));
    CHECK(contains(*text, "эмодзи"));
    CHECK(contains(*text, "искусственный интеллект"));
  }
  CHECK(contains(p.day, "шесть абзацев"));
  CHECK(contains(p.day, "450 слов"));
  CHECK(contains(p.day, "безличный"));
  CHECK(contains(p.natal, "семь абзацев"));
  CHECK(contains(p.natal, "600 слов"));
  CHECK(contains(p.natal, "«вы»"));
  CHECK(contains(p.natal, "нейтральной по роду"));
  CHECK(contains(p.transits, "шесть абзацев"));
  CHECK(contains(p.transits, "«вы»"));
  CHECK(contains(p.transits, "нейтральной по роду"));
  CHECK_FALSE(contains(p.transits, "твои"));
  CHECK(contains(p.compat, "шесть абзацев"));
  CHECK(contains(p.compat, "500 слов"));
  CHECK(contains(p.compat, "«вы»"));
  CHECK(contains(p.compat, "«партнёр»"));
  CHECK(contains(p.compat, "нейтральной по роду"));
  CHECK(contains(p.moon, "90 слов"));
  CHECK(contains(p.moon, "«вы»"));
  CHECK(contains(p.moon, "нейтральной по роду"));
  CHECK(contains(p.moon, "лунный день не определяется"));
  CHECK(&p.of(purpose::natal) == &p.natal);
  CHECK(&p.of(purpose::compat) == &p.compat);
  CHECK(&p.of(purpose::moon) == &p.moon);
  CHECK_THROWS_AS(nocturna::llm::load_prompts("no/such/share"), std::runtime_error);
}

TEST_CASE("prompts: purposes carry the request parameters of the table") {
  using nocturna::llm::params_of;
  CHECK(params_of(purpose::day).max_tokens == 1500);
  CHECK(params_of(purpose::natal).max_tokens == 2000);
  CHECK(params_of(purpose::transits).max_tokens == 1500);
  CHECK(params_of(purpose::day).hard_cap == 6000);
  CHECK(params_of(purpose::natal).hard_cap == 7000);
  CHECK(params_of(purpose::transits).hard_cap == 6000);
  CHECK(params_of(purpose::natal).temperature == doctest::Approx(0.7));
  CHECK(params_of(purpose::compat).max_tokens == 2000);
  CHECK(params_of(purpose::compat).hard_cap == 7000);
  CHECK(params_of(purpose::moon).max_tokens == 600);
  CHECK(params_of(purpose::moon).hard_cap == 2000);
  CHECK(std::string(params_of(purpose::compat).name) == "compat");
  CHECK(std::string(params_of(purpose::moon).name) == "moon");
}

TEST_CASE("prompts: the day block lists noon positions and aspects, tightest first") {
  const auto b = nocturna::llm::day_input(sky(), "23.11.2025", "Europe/Moscow");
  INFO(b);
  CHECK(b.rfind("Дата: 23.11.2025 (Europe/Moscow), положение планет на 12:00.\n", 0) == 0);
  CHECK(has_line(b, "Позиции планет:"));
  CHECK(has_line(b, "- Солнце в Стрельце 1°19′"));
  CHECK(has_line(b, "- Меркурий в Скорпионе 24°29′ (ретроградный)"));
  CHECK(has_line(b, "- Венера в Весах 20°00′ (ретроградная)"));
  CHECK(has_line(b, "- Уран в Близнецах 1°22′ (ретроградный)"));
  CHECK(has_line(b, "- Северный узел в Рыбах 20°30′"));  // no ℞ for the node
  CHECK_FALSE(contains(b, "Истинный узел"));
  CHECK(has_line(b, "- Луна соединение Солнце, орб 0°30′, сходящийся"));
  CHECK(has_line(b, "- Солнце оппозиция Уран, орб 1°57′, расходящийся"));
  CHECK(b.find("Луна соединение Солнце") < b.find("Солнце оппозиция Уран"));
  CHECK(b.find("Позиции планет:") < b.find("Аспекты:"));
  CHECK_FALSE(contains(b, "Асцендент"));
  CHECK_FALSE(contains(b, "дом"));
  CHECK(contains(b, "\nСледуй структуре и правилам из инструкции."));

  auto empty = sky();
  empty.aspects.clear();
  CHECK(has_line(nocturna::llm::day_input(empty, "23.11.2025", "Europe/Moscow"),
                 "Значимых аспектов нет."));
}

TEST_CASE("prompts: the natal block has houses and angles only when the time is known") {
  const auto known = nocturna::llm::natal_input(natal(true));
  INFO(known);
  CHECK(has_line(known, "- Солнце в Стрельце 1°19′ (6-й дом)"));
  CHECK(has_line(known, "- Луна в Овне 15°30′ (10-й дом)"));
  CHECK(has_line(known, "Асцендент: Рак 3°15′"));
  CHECK(has_line(known, "MC: Рыбы 12°00′"));
  CHECK(has_line(known, "Дома:"));
  CHECK(has_line(known, "- 1-й дом: Рак 3°15′"));
  CHECK(has_line(known, "- 12-й дом: Близнецы 3°15′"));
  CHECK(has_line(known, "- Солнце трин Луна, орб 4°18′, расходящийся"));
  CHECK(has_line(known, "- Асцендент соединение Марс, орб 6°48′, сходящийся"));
  CHECK_FALSE(contains(known, "неизвестно"));
  // Nothing that identifies the person.
  CHECK_FALSE(contains(known, "America/New_York"));

  const auto unknown = nocturna::llm::natal_input(natal(false));
  INFO(unknown);
  CHECK(has_line(unknown, "Время рождения неизвестно: не упоминай Асцендент и дома."));
  CHECK(has_line(unknown, "- Солнце в Стрельце 1°19′"));
  CHECK_FALSE(contains(unknown, " дом)"));
  CHECK_FALSE(contains(unknown, "Асцендент:"));
  CHECK_FALSE(contains(unknown, "Дома:"));
  CHECK_FALSE(contains(unknown, "Асцендент соединение"));
  CHECK(has_line(unknown, "- Солнце трин Луна, орб 4°18′, расходящийся"));
}

TEST_CASE("prompts: the transit block lists at most 15 aspects with agreeing adjectives") {
  auto transit = sky();
  std::vector<astro::aspect> list;
  for (int i = 0; i < 17; ++i) {
    list.push_back(asp(pt(astro::body::mars), astro::aspect_type::sextile, pt(astro::body::jupiter),
                       5.0 - 0.1 * i, true));
  }
  list.push_back(
      asp(pt(astro::body::sun), astro::aspect_type::square, pt(astro::body::mars), 0.71, true));
  list.push_back(asp(angle("ASC"), astro::aspect_type::trine, pt(astro::body::venus), 1.5, false));
  list.push_back(asp(pt(astro::body::moon), astro::aspect_type::opposition, pt(astro::body::sun),
                     2.25, false));

  const auto b = nocturna::llm::transits_input(natal(true), transit, list, "23.11.2025 14:05");
  INFO(b);
  CHECK(b.rfind("Дата: 23.11.2025 14:05.\n", 0) == 0);
  CHECK(has_line(b, "Натальные позиции:"));
  CHECK(has_line(b, "- Солнце в Стрельце 1°19′ (6-й дом)"));
  CHECK(has_line(b, "Транзитные аспекты к натальной карте:"));
  CHECK(has_line(b, "- Транзитный Марс квадрат натальное Солнце, орб 0°42′, сходящийся"));
  CHECK(has_line(b, "- Транзитная Венера трин натальный Асцендент, орб 1°30′, расходящийся"));
  CHECK(has_line(b, "- Транзитное Солнце оппозиция натальная Луна, орб 2°15′, расходящийся"));
  CHECK(has_line(b, "Транзитная Луна в Стрельце"));
  std::size_t lines = 0;
  for (std::size_t at = b.find("\n- Транзит"); at != std::string::npos;
       at = b.find("\n- Транзит", at + 1))
    ++lines;
  CHECK(lines == 15);
  CHECK(b.find("Марс квадрат") < b.find("Венера трин"));
  CHECK(b.find("Венера трин") < b.find("Солнце оппозиция"));
  // The widest sextiles are the ones left out.
  CHECK_FALSE(contains(b, "орб 5°00′"));

  const auto none = nocturna::llm::transits_input(natal(false), transit, {}, "23.11.2025 14:05");
  CHECK(has_line(none, "Значимых транзитных аспектов нет."));
  CHECK(has_line(none, "Время рождения неизвестно: не упоминай Асцендент и дома."));
  CHECK(has_line(none, "Транзитная Луна в Стрельце"));
}

TEST_CASE("prompts: the compat block has both charts, the inter-aspects and the areas") {
  std::vector<astro::aspect> inter;
  for (int i = 0; i < 22; ++i) {
    inter.push_back(asp(pt(astro::body::mars), astro::aspect_type::square, pt(astro::body::saturn),
                        6.0 - 0.1 * i, true));
  }
  inter.push_back(
      asp(pt(astro::body::moon), astro::aspect_type::trine, pt(astro::body::moon), 0.25, false));
  inter.push_back(
      asp(pt(astro::body::sun), astro::aspect_type::conjunction, pt(astro::body::moon), 1.5, true));
  const auto b = nocturna::llm::compat_input(natal(true), natal(false), inter);
  INFO(b);
  CHECK(b.rfind("Совместимость двух натальных карт: «вы» — читатель, «партнёр» — другой человек.\n",
                0) == 0);
  CHECK(has_line(b, "Время рождения партнёра неизвестно: не упоминай Асцендент и дома партнёра."));
  CHECK_FALSE(contains(b, "Ваше время рождения неизвестно"));
  CHECK(has_line(b, "Ваши позиции:"));
  CHECK(has_line(b, "- Солнце в Стрельце 1°19′ (6-й дом)"));
  CHECK(has_line(b, "Асцендент: Рак 3°15′"));  // the reader's, known
  CHECK(has_line(b, "Позиции партнёра:"));
  CHECK(has_line(b, "- Луна в Овне 15°30′"));  // the partner's, without a house
  CHECK(b.find("Позиции партнёра:") < b.find("Аспекты между картами"));
  CHECK(has_line(b, "- Ваша Луна трин Луна партнёра, орб 0°15′"));
  CHECK(has_line(b, "- Ваше Солнце соединение Луна партнёра, орб 1°30′"));
  CHECK(b.find("Ваша Луна трин") < b.find("Ваше Солнце соединение"));
  std::size_t lines = 0;
  for (std::size_t at = b.find("\n- Ваш"); at != std::string::npos; at = b.find("\n- Ваш", at + 1))
    ++lines;
  CHECK(lines == 20);
  CHECK_FALSE(contains(b, "орб 6°00′"));  // the widest are left out
  CHECK(has_line(b, "- Эмоции: гармонично"));
  CHECK(has_line(b, "- Стабильность: напряжённо"));
  CHECK(has_line(b, "- Общение: нейтрально"));
  CHECK(contains(b,
                 "Стихии (планеты от Солнца до Плутона): ваши — огонь 2, земля 0, воздух 0, "
                 "вода 1; партнёра — огонь 2, земля 0, воздух 0, вода 1."));
  CHECK(contains(b, "\nСледуй структуре и правилам из инструкции."));
  // Nothing that identifies either person.
  CHECK_FALSE(contains(b, "America/New_York"));

  const auto none = nocturna::llm::compat_input(natal(false), natal(false), {});
  CHECK(has_line(none, "Значимых аспектов между картами нет."));
  CHECK(has_line(none, "Ваше время рождения неизвестно: не упоминай ваш Асцендент и ваши дома."));
  CHECK_FALSE(contains(none, "Асцендент:"));
}

TEST_CASE("prompts: the moon block has the date, the phase, the lunar day and the sign only") {
  astro::lunar_calendar c;
  c.phase = astro::moon_phase::full_moon;
  c.illumination = 0.997;
  c.day = astro::lunar_day{15, 1741876437, 1741967467};
  c.sign = 5;  // Virgo
  const auto b = nocturna::llm::moon_input(c, "14.03.2025");
  INFO(b);
  CHECK(b ==
        "Дата: 14.03.2025.\nФаза Луны: полнолуние.\nЛунный день: 15-й.\nЛуна в Деве.\nСледуй "
        "структуре и правилам из инструкции.");
  c.day.reset();
  const auto polar = nocturna::llm::moon_input(c, "08.03.2025");
  CHECK(has_line(polar,
                 "Лунный день здесь не определяется: Луна восходит не каждые сутки. Не "
                 "называй номер лунного дня."));
  CHECK_FALSE(contains(polar, "-й."));
}
