// /compat through the sandbox: the partner dialogue on the /natal machine with its validations,
// an unknown birth time on either side, the report's calls in order with valid HTML, the saved
// partners' buttons, /clear_profile, invitation links between two users (accept, refuse,
// expired, used, self-invite, unknown), the LLM's text through a fake OpenRouter and the biwheel
// from a fake chart service.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <regex>
#include <string>

#include "tests/e2e/spec_support.hpp"
#include "tests/support/fake_chart_service.hpp"
#include "tests/support/fake_openrouter.hpp"

using namespace nocturna::testing;
using namespace nocturna::testing::spec;

namespace {

const std::string no_natal =
    "❌ Для совместимости нужна ваша натальная карта.\n\nСначала настройте её: /natal";
const std::string report_status = "💞 Считаю совместимость…";

// The list's keyboard as data only.
std::vector<std::string> data_of(const transcript_message& m) {
  return m.button_data();
}

// «Добавить партнёра» from a fresh /compat: the name prompt.
transcript_message open_partner_dialogue(chat_driver& c) {
  auto list = c.say("/compat");
  REQUIRE(contains(list.text.value_or(""), "💞 <b>Совместимость</b>"));
  auto prompt = c.press(list.message_id, "p:a");
  REQUIRE_MESSAGE(contains(prompt.text.value_or(""), "Как зовут партнёра?"),
                  prompt.text.value_or("<none>"));
  return prompt;
}

// The code of the invitation link the bot sent.
std::string invite_code_of(const transcript_message& m) {
  std::smatch match;
  const std::string text = m.text.value_or("");
  REQUIRE_MESSAGE(
      std::regex_search(text, match,
                        std::regex("https://t\\.me/nocturna_sandbox_bot\\?start=c_([a-z0-9]{12})")),
      text);
  return match[1].str();
}

std::string everything_sent(harness& h, std::int64_t chat) {
  std::string all;
  for (auto& c : chat_calls(h, chat, 0)) all += c.params_json + "\n";
  return all;
}

// The report's messages after a partner was added (the picture, then the text parts) and the
// seq of the first call after the confirming «Да».
struct added_partner {
  std::vector<transcript_message> out;
  std::int64_t since = 0;
};

// Adds the partner Оля (04.07.1992 at `time`, «не знаю» for unknown, in Санкт-Петербург).
added_partner add_olya(chat_driver& c, const std::string& time = "08:15") {
  auto prompt = open_partner_dialogue(c);
  c.say("Оля");
  c.say("04.07.1992");
  c.say(time);
  auto confirm = c.say("Санкт-Петербург, Россия");
  REQUIRE(starts_with(confirm.text.value_or(""), "✅ <b>Проверьте введённые данные партнёра:</b>"));
  auto before = c.settle(0).size() + 1;  // after «Данные партнёра сохранены»
  added_partner added;
  added.since = mark(c.h);
  c.send("Да");
  auto msgs = c.settle(before + 2);
  REQUIRE(msgs.size() >= before + 2);
  added.out.assign(msgs.begin() + static_cast<std::ptrdiff_t>(before), msgs.end());
  return added;
}

// A new user with birth data adds Оля: the report, which always has its picture.
added_partner olya_for_new_user(harness& h, std::int64_t chat) {
  chat_driver a{h, chat};
  save_birth(a);
  auto added = add_olya(a);
  CHECK_FALSE(added.out.front().photo_file_id.empty());
  return added;
}

// The message of the report that carries the interpretation (the last text part).
std::string report_of(const added_partner& added) {
  REQUIRE_FALSE(added.out.empty());
  return added.out.back().text.value_or("");
}

// The calls of a report after «Да»: nothing lost, nothing twice.
const std::string report_calls =
    "sendMessage,editMessageText,editMessageReplyMarkup,sendMessage,sendPhoto,sendMessage,"
    "deleteMessage";

}  // namespace

