// libFuzzer target: Nocturna Calculations API answers: the envelope (status from the first byte)
// and the positions payload.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "clients/nocturna/positions_codec.hpp"
#include "clients/nocturna/response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const int statuses[] = {200, 201, 400, 401, 404, 422, 429, 500, 503};
  const int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto r = nocturna::remote::interpret_response(status, body, "req-1");
  (void)nocturna::remote::excerpt(body);
  (void)nocturna::remote::parse_positions(r.ok ? std::string_view(r.payload) : body,
                                          nocturna::remote::standard_bodies());
  return 0;
}
