// protocol/bot_json: parsing Updates and getUpdates batches, including malformed and hostile
// input (docs/telegram.md §2.4, §8 "poison update").
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "protocol/bot_types.hpp"

using namespace nocturna::bot;

namespace {

const char* kPrivateStart = R"({"update_id":813700001,
 "message":{"message_id":17,"from":{"id":123456789,"is_bot":false,"first_name":"Анна",
   "last_name":"Иванова","username":"anna_i","language_code":"ru"},
   "chat":{"id":123456789,"first_name":"Анна","last_name":"Иванова","username":"anna_i",
   "type":"private"},"date":1718000000,"text":"/start@Nocturna_Bot payload",
   "entities":[{"offset":0,"length":19,"type":"bot_command"}]}})";

const char* kGroup = R"({"update_id":813700002,"message":{"message_id":5,
 "from":{"id":42,"is_bot":false,"first_name":"Bob"},
 "chat":{"id":-1001987654321,"title":"Astro <club>","type":"supergroup"},
 "date":1718000001,"text":"привет 😀 /transit",
 "entities":[{"offset":10,"length":8,"type":"bot_command"}],"unknown_future_field":{"x":[1,2]}}})";

const char* kCallback = R"({"update_id":7,"callback_query":{"id":"4382bfdwdsb323b2d9",
 "from":{"id":99,"is_bot":false,"first_name":"C"},
 "message":{"message_id":300,"date":1718000100,"chat":{"id":99,"type":"private"},
  "from":{"id":777,"is_bot":true,"first_name":"Nocturna","username":"nocturna_bot"},
  "text":"Выберите","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"h:P"}]]}},
 "chat_instance":"-123","data":"h:P"}})";

}  // namespace

TEST_CASE("parse a private text message with a command") {
  std::string err;
  const auto u = parse_update(kPrivateStart, &err);
  REQUIRE_MESSAGE(u.has_value(), err);
  CHECK(u->update_id == 813700001);
  CHECK(u->kind == update_kind::message);
  REQUIRE(u->message.has_value());
  const message& m = *u->message;
  CHECK(m.message_id == 17);
  CHECK(m.date == 1718000000);
  CHECK(m.chat.id == 123456789);
  CHECK(m.chat.is_private());
  REQUIRE(m.from.has_value());
  CHECK(m.from->first_name == "Анна");
  CHECK(m.from->last_name == "Иванова");
  CHECK(m.from->username == "anna_i");
  CHECK(m.from->language_code == "ru");
  CHECK_FALSE(m.from->is_bot);
  REQUIRE(m.text.has_value());
  CHECK(*m.text == "/start@Nocturna_Bot payload");
  REQUIRE(m.entities.size() == 1);
  CHECK(m.entities[0].type == "bot_command");
  CHECK(m.entities[0].offset == 0);
  CHECK(m.entities[0].length == 19);
  CHECK_FALSE(m.has_media);
  CHECK_FALSE(m.is_service);
  CHECK_FALSE(m.location.has_value());
  CHECK(u->chat_id() == 123456789);
}

TEST_CASE("parse a supergroup message with a 64-bit chat id") {
  const auto u = parse_update(kGroup);
  REQUIRE(u.has_value());
  CHECK(u->message->chat.id == -1001987654321);
  CHECK(u->message->chat.type == "supergroup");
  CHECK(u->message->chat.title == "Astro <club>");
  CHECK_FALSE(u->message->chat.is_private());
  CHECK(u->message->entities.at(0).offset == 10);
  CHECK(u->chat_id() == -1001987654321);
}