TEST_CASE("e2e compat: the partner dialogue validates like /natal, saves and reports in order") {
  harness h;
  h.start_bot();
  chat_driver a{h, 4101};
  CHECK(a.say("/compat").text.value_or("") == no_natal);
  save_birth(a);

  auto list = a.say("/compat");
  CHECK(contains(list.text.value_or(""), "Сохранённых партнёров пока нет."));
  CHECK(data_of(list) == std::vector<std::string>{"p:a", "p:i"});

  auto prompt = a.press(list.message_id, "p:a");
  REQUIRE(contains(prompt.text.value_or(""), "Как зовут партнёра?"));
  REQUIRE(prompt.button_data().size() == 1);
  CHECK(std::regex_match(prompt.button_data()[0], std::regex("^n:[0-9a-f]{8}:s$")));

  // Name: at most 32 characters; markup in it is kept as text and escaped.
  CHECK(starts_with(a.say(std::string(33, 'x')).text.value_or(""), "❌ Имя длиннее 32 символов."));
  auto date = a.say("<b>Оля</b>");
  CHECK(contains(date.text.value_or(""), "Введите дату рождения партнёра"));
  CHECK_FALSE(has_buttons(a.message(prompt.message_id)));  // «Пропустить» is gone

  // Date, time and place: the same checks and texts as /natal, the prompts saying «партнёра».
  CHECK(a.say("31.02.1990").text.value_or("") == T_DATE_INVALID);
  CHECK(a.say("1990/03/15").text.value_or("") == T_DATE_FORMAT);
  CHECK(a.say("15.03.1890").text.value_or("") == T_DATE_RANGE);
  auto time = a.say("04.07.1992");
  CHECK(contains(time.text.value_or(""), "🕐 <b>Введите время рождения партнёра</b>"));
  CHECK(a.say("25:00").text.value_or("") == T_TIME_FORMAT);
  auto place = a.say("08:15");
  CHECK(contains(place.text.value_or(""), "📍 <b>Введите место рождения партнёра</b>"));
  CHECK(a.say("М").text.value_or("") == T_PLACE_SHORT);
  auto confirm = a.say("Санкт-Петербург, Россия");
  REQUIRE(starts_with(confirm.text.value_or(""), "✅ <b>Проверьте введённые данные партнёра:</b>"));
  CHECK(contains(confirm.text.value_or(""), "📅 Дата: 04.07.1992"));

  auto since = mark(h);
  auto before = a.settle(0).size();
  a.send("Да");
  auto msgs = a.settle(before + 3);
  auto calls = wait_calls(h, 4101, since, 7);
  CHECK(methods_of(calls) == report_calls);
  REQUIRE(msgs.size() >= before + 3);
  CHECK(starts_with(msgs[before].text.value_or(""), "✅ <b>Данные партнёра сохранены.</b>"));
  CHECK(contains(msgs[before + 1].caption.value_or(""), "(&lt;b&gt;Оля&lt;/b&gt;)"));
  CHECK_FALSE(msgs[before + 1].photo_file_id.empty());
  const std::string report = msgs.back().text.value_or("");
  CHECK(starts_with(report, "💞 <b>Совместимость</b>\nВы и\u00a0&lt;b&gt;Оля&lt;/b&gt;"));
  CHECK(contains(report, "<b>Аспекты между картами</b>"));
  CHECK(contains(report, "<b>Сферы</b>"));
  CHECK(contains(report, "<b>Стихии</b>"));
  CHECK(contains(report, "📖 <b>Интерпретация совместимости (кратко)</b>"));
  CHECK_FALSE(contains(report, "неизвестно"));
  check_all_texts(h, 4101);
  check_one_answer_per_press(h);

  CHECK(contains(a.say("/profile").text.value_or(""), "💞 <b>Партнёры для совместимости:</b> 1"));

  // The list offers the saved partner: re-run and delete.
  auto listed = a.say("/compat");
  auto data = listed.button_data();
  REQUIRE(data.size() == 4);
  std::smatch id;
  REQUIRE(std::regex_match(data[0], id, std::regex("^p:r:([0-9]+)$")));
  CHECK(data[1] == "p:d:" + id[1].str());
  CHECK(rows_of(listed)[0][0].first == "💞 <b>Оля</b>");

  since = mark(h);
  before = a.settle(0).size();
  note_update(h.control->press(4101, listed.message_id, data[0]).update_id);
  a.settle(before + 2);
  CHECK(methods_of(wait_calls(h, 4101, since, 5)) ==
        "answerCallbackQuery,sendMessage,sendPhoto,sendMessage,deleteMessage");
  CHECK(a.messages().back().text.value_or("") == report);  // the same pair reads the same

  CHECK(a.press_answer_only(listed.message_id, data[1]) == "Партнёр удалён");
  auto after = a.message(listed.message_id);
  CHECK(contains(after.text.value_or(""), "Сохранённых партнёров пока нет."));
  // A second press (the button is gone, a stale client may still send it) changes nothing.
  CHECK(a.press_answer_only(listed.message_id, data[1]) == "Этого партнёра уже нет в\u00a0списке");
  check_all_texts(h, 4101);
}

