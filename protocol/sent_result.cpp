#include "protocol/sent_result.hpp"

#include <simdjson.h>

#include <cstdint>

#include "protocol/call_bodies.hpp"
#include "protocol/json_writer.hpp"

namespace nocturna::bot {

namespace {

// Results this short are kept whole: `true`, a digest read back from the sent-log.
constexpr std::size_t kept_whole_bytes = 96;

}  // namespace

std::string sent_result_digest(std::string_view result_json) {
  if (result_json.size() <= kept_whole_bytes) return std::string(result_json);
  // One parser per thread: the Bot API loop's and the sender's threads each reuse their buffers.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::int64_t message_id = 0;
  if (parser.parse(result_json.data(), result_json.size()).get(doc) ||
      doc["message_id"].get_int64().get(message_id))
    return "true";
  json::object digest;
  digest.add("message_id", message_id);
  // Photos are rare beside texts: only they pay for a second parse.
  simdjson::dom::array sizes;
  if (!doc["photo"].get_array().get(sizes))
    if (auto file_id = parse_photo_file_id(result_json))
      digest.add_raw("photo", "[" + json::object().add("file_id", *file_id).str() + "]");
  return digest.str();
}

}  // namespace nocturna::bot
