// /compat texts and buttons. Typography as protocol/texts.cpp: the space before «—» and after a
// one-letter word is U+00A0 in the literals; composed texts go through protocol/typography.
#include "protocol/compat_texts.hpp"

#include <charconv>

#include "protocol/html.hpp"
#include "protocol/json_writer.hpp"
#include "protocol/typography.hpp"

namespace nocturna::compat {

const char* const header = "📖 <b>Интерпретация совместимости</b>\n\n";
const char* const header_short = "📖 <b>Интерпретация совместимости (кратко)</b>\n\n";
const char* const no_natal = R"(❌ Для совместимости нужна ваша натальная карта.

Сначала настройте её: /natal)";
const char* const status = "💞 Считаю совместимость…";
const char* const context = "❌ Не удалось рассчитать совместимость.";
const char* const button_add = "➕ Добавить партнёра";
const char* const button_invite = "🔗 Пригласить по ссылке";
const char* const button_yes = "Да";
const char* const button_no = "Нет";
const char* const answer_deleted = "Партнёр удалён";
const char* const answer_gone = "Этого партнёра уже нет в списке";
const char* const answer_limit = "Сохранено уже 10 партнёров: удалите кого-нибудь";
const char* const invite_expired = R"(⌛ Срок действия приглашения истёк.

Попросите прислать новую ссылку.)";
const char* const invite_used = R"(❌ Это приглашение уже использовано.

Попросите прислать новую ссылку.)";
const char* const invite_unknown = R"(❌ Приглашение не найдено.

Проверьте ссылку или попросите прислать новую.)";
const char* const invite_self = R"(Это ваше собственное приглашение: перешлите ссылку партнёру.)";
const char* const invite_refused = "Хорошо, ваша карта не будет показана.";
const char* const invite_accepted = "Спасибо! Считаю совместимость для вас обоих.";

namespace {

constexpr std::string_view code_alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::size_t code_length = 12;

std::string inline_button(std::string_view text, const std::string& data) {
  return json::object().add("text", text).add("callback_data", data).str();
}

button make(button::kind what, std::int64_t id = 0, std::string code = {}) {
  button b;
  b.what = what;
  b.partner_id = id;
  b.code = std::move(code);
  return b;
}

bool valid_code(std::string_view code) {
  if (code.size() != code_length) return false;
  for (char c : code)
    if (code_alphabet.find(c) == std::string_view::npos) return false;
  return true;
}

}  // namespace

std::string list_text(std::size_t count, std::size_t max) {
  std::string out = "💞 <b>Совместимость</b>\n\n";
  if (count == 0) {
    out += "Сохранённых партнёров пока нет.";
  } else {
    out += "Партнёры: " + std::to_string(count) + " из " + std::to_string(max) +
           ". Нажмите на имя, чтобы посчитать совместимость, или "
           "🗑, "
           "чтобы "
           "удалить.";
  }
  out +=
      "\n\nДобавьте данные партнёра сами или пригласите его по ссылке: тогда данные останутся у "
      "него, а вы увидите только совместимость.";
  return typography::typeset(out);
}

std::string list_keyboard(const std::vector<listed_partner>& partners, std::size_t max) {
  std::string rows = "[";
  for (const auto& p : partners) {
    const std::string label = p.name.empty() ? "Без имени, " + p.date : p.name;
    rows += "[" + inline_button("💞 " + label, button_data(make(button::rerun, p.id))) + "," +
            inline_button("🗑", button_data(make(button::remove, p.id))) + "],";
  }
  if (partners.size() < max) rows += "[" + inline_button(button_add, "p:a") + "],";
  rows += "[" + inline_button(button_invite, "p:i") + "]]";
  return json::object().add_raw("inline_keyboard", rows).str();
}

std::string invite_link_text(std::string_view link) {
  return typography::typeset(
      "🔗 <b>Ссылка-приглашение</b>\n\n" + html::escape(link) +
      "\n\nПерешлите её партнёру. Ссылка одноразовая и действует 7 дней. Когда партнёр откроет её "
      "и согласится, вы оба получите совместимость; его данные рождения вам показаны не будут.");
}

std::string invite_question(std::string_view inviter_name) {
  const std::string name = html::escape(inviter_name);
  return typography::typeset("💞 <b>" + name +
                             "</b> приглашает вас посмотреть совместимость.\n\nПоказать вашу "
                             "карту для совместимости с " +
                             name +
                             "? Ваши данные рождения никто не увидит, только общий результат.");
}

std::string invite_keyboard(std::string_view code) {
  const std::string c(code);
  return json::object()
      .add_raw("inline_keyboard",
               "[[" + inline_button(button_yes, button_data(make(button::accept, 0, c))) + "," +
                   inline_button(button_no, button_data(make(button::decline, 0, c))) + "]]")
      .str();
}

std::string invite_need_natal(std::string_view inviter_name) {
  return typography::typeset(
      "💞 <b>" + html::escape(inviter_name) +
      "</b> приглашает вас посмотреть совместимость.\n\nСначала настройте свою натальную карту: "
      "/natal — затем откройте ссылку ещё раз, она останется действительной.");
}

std::string invite_declined(std::string_view partner_name) {
  return typography::typeset("💞 " + html::escape(partner_name) +
                             ": приглашение к совместимости отклонено.");
}

std::string invite_link(std::string_view bot_username, std::string_view code) {
  return "https://t.me/" + std::string(bot_username) + "?start=c_" + std::string(code);
}

std::optional<std::string> invite_code(std::string_view payload) {
  if (payload.substr(0, 2) != "c_" || !valid_code(payload.substr(2))) return std::nullopt;
  return std::string(payload.substr(2));
}

std::string format_invite_code(std::uint64_t high, std::uint64_t low) {
  std::string out;
  for (std::size_t i = 0; i < code_length; ++i) {
    std::uint64_t& bits = i < code_length / 2 ? high : low;
    out += code_alphabet[bits % code_alphabet.size()];
    bits /= code_alphabet.size();
  }
  return out;
}

std::optional<button> parse_button(std::string_view data) {
  if (data == "p:a") return make(button::add);
  if (data == "p:i") return make(button::invite);
  if (data.size() > 4 && data.substr(0, 2) == "p:" && data[3] == ':' &&
      (data[2] == 'r' || data[2] == 'd')) {
    std::int64_t id = 0;
    const auto digits = data.substr(4);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (ec != std::errc() || end != digits.data() + digits.size() || id <= 0) return std::nullopt;
    return make(data[2] == 'r' ? button::rerun : button::remove, id);
  }
  if (data.size() == 2 + code_length + 2 && data.substr(0, 2) == "i:" &&
      data[2 + code_length] == ':' && valid_code(data.substr(2, code_length))) {
    const char answer = data.back();
    if (answer != 'y' && answer != 'n') return std::nullopt;
    return make(answer == 'y' ? button::accept : button::decline, 0,
                std::string(data.substr(2, code_length)));
  }
  return std::nullopt;
}

std::string button_data(const button& b) {
  switch (b.what) {
    case button::rerun:
      return "p:r:" + std::to_string(b.partner_id);
    case button::remove:
      return "p:d:" + std::to_string(b.partner_id);
    case button::add:
      return "p:a";
    case button::invite:
      return "p:i";
    case button::accept:
      return "i:" + b.code + ":y";
    case button::decline:
      return "i:" + b.code + ":n";
  }
  return {};
}

}  // namespace nocturna::compat