TEST_CASE(
    "e2e compat: an unknown time on either side, a skipped name, /cancel and /clear_profile") {
  harness h;
  h.start_bot();
  chat_driver a{h, 4201};
  save_birth(a, "не знаю");

  auto prompt = open_partner_dialogue(a);
  auto cancelled = a.say("/cancel");
  CHECK(cancelled.text.value_or("") ==
        "❌ Добавление партнёра отменено.\n\nСписок партнёров: /compat");

  prompt = open_partner_dialogue(a);
  auto date = a.press(prompt.message_id, prompt.button_data().at(0));  // «Пропустить»
  CHECK(contains(date.text.value_or(""), "Введите дату рождения партнёра"));
  auto time = a.say("04.07.1992");
  auto place = a.press(time.message_id, time.button_data().at(0));  // «Не знаю время»
  CHECK(contains(place.text.value_or(""), "✅ Время рождения: неизвестно"));
  auto confirm = a.say("Москва, Россия");
  REQUIRE(starts_with(confirm.text.value_or(""), "✅ <b>Проверьте введённые данные партнёра:</b>"));
  auto before = a.settle(0).size();
  a.press(confirm.message_id, confirm.button_data().at(0));  // «Да»
  auto msgs = a.settle(before + 3);
  const std::string report = msgs.back().text.value_or("");
  CHECK(starts_with(report, "💞 <b>Совместимость</b>\nВы и\u00a0Партнёр"));
  CHECK(contains(report, "⚠️ Ваше время рождения неизвестно"));
  CHECK(
      contains(report, "⚠️ Время рождения партнёра неизвестно"));
  CHECK_FALSE(contains(report, "Асцендент партнёра"));
  CHECK_FALSE(contains(report, "MC партнёра"));
  check_all_texts(h, 4201);

  // /clear_profile deletes the partners with everything else.
  auto ask = a.say("/clear_profile");
  a.press_answer_only(ask.message_id, ask.button_data().at(0));
  CHECK(a.say("/compat").text.value_or("") == no_natal);
  save_birth(a);
  CHECK(contains(a.say("/compat").text.value_or(""), "Сохранённых партнёров пока нет."));
}

