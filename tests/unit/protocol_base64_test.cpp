// Standard base64 (protocol/base64.hpp): RFC 4648 vectors, binary round trips, strict rejection.
#include <doctest/doctest.h>

#include <string>

#include "protocol/base64.hpp"

using namespace nocturna;

TEST_CASE("base64 encodes and decodes the RFC 4648 vectors") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, coded] : vectors) {
    CHECK(base64_encode(plain) == coded);
    const auto back = base64_decode(coded);
    REQUIRE(back);
    CHECK(*back == plain);
  }
}

TEST_CASE("base64 round-trips every byte value") {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += "\x89PNG\r\n\x1a\n";
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    const std::string part = bytes.substr(0, n);
    const auto back = base64_decode(base64_encode(part));
    REQUIRE(back);
    CHECK(*back == part);
  }
  CHECK(base64_encode("\xff\xfe\xfd").find_first_of("+/") != std::string::npos);
}

TEST_CASE("base64 rejects malformed input") {
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Zm9v\n", "Zm 9v",
                          "Zm9v====", "Z===", "====", "Zg==Zg==", "Zm-_", "Zm9*", "=Zm9"}) {
    CAPTURE(bad);
    CHECK_FALSE(base64_decode(bad));
  }
}
