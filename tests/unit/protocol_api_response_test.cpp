// protocol/api_response: classification of Bot API responses (docs/telegram.md §1, §6.4).
#include <doctest/doctest.h>

#include <string>

#include "protocol/api_response.hpp"

using namespace nocturna::bot;

namespace {

api_response err(int code, const std::string& description, const std::string& params = "") {
  std::string body = R"({"ok":false,"error_code":)" + std::to_string(code) + R"(,"description":")" +
                     description + "\"";
  if (!params.empty()) body += R"(,"parameters":)" + params;
  body += "}";
  return classify_response(code, body);
}

}  // namespace

TEST_CASE("ok responses keep the raw result") {
  const auto r = classify_response(
      200, R"({"ok":true,"result":{"message_id":5,"chat":{"id":-100123},"text":"Привет"}})");
  CHECK(r.kind == outcome::ok);
  CHECK(r.succeeded());
  CHECK(r.http_status == 200);
  CHECK(r.result_json == R"({"message_id":5,"chat":{"id":-100123},"text":"Привет"})");
  CHECK(classify_response(200, R"({"ok":true,"result":true})").result_json == "true");
  CHECK(classify_response(200, R"( {"result":[],"ok":true} )").result_json == "[]");
}

TEST_CASE("every row of the error class table") {
  CHECK(err(400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message")
            .kind == outcome::not_modified);
  CHECK(err(400, "Bad Request: message to edit not found").kind == outcome::already_done);
  CHECK(err(400, "Bad Request: message to delete not found").kind == outcome::already_done);
  CHECK(err(400, "Bad Request: message can't be deleted").kind == outcome::already_done);
  CHECK(
      err(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
          .kind == outcome::already_done);
  CHECK(err(400, "Bad Request: QUERY_ID_INVALID query ID is invalid").kind ==
        outcome::already_done);
  CHECK(err(400,
            "Bad Request: can't parse entities: Unsupported start tag \\\"foo\\\" at byte offset 3")
            .kind == outcome::bad_entities);
  CHECK(err(400, "Bad Request: message is too long").kind == outcome::too_long);
  CHECK(err(400, "Bad Request: caption is too long").kind == outcome::too_long);
  CHECK(err(400, "Bad Request: chat not found").kind == outcome::chat_gone);
  CHECK(err(403, "Forbidden: bot was blocked by the user").kind == outcome::chat_gone);
  CHECK(err(403, "Forbidden: user is deactivated").kind == outcome::chat_gone);
  CHECK(err(403, "Forbidden: bot was kicked from the group chat").kind == outcome::chat_gone);
  CHECK(err(403, "Forbidden: bot can't initiate conversation with a user").kind ==
        outcome::chat_gone);
  const auto moved = err(400, "Bad Request: group chat was upgraded to a supergroup chat",
                         R"({"migrate_to_chat_id":-1001234567890123})");
  CHECK(moved.kind == outcome::migrated);
  CHECK(moved.migrate_to_chat_id == -1001234567890123);
  CHECK(err(403, "Forbidden: whatever", R"({"migrate_to_chat_id":-100777})").kind ==
        outcome::migrated);
  CHECK(err(400, "Bad Request: wrong file identifier/HTTP URL specified").kind ==
        outcome::rejected);
  CHECK(err(400, "Bad Request: message can't be edited").kind == outcome::rejected);
  CHECK(err(403, "Forbidden: bot is not a member of the channel chat").kind == outcome::rejected);
  CHECK(err(404, "Not Found").kind == outcome::rejected);
  const auto unauthorized = err(401, "Unauthorized");
  CHECK(unauthorized.kind == outcome::unauthorized);
  CHECK_FALSE(unauthorized.succeeded());
  CHECK(err(409,
            "Conflict: terminated by other getUpdates request; make sure that only one bot "
            "instance is running")
            .kind == outcome::conflict);
  CHECK(err(409,
            "Conflict: can't use getUpdates method while webhook is active; use "
            "deleteWebhook to delete the webhook first")
            .kind == outcome::conflict);
  const auto flood = err(429, "Too Many Requests: retry after 17", R"({"retry_after":17})");
  CHECK(flood.kind == outcome::flood);
  CHECK(flood.retry_after == 17);
  CHECK(flood.error_code == 429);
  CHECK(flood.description == "Too Many Requests: retry after 17");
  CHECK(err(500, "Internal Server Error").kind == outcome::transient);
  CHECK(err(502, "Bad Gateway").kind == outcome::transient);
}

TEST_CASE("success classes and description matching") {
  CHECK(err(400, "Bad Request: message is not modified").succeeded());
  CHECK(err(400, "Bad Request: message to delete not found").succeeded());
  CHECK_FALSE(err(400, "Bad Request: chat not found").succeeded());
  // Case-insensitive substring match.
  CHECK(err(400, "BAD REQUEST: MESSAGE IS NOT MODIFIED").kind == outcome::not_modified);
  CHECK(err(403, "Forbidden: Bot Was Blocked By The User").kind == outcome::chat_gone);
  // Only the listed strings: a similar one is rejected.
  CHECK(err(400, "Bad Request: message not modified").kind == outcome::rejected);
  CHECK(err(400, "").kind == outcome::rejected);
}

TEST_CASE("bodies that are not Bot API JSON are classified by status") {
  const std::string html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
  CHECK(classify_response(502, html).kind == outcome::transient);
  CHECK(classify_response(500, R"({"message":"emulator exploded"})").kind == outcome::transient);
  CHECK(classify_response(503, "").kind == outcome::transient);
  CHECK(classify_response(0, "").kind == outcome::transient);
  CHECK(classify_response(401, "nope").kind == outcome::unauthorized);
  CHECK(classify_response(409, "nope").kind == outcome::conflict);
  CHECK(classify_response(429, "slow down").kind == outcome::flood);
  CHECK(classify_response(400, html).kind == outcome::rejected);
  CHECK(classify_response(403, "{}").kind == outcome::rejected);
  CHECK(classify_response(404, R"({"ok":"yes"})").kind == outcome::rejected);
  CHECK(classify_response(400, "[1,2,3]").kind == outcome::rejected);
  const auto r = classify_response(502, html);
  CHECK(r.http_status == 502);
  CHECK(r.description.find("502") != std::string::npos);
  // A 200 whose body is garbage is not a success.
  CHECK_FALSE(classify_response(200, "garbage").succeeded());
  CHECK_FALSE(classify_response(200, std::string(1 << 20, '{')).succeeded());
}

TEST_CASE("error_code wins over the HTTP status and parameters are read") {
  // A proxy that answers 200 with a Bot API error body.
  CHECK(classify_response(
            200, R"({"ok":false,"error_code":403,"description":"Forbidden: user is deactivated"})")
            .kind == outcome::chat_gone);
  // No error_code: the HTTP status stands in.
  CHECK(classify_response(429, R"({"ok":false,"description":"x","parameters":{"retry_after":3}})")
            .retry_after == 3);
  // retry_after as a float, parameters of the wrong type.
  CHECK(err(429, "Too Many Requests", R"({"retry_after":2.5})").retry_after == 3);
  CHECK_FALSE(err(429, "Too Many Requests", R"("nope")").retry_after.has_value());
  CHECK(err(429, "Too Many Requests", R"("nope")").kind == outcome::flood);
  CHECK_FALSE(err(400, "Bad Request: x", R"({"migrate_to_chat_id":"-100"})").migrate_to_chat_id);
  CHECK(err(400, "Bad Request: x").error_code == 400);
}

TEST_CASE("network failures are transient") {
  const auto r = network_failure("connection refused");
  CHECK(r.kind == outcome::transient);
  CHECK(r.http_status == 0);
  CHECK(r.description == "connection refused");
  CHECK_FALSE(r.succeeded());
  CHECK(std::string(outcome_name(outcome::flood)) == "flood");
  CHECK(std::string(outcome_name(outcome::chat_gone)) == "chat_gone");
  CHECK(std::string(outcome_name(outcome::transient)) == "transient");
}
