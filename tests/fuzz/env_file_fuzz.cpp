// libFuzzer target: .env parsing, then validation of whatever it yields. Bad input must end in
// config_error, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto vars = nocturna::parse_env_file(text);
    vars.erase("NOCTURNA_SHARE_DIR");  // not the file system under test
    (void)nocturna::load_config(std::nullopt, vars);
  } catch (const nocturna::config_error&) {
  }
  return 0;
}
