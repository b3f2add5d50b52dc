#include "clients/render/chart_service_response.hpp"

#include <simdjson.h>

#include <charconv>
#include <string_view>

#include "clients/render/png_codec.hpp"
#include "protocol/base64.hpp"

namespace nocturna::render {
namespace {

chart_service_error make_error(chart_service_errc kind, int status, std::string message) {
  chart_service_error e;
  e.kind = kind;
  e.http_status = status;
  e.message = std::move(message);
  return e;
}

// error.code and error.message of an error body, when it has them.
void read_service_error(const std::string& body, chart_service_error& e) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc)) return;
  std::string_view code, message;
  if (!doc.at_pointer("/error/code").get(code)) e.code = std::string(code.substr(0, 64));
  if (!doc.at_pointer("/error/message").get(message))
    e.message = std::string(message.substr(0, 200));
}

int parse_retry_after(const std::string& value) {
  int seconds = 0;
  const auto* end = value.data() + value.size();
  const auto r = std::from_chars(value.data(), end, seconds);
  if (value.empty() || r.ec != std::errc{} || r.ptr != end || seconds < 0) return 60;
  return seconds;
}

}  // namespace

chart_service_result validate_chart_png(std::string bytes) {
  if (bytes.size() > max_chart_image_bytes)
    return make_error(chart_service_errc::too_large, 200,
                      "image of " + std::to_string(bytes.size()) + " bytes");
  const auto size = read_png_size(bytes);
  if (!size) return make_error(chart_service_errc::not_png, 200, "image is not a PNG");
  if (size->width < min_chart_image_side || size->width > max_chart_image_side ||
      size->height < min_chart_image_side || size->height > max_chart_image_side)
    return make_error(chart_service_errc::not_png, 200,
                      "PNG of " + std::to_string(size->width) + "x" + std::to_string(size->height));
  return bytes;
}

chart_service_result parse_chart_service_response(int status, const std::string& body,
                                                  const std::string& retry_after) {
  if (status == 429) {
    auto e = make_error(chart_service_errc::rate_limited, status, "rate limited");
    read_service_error(body, e);
    e.retry_after_s = parse_retry_after(retry_after);
    return e;
  }
  if (status != 200) {
    auto e = make_error(chart_service_errc::http_status, status, "HTTP " + std::to_string(status));
    read_service_error(body, e);
    return e;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc))
    return make_error(chart_service_errc::bad_json, status, "answer is not JSON");
  std::string_view state;
  if (doc["status"].get(state))
    return make_error(chart_service_errc::bad_json, status, "answer has no status");
  if (state != "success") {
    auto e = make_error(chart_service_errc::service_error, status,
                        "status " + std::string(state.substr(0, 32)));
    read_service_error(body, e);
    return e;
  }
  std::string_view image;
  if (doc.at_pointer("/data/image").get(image) || image.empty())
    return make_error(chart_service_errc::service_error, status, "answer has no data.image");
  if (image.size() / 4 * 3 > max_chart_image_bytes + 2)
    return make_error(chart_service_errc::too_large, status, "data.image too long");
  auto bytes = base64_decode(image);
  if (!bytes) return make_error(chart_service_errc::bad_base64, status, "data.image is not base64");
  return validate_chart_png(std::move(*bytes));
}

}  // namespace nocturna::render
