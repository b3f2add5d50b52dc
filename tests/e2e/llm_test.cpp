// Interpretations through a fake OpenRouter on loopback (issue 5, docs/behaviour.md §7): the
// model's text shown safely, the built-in fallback with its note on a hung request, and one
// upstream call for the day's text however many chats ask at once.
#include <doctest/doctest.h>

#include <functional>

#include "tests/e2e/harness.hpp"
#include "tests/support/fake_openrouter.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

const std::string llm_key = "sk-or-e2e-KEY-must-not-leak";

// The chat's transcript once `done` holds for it (or the timeout passed).
sandbox::transcript wait_until(harness& h, std::int64_t chat,
                               const std::function<bool(const sandbox::transcript&)>& done,
                               int timeout_ms = 20000) {
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  auto t = h.control->get_transcript(chat);
  while (!done(t) && std::chrono::steady_clock::now() < until) {
    sleep_ms(50);
    t = h.control->get_transcript(chat);
  }
  return t;
}

// The result text of /transit has arrived and the status message is gone (docs/behaviour.md §1.5).
bool transit_finished(const sandbox::transcript& t) {
  bool report = false;
  for (const auto& m : t.bot_messages()) {
    if (m.plain.rfind("⏳", 0) == 0) return false;
    if (m.plain.find("Текущая карта транзитов") != std::string::npos && m.photo_file_id.empty())
      report = true;
  }
  return report;
}

std::string report_text(const sandbox::transcript& t) {
  for (const auto& m : t.bot_messages())
    if (m.photo_file_id.empty() && m.plain.find("Позиции планет") != std::string::npos)
      return m.text.value_or("");
  return {};
}

std::map<std::string, std::string> llm_env(const fake_openrouter& fake, int timeout_s = 45) {
  return fake.bot_env(llm_key, timeout_s);
}

}  // namespace

TEST_CASE("e2e llm: /transit shows the model's day text once, sanitised") {
  fake_openrouter fake;
  fake.start();
  fake.set_api_key(llm_key);
  fake.set_default(fake_llm_reply::text(
      "# Заголовок\n\n**Энергия дня** <script>alert(1)</script> & ясность.\n\n---\n\nСовет дня."));
  harness h;
  h.start_bot(llm_env(fake));
  h.control->send(11, "/transit");
  auto t = wait_until(h, 11, transit_finished);
  REQUIRE(transit_finished(t));
  auto text = report_text(t);
  CHECK(text.find("📖 <b>Интерпретация дня</b>") != std::string::npos);
  CHECK(text.find("(кратко)") == std::string::npos);
  CHECK(text.find("<b>Энергия дня</b> &lt;script&gt;alert(1)&lt;/script&gt; &amp; ясность.") !=
        std::string::npos);
  CHECK(text.find("# Заголовок") == std::string::npos);
  CHECK(text.find("---") == std::string::npos);
  CHECK(text.find("<script>") == std::string::npos);
  // Exactly one interpretation block (docs/behaviour.md §7.1).
  CHECK(text.find("📖") == text.rfind("📖"));
  CHECK(fake.request_count() == 1);
  CHECK(fake.last_header("Authorization") == "Bearer " + llm_key);
  h.bot->stop();
  CHECK(h.log_file().find(llm_key) == std::string::npos);
}

TEST_CASE("e2e llm: a hung model is cut at the deadline and the built-in text is sent") {
  fake_openrouter fake;
  fake.start();
  fake.set_default(fake_llm_reply::hang(std::chrono::seconds(30)));
  harness h;
  h.start_bot(llm_env(fake, 2));
  auto started = std::chrono::steady_clock::now();
  h.control->send(12, "/transit");
  auto t = wait_until(h, 12, transit_finished);
  auto took = std::chrono::steady_clock::now() - started;
  REQUIRE(transit_finished(t));
  auto text = report_text(t);
  CHECK(text.find("📖 <b>Интерпретация дня (кратко)</b>") != std::string::npos);
  CHECK(text.find("Подробная интерпретация сейчас недоступна — показана краткая.") !=
        std::string::npos);
  CHECK(text.find("📖") == text.rfind("📖"));
  CHECK(took < std::chrono::seconds(15));
  fake.stop();
}

TEST_CASE("e2e llm: 50 chats asking /transit at once cause one upstream call") {
  fake_openrouter fake;
  fake.start();
  // Slow enough that every chat asks while the first generation is still running.
  fake.set_default(fake_llm_reply::hang(std::chrono::milliseconds(1500),
                                        fake_llm_reply::text("Общий текст дня.")));
  harness h;
  h.start_bot(llm_env(fake));
  const int chats = 50;
  for (int c = 0; c < chats; ++c) h.control->send(1000 + c, "/transit");
  int with_model_text = 0;
  for (int c = 0; c < chats; ++c) {
    auto t = wait_until(h, 1000 + c, transit_finished, 30000);
    if (report_text(t).find("Общий текст дня.") != std::string::npos) ++with_model_text;
  }
  CHECK(with_model_text == chats);
  CHECK(fake.request_count() == 1);
}
