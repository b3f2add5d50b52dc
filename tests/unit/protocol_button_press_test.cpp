// protocol/button_press: which presses are still fresh enough to act on.
#include <doctest/doctest.h>

#include "protocol/button_press.hpp"

using namespace nocturna::bot;

namespace {

// A press by user 42 on a message the bot sent in their private chat.
callback_query own_private_press() {
  callback_query q;
  q.id = "q1";
  q.from.id = 42;
  q.data = "s:h:P";
  message m;
  m.message_id = 9;
  m.date = 1'700'000'000;
  m.chat.id = 42;
  m.chat.type = "private";
  q.message = m;
  return q;
}

}  // namespace

TEST_CASE("button press: the chat's own user in a private chat on an accessible message") {
  CHECK(press_is_fresh(own_private_press()));
}

TEST_CASE("button press: stale without its message or when the message is inaccessible") {
  auto gone = own_private_press();
  gone.message.reset();
  CHECK_FALSE(press_is_fresh(gone));
  auto inaccessible = own_private_press();
  inaccessible.message->date = 0;
  CHECK_FALSE(press_is_fresh(inaccessible));
}

TEST_CASE("button press: stale in a group, or by another user") {
  auto in_group = own_private_press();
  in_group.message->chat.id = -100;
  in_group.message->chat.type = "supergroup";
  in_group.from.id = -100;
  CHECK_FALSE(press_is_fresh(in_group));
  auto stranger = own_private_press();
  stranger.from.id = 43;
  CHECK_FALSE(press_is_fresh(stranger));
}