TEST_CASE("parse edited_message callback_query and my_chat_member") {
  const auto e = parse_update(
      R"({"update_id":3,"edited_message":{"message_id":1,"date":5,"edit_date":6,
          "chat":{"id":10,"type":"private"},"text":"x"}})");
  REQUIRE(e.has_value());
  CHECK(e->kind == update_kind::edited_message);
  CHECK(e->chat_id() == 10);

  const auto c = parse_update(kCallback);
  REQUIRE(c.has_value());
  CHECK(c->kind == update_kind::callback_query);
  REQUIRE(c->callback_query.has_value());
  CHECK(c->callback_query->id == "4382bfdwdsb323b2d9");
  CHECK(c->callback_query->data == "h:P");
  CHECK(c->callback_query->from.id == 99);
  REQUIRE(c->callback_query->message.has_value());
  CHECK(c->callback_query->message->message_id == 300);
  CHECK(c->callback_query->message->from->is_bot);
  CHECK(c->chat_id() == 99);

  // Inaccessible message: date 0, only chat and message_id.
  const auto old = parse_update(
      R"({"update_id":8,"callback_query":{"id":"q","from":{"id":5,"first_name":"A"},
          "message":{"chat":{"id":-100500,"type":"supergroup"},"message_id":9,"date":0},
          "chat_instance":"1","data":"x"}})");
  REQUIRE(old.has_value());
  CHECK(old->callback_query->message->date == 0);
  CHECK(old->chat_id() == -100500);

  // No message (inline message): the user's id is the chat.
  const auto inl = parse_update(
      R"({"update_id":9,"callback_query":{"id":"q","from":{"id":5,"first_name":"A"},
          "inline_message_id":"AAA","chat_instance":"1","data":"x"}})");
  REQUIRE(inl.has_value());
  CHECK_FALSE(inl->callback_query->message.has_value());
  CHECK(inl->chat_id() == 5);

  const auto mcm = parse_update(
      R"({"update_id":10,"my_chat_member":{"chat":{"id":55,"type":"private","first_name":"Z"},
          "from":{"id":55,"is_bot":false,"first_name":"Z"},"date":1,
          "old_chat_member":{"user":{"id":777,"is_bot":true,"first_name":"N"},"status":"member"},
          "new_chat_member":{"user":{"id":777,"is_bot":true,"first_name":"N"},"status":"kicked",
          "until_date":0}}})");
  REQUIRE(mcm.has_value());
  CHECK(mcm->kind == update_kind::my_chat_member);
  CHECK(mcm->my_chat_member->new_status == "kicked");
  CHECK(mcm->my_chat_member->from.id == 55);
  CHECK(mcm->chat_id() == 55);
}

