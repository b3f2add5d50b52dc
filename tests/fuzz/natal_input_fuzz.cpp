// libFuzzer target: the /natal dialogue's date, time and answer parsers, callback data, and the
// gazetteer's place search (the real libgeonames index, loaded once).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "clients/geo/gazetteer.hpp"
#include "clients/geo/geonames_source.hpp"
#include "protocol/natal_input.hpp"

namespace {

const nocturna::geo::gazetteer& places() {
  static const auto index = [] {
    nocturna::geo::prepare_geonames_locale();
    return nocturna::geo::gazetteer::load(NOCTURNA_SOURCE_SHARE_DIR);
  }();
  return *index;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)places();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace in = nocturna::natal;
  (void)in::parse_date(text, 1'765'000'000);
  (void)in::parse_time(text);
  (void)in::is_unknown_time_word(text);
  (void)in::is_yes_word(text);
  (void)in::is_no_word(text);
  (void)in::is_nonce(text);
  (void)in::normalise(text);
  (void)in::code_points(text);
  if (auto cb = in::parse_callback(text)) (void)in::callback_data(*cb);
  (void)places().search(text);
  return 0;
}
