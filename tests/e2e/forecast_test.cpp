// Daily forecast delivery (docs/behaviour.md §5) through the sandbox: users save birth data with
// /natal and subscribe; with the bot stopped their subscriptions are made due through the store (a
// due instant 30 s ago, one 2 h ago, one left unscheduled), and the restarted bot's start-up check
// sends T_FORECAST, skips the missed one, schedules the new one, and switches off the subscription
// of a user who blocked the bot.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <string>

#include "clients/astro/civil_time.hpp"
#include "clients/astro/display_time.hpp"
#include "clients/astro/forecast_time.hpp"
#include "clients/store/store.hpp"
#include "protocol/html.hpp"
#include "tests/e2e/harness.hpp"

using namespace nocturna;
using namespace nocturna::testing;

namespace {

const std::string zone = "Europe/Moscow";
// clang-format off
const std::string N_UNKNOWN =
    "⚠️ Время рождения неизвестно: карта рассчитана на 12:00 местного времени, "
    "дома и углы не определены, положение Луны приблизительное.";
const std::string T_PT_NONE =
    "ℹ️ Сейчас нет значимых транзитных аспектов к вашей натальной карте.";
// clang-format on
const std::string T_HDR_PT_SHORT = "📖 <b>Интерпретация персональных транзитов (кратко)</b>\n\n";
const std::string UNSUBSCRIBE_LINE = "\n\n🔕 Отключить рассылку: /unsubscribe";

using message_test = std::function<bool(const sandbox::transcript_message&)>;

// The bot's latest message in `chat` once it passes `test` (nullopt after the timeout).
std::optional<sandbox::transcript_message> wait_message(harness& h, std::int64_t chat,
                                                        const message_test& test,
                                                        int timeout_ms = 30000) {
  auto until = wait_deadline(std::chrono::milliseconds(timeout_ms));
  for (;;) {
    for (const auto& m : h.control->get_transcript(chat).bot_messages())
      if (test(m)) return m;
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    sleep_ms(50);
  }
}

message_test containing(const std::string& fragment) {
  return [fragment](const sandbox::transcript_message& m) {
    return m.text.value_or("").find(fragment) != std::string::npos;
  };
}

bool is_forecast(const sandbox::transcript_message& m) {
  return m.text.value_or("").rfind("🌅 <b>Ваш прогноз на ", 0) == 0;
}

// Sends `text` and waits until the bot's latest message in `chat` is a new one containing `expect`
// (longer while the gazetteer is still being built, harness::reply_wait).
void step(harness& h, std::int64_t chat, const std::string& text, const std::string& expect) {
  auto before = h.control->get_transcript(chat).bot_messages().size();
  h.control->send(chat, text);
  const harness::reply_wait wait(h, 15000);
  for (;;) {
    auto msgs = h.control->get_transcript(chat).bot_messages();
    if (msgs.size() > before && containing(expect)(msgs.back())) return;
    REQUIRE_MESSAGE(!wait.over(),
                    "chat " << chat << ": no «" << expect << "» after «" << text << "»");
    sleep_ms(50);
  }
}

// docs/behaviour.md §4.6: /natal → date → time (or «не знаю») → one place → «да», then /subscribe
// HH:MM.
void natal_and_subscribe(harness& h, std::int64_t chat, const std::string& birth_time,
                         const std::string& at) {
  step(h, chat, "/natal", "Введите дату рождения");
  step(h, chat, "15.03.1990", "Введите время рождения");
  step(h, chat, birth_time, "Введите место рождения");
  step(h, chat, "Москва, Россия", "Всё верно?");
  step(h, chat, "да", "Данные успешно сохранены");
  step(h, chat, "/subscribe " + at, "Подписка оформлена");
}

std::int64_t now_utc() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

// HH:MM in Moscow 12 hours from now: far from any due instant the test makes.
std::string time_far_from_now() {
  auto local = astro::utc_to_local(now_utc() + 12 * 3600, zone);
  REQUIRE(local);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", local.value().hour, local.value().minute);
  return buf;
}

std::size_t count_of(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + what.size()))
    ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "e2e forecast: a due subscription gets T_FORECAST, a missed one is skipped, a blocked "
    "chat is switched off") {
  const std::int64_t known = 7001, blocked = 7002, missed = 7003, unknown = 7004, fresh = 7005;
  const auto at = time_far_from_now();
  harness h;
  h.start_bot();
  natal_and_subscribe(h, known, "14:30", at);
  natal_and_subscribe(h, blocked, "14:30", at);
  natal_and_subscribe(h, missed, "14:30", at);
  natal_and_subscribe(h, unknown, "не знаю", at);
  natal_and_subscribe(h, fresh, "14:30", at);  // left without next_due_utc: scheduled at start-up
  REQUIRE(h.bot->stop() == 0);
  const auto known_before = h.control->get_transcript(known).bot_messages().size();

  // Made due while the bot is down; the start-up check finds them.
  const auto due = now_utc() - 30;
  const auto missed_due = now_utc() - 2 * 3600;
  {
    auto db = store::open_sqlite(h.dir.path() + "/data");
    for (auto user : {known, blocked, unknown}) db->set_next_due(user, due);
    db->set_next_due(missed, missed_due);
  }
  sandbox::fault gone;
  gone.method = "sendMessage";
  gone.chat_id = blocked;
  gone.count = 0;  // every call until cleared
  gone.error_code = 403;
  gone.description = "Forbidden: bot was blocked by the user";
  h.control->add_fault(gone);
  const auto restarted = std::chrono::steady_clock::now();
  h.start_bot();

  auto date = astro::local_date_at(due, zone);
  REQUIRE(date);
  const auto title = "🌅 <b>Ваш прогноз на " + astro::iso_to_dmy(date.value()) + "</b>";

  auto forecast = wait_message(h, known, is_forecast, 30000);
  REQUIRE_MESSAGE(forecast, "no forecast in chat " << known);
  CHECK(std::chrono::steady_clock::now() - restarted < std::chrono::seconds(20));
  auto text = forecast->text.value_or("");
  CHECK(forecast->parse_mode == "HTML");
  CHECK(text.rfind(title + "\n\n", 0) == 0);
  CHECK(text.find(N_UNKNOWN) == std::string::npos);
  // The first 5 TR lines (▶️ applying, ◀️ separating) or T_PT_NONE, then the built-in
  // block.
  auto tr_lines = count_of(text, "\n▶️ ") + count_of(text, "\n◀️ ");
  CHECK(tr_lines <= 5);
  CHECK((tr_lines > 0 || text.find(T_PT_NONE) != std::string::npos));
  CHECK(text.find("Транзитн") != std::string::npos);
  CHECK(count_of(text, "📖") == 1);
  CHECK(text.find("\n\n" + T_HDR_PT_SHORT) != std::string::npos);
  CHECK(text.find("Подробная интерпретация сейчас недоступна") == std::string::npos);
  CHECK(text.size() > UNSUBSCRIBE_LINE.size());
  CHECK(text.compare(text.size() - UNSUBSCRIBE_LINE.size(), UNSUBSCRIBE_LINE.size(),
                     UNSUBSCRIBE_LINE) == 0);
  CHECK_FALSE(html::validate(text));
  CHECK(html::visible_length(text) <= 4096);
  CHECK(forecast->reply_markup.empty());

  auto without_time = wait_message(h, unknown, is_forecast, 30000);
  REQUIRE_MESSAGE(without_time, "no forecast in chat " << unknown);
  CHECK(without_time->text.value_or("").rfind(title + "\n" + N_UNKNOWN + "\n\n", 0) == 0);

  // The blocked user's send is refused with 403: the subscription is switched off.
  auto until = wait_deadline(std::chrono::seconds(30));
  while (h.log_file().find("user=" + std::to_string(blocked) + " chat is gone") ==
             std::string::npos &&
         std::chrono::steady_clock::now() < until)
    sleep_ms(100);
  // The store write follows the log line.
  CHECK(wait_until([&] {
    return h.store_int("SELECT active FROM subscriptions WHERE user_id = ?", blocked) == 0;
  }));
  // Exactly one forecast.
  CHECK(h.control->get_transcript(known).bot_messages().size() == known_before + 1);
  REQUIRE(h.bot->stop() == 0);

  auto log = h.log_file();
  CHECK(log.find("user=" + std::to_string(known) + " forecast for " + date.value() + " sent") !=
        std::string::npos);
  CHECK(log.find("user=" + std::to_string(missed) + " forecast due") != std::string::npos);
  CHECK(log.find("skipped (missed: 120 min late)") != std::string::npos);
  CHECK_FALSE(wait_message(h, missed, is_forecast, 0));
  CHECK_FALSE(wait_message(h, blocked, is_forecast, 0));

  auto db = store::open_sqlite(h.dir.path() + "/data");
  auto expected_next = astro::next_due_utc(at, zone, due);
  REQUIRE(expected_next);
  for (auto user : {known, unknown}) {
    CAPTURE(user);
    auto sub = db->load_subscription(user);
    REQUIRE(sub);
    CHECK(sub->active);
    CHECK(sub->last_sent_local_date == date.value());
    CHECK(sub->next_due_utc == expected_next.value());
  }
  auto off = db->load_subscription(blocked);
  REQUIRE(off);
  CHECK_FALSE(off->active);
  CHECK(off->disabled_reason == std::string("blocked"));
  auto skipped = db->load_subscription(missed);
  REQUIRE(skipped);
  CHECK(skipped->active);
  CHECK_FALSE(skipped->last_sent_local_date);
  auto expected_after_miss = astro::next_due_after(at, zone, missed_due, now_utc());
  REQUIRE(expected_after_miss);
  CHECK(skipped->next_due_utc == expected_after_miss.value());
  auto scheduled = db->load_subscription(fresh);
  REQUIRE(scheduled);
  auto expected_first = astro::next_due_utc(at, zone, now_utc());
  REQUIRE(expected_first);
  CHECK(scheduled->next_due_utc == expected_first.value());
  CHECK_FALSE(scheduled->last_sent_local_date);
}

