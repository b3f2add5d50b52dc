// libFuzzer target: the LLM output sanitizer. Its output is always valid Telegram HTML within the
// cap.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/html.hpp"
#include "protocol/llm_sanitize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t cap = 64 + data[0] * 32;
  std::string_view raw(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto clean = nocturna::llm::sanitize_llm_text(raw, cap);
  if (nocturna::html::validate(clean)) std::abort();
  if (nocturna::html::visible_length(clean) > cap) std::abort();
  (void)nocturna::llm::drop_unfinished_tail(raw);
  return 0;
}
