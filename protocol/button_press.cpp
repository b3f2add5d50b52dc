#include "protocol/button_press.hpp"

namespace nocturna::bot {

bool press_is_fresh(const callback_query& q) {
  return q.message && q.message->date != 0 && q.message->chat.is_private() &&
         q.from.id == q.message->chat.id;
}

}  // namespace nocturna::bot
