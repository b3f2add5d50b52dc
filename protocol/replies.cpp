#include "protocol/replies.hpp"

#include <string_view>

#include "protocol/html.hpp"
#include "protocol/texts.hpp"

namespace nocturna::texts {

std::string mention(const bot::user& u) {
  std::string name = u.first_name;
  if (!u.last_name.empty()) {
    if (!name.empty()) name += ' ';
    name += u.last_name;
  }
  return "<a href=\"tg://user?id=" + std::to_string(u.id) + "\">" + html::escape(name) + "</a>";
}

std::string start_text(const bot::user& u) {
  constexpr std::string_view placeholder = "{mention}";
  std::string text = start_template;
  const auto pos = text.find(placeholder);
  if (pos != std::string::npos) text.replace(pos, placeholder.size(), mention(u));
  return text;
}

}  // namespace nocturna::texts
