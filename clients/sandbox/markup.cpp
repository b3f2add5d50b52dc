#include "clients/sandbox/markup.hpp"

#include "clients/sandbox/json_util.hpp"

namespace nocturna::sandbox {
namespace {

const char* const cant_parse = "Bad Request: can't parse reply keyboard markup JSON object";

std::optional<std::string> check_inline_button(jsonu::element b) {
  if (!b.is_object()) return std::string(cant_parse);
  auto text = jsonu::get_string(b, "text");
  if (!text || text->empty()) return std::string("Bad Request: BUTTON_TEXT_INVALID");
  if (auto data = jsonu::get(b, "callback_data")) {
    std::string_view s;
    if (data->get_string().get(s) || s.empty() || s.size() > 64) {
      return std::string("Bad Request: BUTTON_DATA_INVALID");
    }
    return std::nullopt;
  }
  if (auto url = jsonu::get_string(b, "url")) {
    bool ok = url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0 ||
              url->rfind("tg://", 0) == 0;
    if (!ok) return std::string("Bad Request: BUTTON_URL_INVALID");
    return std::nullopt;
  }
  for (const char* key : {"switch_inline_query", "switch_inline_query_current_chat",
                          "switch_inline_query_chosen_chat", "copy_text", "web_app", "login_url",
                          "callback_game", "pay"}) {
    if (jsonu::get(b, key)) return std::nullopt;
  }
  return std::string(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline "
      "keyboard");
}

std::optional<std::string> check_rows(jsonu::element rows, bool inline_keyboard) {
  if (!rows.is_array()) return std::string(cant_parse);
  for (auto row : rows.get_array()) {
    if (!row.is_array()) return std::string(cant_parse);
    for (auto button : row.get_array()) {
      if (inline_keyboard) {
        if (auto err = check_inline_button(button)) return err;
      } else if (button.is_object()) {
        auto text = jsonu::get_string(button, "text");
        if (!text || text->empty()) return std::string("Bad Request: BUTTON_TEXT_INVALID");
      } else if (!button.is_string()) {
        return std::string(cant_parse);
      }
    }
  }
  return std::nullopt;
}

bool has_no_buttons(jsonu::element rows) {
  for (auto row : rows.get_array()) {
    if (row.get_array().size() > 0) return false;
  }
  return true;
}

}  // namespace

markup_result check_reply_markup(const std::string& json, bool inline_only) {
  simdjson::dom::parser parser;
  jsonu::element doc;
  if (!jsonu::parse(parser, json, doc) || !doc.is_object()) return {"", cant_parse};
  if (auto rows = jsonu::get(doc, "inline_keyboard")) {
    if (auto err = check_rows(*rows, true)) return {"", err};
    // An empty inline keyboard is no keyboard: how the bot removes buttons.
    if (has_no_buttons(*rows)) return {"", std::nullopt};
    return {"{\"inline_keyboard\":" + jsonu::minify(*rows) + "}", std::nullopt};
  }
  if (inline_only) return {"", cant_parse};
  if (auto rows = jsonu::get(doc, "keyboard")) {
    if (auto err = check_rows(*rows, false)) return {"", err};
    return {jsonu::minify(doc), std::nullopt};
  }
  if (jsonu::get_bool(doc, "remove_keyboard") == true ||
      jsonu::get_bool(doc, "force_reply") == true) {
    return {jsonu::minify(doc), std::nullopt};
  }
  return {"", cant_parse};
}

}  // namespace nocturna::sandbox