TEST_CASE("e2e compat: an invitation link between two users: accept, used, self, refuse, expired") {
  harness h;
  h.start_bot();
  chat_driver a{h, 4301}, b{h, 4302}, c{h, 4303}, d{h, 4304};
  save_birth(a);
  auto list = a.say("/compat");
  auto link = a.press(list.message_id, "p:i");
  const std::string code = invite_code_of(link);

  CHECK(
      starts_with(a.say("/start c_" + code).text.value_or(""), "Это ваше собственное приглашение"));
  CHECK(starts_with(a.say("/start c_aaaaaaaaaaaa").text.value_or(""), "❌ Приглашение не найдено."));

  // Without birth data the invited user is sent to /natal and the link stays valid.
  auto need = b.say("/start c_" + code);
  CHECK(contains(need.text.value_or(""), "Сначала настройте свою натальную карту: /natal"));
  save_birth(b, "08:15", "04.07.1992", "Москва, Россия");
  auto question = b.say("/start c_" + code);
  CHECK(contains(question.text.value_or(""),
                 "Показать вашу карту для совместимости с\u00a0Sandbox User?"));
  CHECK(question.button_data() == std::vector<std::string>{"i:" + code + ":y", "i:" + code + ":n"});

  // «Да»: both get the report; the inviter never sees the partner's birth data.
  auto a_before = a.settle(0).size();
  auto b_before = b.settle(0).size();
  auto since = mark(h);
  note_update(h.control->press(4302, question.message_id, "i:" + code + ":y").update_id);
  auto b_msgs = b.settle(b_before + 2);
  auto a_msgs = a.settle(a_before + 2);
  CHECK(methods_of(wait_calls(h, 4302, since, 6)) ==
        "answerCallbackQuery,editMessageText,sendMessage,sendPhoto,sendMessage,deleteMessage");
  CHECK(methods_of(wait_calls(h, 4301, since, 3)) == "answerCallbackQuery,sendPhoto,sendMessage");
  CHECK(starts_with(b_msgs.back().text.value_or(""),
                    "💞 <b>Совместимость</b>\nВы и\u00a0Sandbox User"));
  CHECK(starts_with(a_msgs.back().text.value_or(""),
                    "💞 <b>Совместимость</b>\nВы и\u00a0Sandbox User"));
  CHECK_FALSE(a_msgs[a_before].photo_file_id.empty());
  for (const char* secret : {"04.07.1992", "08:15"})
    CHECK_MESSAGE(!contains(everything_sent(h, 4301), secret), secret);
  check_all_texts(h, 4301);
  check_all_texts(h, 4302);

  // One-time: another user, or the same «Да» again, gets nothing more.
  save_birth(c);
  CHECK(starts_with(c.say("/start c_" + code).text.value_or(""),
                    "❌ Это приглашение уже использовано."));
  CHECK(b.press_answer_only(question.message_id, "i:" + code + ":y") == T_STALE);

  // «Нет»: the invited user's chart is not shown, the inviter is told.
  auto second = invite_code_of(a.press(a.say("/compat").message_id, "p:i"));
  save_birth(d);
  auto ask = d.say("/start c_" + second);
  a_before = a.settle(0).size();
  CHECK(d.press_answer_only(ask.message_id, "i:" + second + ":n") == "");
  CHECK(d.message(ask.message_id).text.value_or("") == "Хорошо, ваша карта не будет показана.");
  auto told = a.reply_after(a_before, "refusal");
  CHECK(told.text.value_or("") == "💞 Sandbox User: приглашение к\u00a0совместимости отклонено.");

  // Expired: seven days later the link says so.
  auto third = invite_code_of(a.press(a.say("/compat").message_id, "p:i"));
  exec_on_store(h, "UPDATE invites SET expires_at = 1 WHERE code = '" + third + "'");
  CHECK(starts_with(c.say("/start c_" + third).text.value_or(""),
                    "⌛ Срок действия приглашения истёк."));
  check_one_answer_per_press(h);
}

TEST_CASE(
    "e2e compat: with a key the model's text, asked with the compat prompt and no birth data") {
  const std::string key = "sk-or-e2e-compat";
  fake_openrouter llm;
  llm.start();
  llm.set_api_key(key);
  llm.set_default(
      fake_llm_reply::text("# Пара\n\n**Союз** <b>тёплый</b> & спокойный.\n\nСовет паре."));
  harness h;
  h.start_bot(llm.bot_env(key));
  auto added = olya_for_new_user(h, 4401);
  const auto report = report_of(added);
  CAPTURE(report);
  CHECK(contains(report, "<b>Аспекты между картами</b>"));
  CHECK(contains(report,
                 "📖 <b>Интерпретация совместимости</b>\n\n<b>Союз</b> &lt;b&gt;тёплый&lt;/b&gt; "
                 "&amp; спокойный.\n\nСовет паре."));
  CHECK_FALSE(contains(report, "(кратко)"));
  CHECK_FALSE(contains(report, "# Пара"));
  CHECK_FALSE(contains(report, "Подробная интерпретация сейчас недоступна"));
  CHECK(count_of(report, "📖") == 1);
  CHECK(methods_of(wait_calls(h, 4401, added.since, 7)) == report_calls);

  // One request: the compatibility prompt and the pair's positions, nothing of the partner's
  // birth data or name.
  const auto asked = llm.requests();
  REQUIRE(asked.size() == 1);
  CHECK(contains(asked[0].system, "истолковать совместимость двух людей (синастрию)"));
  CHECK(contains(asked[0].system, "ровно шесть абзацев"));
  const auto& data = asked[0].user;
  CAPTURE(data);
  CHECK(starts_with(data, "Совместимость двух натальных карт: «вы» — читатель, «партнёр» — "));
  CHECK(contains(data, "\nВаши позиции:\n- Солнце в Рыбах"));     // 15.03.1990
  CHECK(contains(data, "\nПозиции партнёра:\n- Солнце в Раке"));  // 04.07.1992
  CHECK(contains(data, "\nАспекты между картами (первая точка ваша, вторая — партнёра):\n- Ваш"));
  CHECK(contains(data, "\nСферы отношений по аспектам:\n- Эмоции: "));
  CHECK(contains(data, "\nСтихии (планеты от Солнца до Плутона): ваши — огонь "));
  for (const char* secret : {"04.07.1992", "1992", "08:15", "Санкт-Петербург", "Оля", "Москва"})
    CHECK_MESSAGE(!contains(data, secret), secret);
  check_all_texts(h, 4401);
  h.bot->stop();
  CHECK_FALSE(contains(h.log_file(), key));
}