TEST_CASE("parse media location venue and service messages") {
  auto msg = [](const std::string& extra) {
    return R"({"update_id":1,"message":{"message_id":2,"date":3,"chat":{"id":4,"type":"private"},)" +
           extra + "}}";
  };
  const auto loc = parse_update(msg(R"("location":{"latitude":55.7558,"longitude":37})"));
  REQUIRE(loc.has_value());
  REQUIRE(loc->message->location.has_value());
  CHECK(loc->message->location->latitude == doctest::Approx(55.7558));
  CHECK(loc->message->location->longitude == doctest::Approx(37.0));
  CHECK_FALSE(loc->message->has_media);

  const auto venue = parse_update(
      msg(R"("venue":{"location":{"latitude":1.5,"longitude":-2.5},"title":"T","address":"A"})"));
  REQUIRE(venue.has_value());
  REQUIRE(venue->message->location.has_value());
  CHECK(venue->message->location->longitude == doctest::Approx(-2.5));

  const auto photo = parse_update(msg(
      R"("photo":[{"file_id":"x","file_unique_id":"y","width":1,"height":1}],"caption":"подпись")"));
  REQUIRE(photo.has_value());
  CHECK(photo->message->has_media);
  CHECK(photo->message->caption.value() == "подпись");
  CHECK_FALSE(photo->message->text.has_value());

  for (const char* media : {"sticker", "voice", "video", "document", "audio", "animation",
                            "video_note", "contact", "poll", "dice"}) {
    const auto u = parse_update(msg(std::string("\"") + media + R"(":{"x":1})"));
    REQUIRE_MESSAGE(u.has_value(), media);
    CHECK_MESSAGE(u->message->has_media, media);
    CHECK_FALSE(u->message->is_service);
  }
  for (const char* service : {R"("new_chat_members":[{"id":1,"is_bot":false,"first_name":"a"}])",
                              R"("left_chat_member":{"id":1,"is_bot":false,"first_name":"a"})",
                              R"("pinned_message":{"message_id":1,"date":1,"chat":{"id":4}})",
                              R"("new_chat_title":"t")", R"("group_chat_created":true)"}) {
    const auto u = parse_update(msg(service));
    REQUIRE_MESSAGE(u.has_value(), service);
    CHECK_MESSAGE(u->message->is_service, service);
  }
}

TEST_CASE("unknown update kinds parse as other without a chat") {
  for (
      const char* json :
      {R"({"update_id":11,"channel_post":{"message_id":1,"date":1,"chat":{"id":-100,"type":"channel"}}})",
       R"({"update_id":12,"chat_join_request":{"chat":{"id":-5},"from":{"id":1}}})",
       R"({"update_id":13,"some_future_update":{"anything":[1,2,3]}})", R"({"update_id":14})"}) {
    const auto u = parse_update(json);
    REQUIRE_MESSAGE(u.has_value(), json);
    CHECK(u->kind == update_kind::other);
    CHECK_FALSE(u->chat_id().has_value());
  }
}

TEST_CASE("malformed updates fail with an error and never throw") {
  const char* bad[] = {
      "",
      "not json",
      "[]",
      "42",
      "null",
      R"({"message":{"message_id":1,"date":1,"chat":{"id":1}}})",  // no update_id
      R"({"update_id":"5","message":{"message_id":1,"date":1,"chat":{"id":1}}})",
      R"({"update_id":1.5})",
      R"({"update_id":18446744073709551615})",  // beyond int64
      R"({"update_id":1e3})",
      R"({"update_id":1,"message":"text"})",
      R"({"update_id":1,"message":{"message_id":1,"date":1}})",  // no chat
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":"12"}}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1.0}}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"text":5}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"entities":{}}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"entities":[{"type":"bold"}]}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"from":{"first_name":"x"}}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1},"location":{"latitude":"a"}}})",
      R"({"update_id":1,"callback_query":{"id":5,"from":{"id":1}}})",
      R"({"update_id":1,"callback_query":{"id":"q"}})",
      R"({"update_id":1,"my_chat_member":{"chat":{"id":1},"from":{"id":1}}})",
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1})",  // truncated
      "{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":1},\"text\":"
      "\"\xff\"}}",
  };
  for (const char* json : bad) {
    std::string err;
    std::optional<update> u;
    CHECK_NOTHROW(u = parse_update(json, &err));
    CHECK_MESSAGE(!u.has_value(), json);
    CHECK_MESSAGE(!err.empty(), json);
  }
}

TEST_CASE("huge and deeply nested inputs are handled") {
  std::string text(5'000'000, 'x');
  const std::string big =
      R"({"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"},"text":")" +
      text + "\"}}";
  const auto u = parse_update(big);
  REQUIRE(u.has_value());
  CHECK(u->message->text->size() == text.size());

  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string err;
  CHECK_FALSE(parse_update(deep, &err).has_value());
  CHECK_FALSE(err.empty());
  const auto batch = split_updates("[" + deep + "]");
  REQUIRE(batch.has_value());
  REQUIRE(batch->size() == 1);
  CHECK_FALSE((*batch)[0].update_id.has_value());
}