TEST_CASE("e2e forecast: forecasts go at most 20/s and a reply overtakes the queued ones") {
  constexpr int subscribers = 60;
  constexpr std::int64_t first = 7100, asker = 7099;
  harness h;
  h.start_bot();
  // The sandbox only delivers to chats it knows: each subscriber says hello first.
  for (int i = 0; i < subscribers; ++i) h.control->send(first + i, "/start");
  for (int i = 0; i < subscribers; ++i)
    REQUIRE(h.wait_replies(first + i, 1).bot_messages().size() == 1);
  REQUIRE(h.bot->stop() == 0);
  {
    auto db = store::open_sqlite(h.dir.path() + "/data");
    store::birth_record birth;
    birth.date = "1990-03-15";
    birth.time = "14:30";
    birth.place_label = "Москва, Россия";
    birth.latitude = 55.7522;
    birth.longitude = 37.6156;
    birth.zone = zone;
    store::subscription_record sub;
    sub.time = time_far_from_now();
    sub.zone = zone;
    sub.next_due_utc = now_utc() - 30;
    for (int i = 0; i < subscribers; ++i) {
      db->save_birth(first + i, birth);
      db->save_subscription(first + i, sub);
    }
  }
  const auto since = h.control->calls(0, "none").next;  // the sequence number of the next call
  h.start_bot({{"TELEGRAM_RATE_LIMITS", "on"}});
  // Wait until the forecasts are under way, then ask something.
  REQUIRE(wait_until([&] { return h.control->calls(since, "sendMessage").calls.size() >= 5; }));
  h.control->send(asker, "/help");
  REQUIRE(h.wait_replies(asker, 1).bot_messages().size() == 1);
  for (int i = 0; i < subscribers; ++i)
    REQUIRE_MESSAGE(wait_message(h, first + i, is_forecast, 30000), "chat " << first + i);

  std::vector<std::int64_t> forecast_starts;
  std::int64_t help_start = -1;
  for (const auto& c : h.control->calls(since, "sendMessage").calls) {
    if (c.chat_id == asker) help_start = c.start_ms;
    if (c.chat_id && *c.chat_id >= first && *c.chat_id < first + subscribers)
      forecast_starts.push_back(c.start_ms);
  }
  REQUIRE(forecast_starts.size() == subscribers);
  REQUIRE(help_start >= 0);
  const auto overtaken = std::count_if(forecast_starts.begin(), forecast_starts.end(),
                                       [&](std::int64_t t) { return t > help_start; });
  MESSAGE(subscribers << " forecasts spanned " << forecast_starts.back() - forecast_starts.front()
                      << " ms; the reply went ahead of " << overtaken << " of them");
  // 20 at once, then 20 per second: the last starts at least 2 s after the first (with slack).
  CHECK(forecast_starts.back() - forecast_starts.front() >= 1800);
  // The reply did not wait behind the forecasts queued before it.
  CHECK(help_start < forecast_starts.back());
}