TEST_CASE("e2e compat: a failing model leaves the built-in text and every message of the report") {
  fake_openrouter llm;
  llm.start();
  llm.set_default(fake_llm_reply::error(503, "provider down"));
  harness h;
  // 2 s: no second attempt fits (docs/integrations.md §1.5 wants 10 s left).
  h.start_bot(llm.bot_env("sk-or-e2e-compat-down", 2));
  auto added = olya_for_new_user(h, 4402);
  const auto report = report_of(added);
  CAPTURE(report);
  CHECK(contains(report, "📖 <b>Интерпретация совместимости (кратко)</b>\n\n"));
  CHECK(contains(report, "<b>Эмоции: "));  // the built-in area paragraphs
  CHECK(contains(report, T_INTERP_NOTE));
  CHECK(count_of(report, "📖") == 1);
  CHECK(llm.request_count() >= 1);
  CHECK(methods_of(wait_calls(h, 4402, added.since, 7)) == report_calls);
  check_all_texts(h, 4402);
  CHECK(contains(h.log_file(), "LLM text not used"));
}

TEST_CASE("e2e compat: the biwheel comes from the chart service, else from the built-in renderer") {
  fake_chart_service chart;
  harness h;
  h.start_bot({{"CHART_SERVICE_URL", chart.url()},
               {"CHART_SERVICE_API_KEY", "e2e-chart-key"},
               {"CHART_SERVICE_TIMEOUT", "1"}});
  chat_driver a{h, 4403};
  save_birth(a);
  auto added = add_olya(a);
  const auto service_png = fake_chart_service::make_png(800, 800);
  REQUIRE_FALSE(added.out.front().photo_file_id.empty());
  CHECK(h.control->photo(added.out.front().photo_file_id) == service_png);
  auto requests = chart.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].path == "/api/v1/chart/render/synastry");
  CHECK(requests[0].authorization == "Bearer e2e-chart-key");
  CHECK(contains(requests[0].body, "\"person2\""));

  // The service fails: the built-in biwheel, and the report as always.
  chart.set_mode(chart_fake_mode::render_error);
  auto listed = a.say("/compat");
  auto before = a.settle(0).size();
  note_update(h.control->press(4403, listed.message_id, listed.button_data().at(0)).update_id);
  auto msgs = a.settle(before + 2);
  REQUIRE(msgs.size() >= before + 2);
  const auto& picture = msgs[before];
  REQUIRE_FALSE(picture.photo_file_id.empty());
  const auto builtin = h.control->photo(picture.photo_file_id);
  CHECK(starts_with(builtin, "\x89PNG\r\n\x1a\n"));
  CHECK(builtin != service_png);
  CHECK(chart.requests().size() == 2);
  CHECK(contains(h.log_file(), "using the built-in renderer"));
  CHECK(starts_with(msgs.back().text.value_or(""), "💞 <b>Совместимость</b>"));

  // A partner without a birth time has no cusps: the service is not asked at all.
  chart.set_mode(chart_fake_mode::success);
  auto unknown = add_olya(a, "не знаю").out;
  REQUIRE_FALSE(unknown.front().photo_file_id.empty());
  CHECK(h.control->photo(unknown.front().photo_file_id) != service_png);
  CHECK(chart.requests().size() == 2);
  check_all_texts(h, 4403);
}