TEST_CASE("split_updates keeps each element and reads what it can") {
  const std::string result =
      std::string("[") + kPrivateStart + "," + kCallback + "," +
      R"({"update_id":20,"message":"poison"},)" + R"({"no_id":true,"message":{"chat":{"id":5}}},)" +
      R"(17,"str",null,[1,2],)" + R"({"update_id":21,"channel_post":{"chat":{"id":-1}}},)" +
      R"({"update_id":"22"},)" +
      R"({"update_id":23,"message":{"message_id":"x","chat":{"id":77}}},)" +
      R"({"update_id":24,"text":"a ] } \" , [ {"}])";
  const auto batch = split_updates(result);
  REQUIRE(batch.has_value());
  REQUIRE(batch->size() == 12);
  const auto& b = *batch;
  CHECK(b[0].update_id == 813700001);
  CHECK(b[0].chat_id == 123456789);
  CHECK(b[0].json == kPrivateStart);
  CHECK(b[1].update_id == 7);
  CHECK(b[1].chat_id == 99);
  CHECK(b[2].update_id == 20);
  CHECK_FALSE(b[2].chat_id.has_value());
  CHECK(b[2].json == R"({"update_id":20,"message":"poison"})");
  CHECK_FALSE(parse_update(b[2].json).has_value());
  CHECK_FALSE(b[3].update_id.has_value());
  CHECK(b[3].chat_id == 5);  // read loosely from a poison element
  CHECK(b[4].json == "17");
  CHECK_FALSE(b[4].update_id.has_value());
  CHECK(b[5].json == "\"str\"");
  CHECK(b[6].json == "null");
  CHECK(b[7].json == "[1,2]");
  CHECK(b[8].update_id == 21);
  CHECK_FALSE(b[8].chat_id.has_value());
  CHECK_FALSE(b[9].update_id.has_value());
  CHECK(b[10].update_id == 23);
  CHECK(b[10].chat_id == 77);
  CHECK(b[11].update_id == 24);
  CHECK(b[11].json == R"({"update_id":24,"text":"a ] } \" , [ {"})");

  CHECK(split_updates("[]").value().empty());
  CHECK(split_updates(" [ ] ").value().empty());
  CHECK(split_updates("[{\"update_id\":1} , {\"update_id\":2}]").value().at(1).json ==
        "{\"update_id\":2}");
  CHECK_FALSE(split_updates("").has_value());
  CHECK_FALSE(split_updates("{}").has_value());
  CHECK_FALSE(split_updates("true").has_value());
  CHECK_FALSE(split_updates("[1,2").has_value());
  CHECK_FALSE(split_updates("[1,]").has_value());
  CHECK_FALSE(split_updates("[\"unterminated]").has_value());
  CHECK_FALSE(split_updates("[1] trailing").has_value());
}

TEST_CASE("parse_user and parse_message_id") {
  const auto me = parse_user(
      R"({"id":7000000001,"is_bot":true,"first_name":"Nocturna","username":"Nocturna_Bot",
          "can_join_groups":true,"supports_inline_queries":false})");
  REQUIRE(me.has_value());
  CHECK(me->id == 7000000001);
  CHECK(me->is_bot);
  CHECK(me->username == "Nocturna_Bot");
  CHECK_FALSE(parse_user(R"({"first_name":"x"})").has_value());
  CHECK_FALSE(parse_user(R"({"id":"1"})").has_value());
  CHECK_FALSE(parse_user("garbage").has_value());

  CHECK(parse_message_id(
            R"({"message_id":4242,"date":1,"chat":{"id":1,"type":"private"},"text":"x"})") == 4242);
  CHECK_FALSE(parse_message_id("true").has_value());
  CHECK_FALSE(parse_message_id(R"({"message_id":1.5})").has_value());
  CHECK_FALSE(parse_message_id("").has_value());
}

TEST_CASE("parsing works from several threads at once") {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      for (int i = 0; i < 200; ++i) {
        const auto u = parse_update(kGroup);
        const auto b = split_updates(std::string("[") + kCallback + "," + kPrivateStart + "]");
        if (u && u->chat_id() == -1001987654321 && b && b->size() == 2 &&
            (*b)[1].chat_id == 123456789) {
          ++ok[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int v : ok) CHECK(v == 200);
}
