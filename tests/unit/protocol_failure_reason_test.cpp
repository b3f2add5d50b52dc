// protocol/failure_reason: the reason a failed heavy command names.
#include <doctest/doctest.h>

#include <string>

#include "protocol/failure_reason.hpp"
#include "protocol/texts.hpp"

using nocturna::bot::calc_fault;
using nocturna::bot::failure_reason;
namespace texts = nocturna::texts;

TEST_CASE("failure reason: past the deadline every fault reads as a timeout") {
  for (auto fault : {calc_fault::unavailable, calc_fault::bad_input, calc_fault::internal})
    for (bool personal : {false, true})
      CHECK(std::string(failure_reason(fault, personal, true)) == texts::reason_timeout);
}

TEST_CASE("failure reason: an unavailable backend, in time") {
  CHECK(std::string(failure_reason(calc_fault::unavailable, false, false)) ==
        texts::reason_unavailable);
  CHECK(std::string(failure_reason(calc_fault::unavailable, true, false)) ==
        texts::reason_unavailable);
}

TEST_CASE("failure reason: refused input blames the user only for their own chart") {
  CHECK(std::string(failure_reason(calc_fault::bad_input, true, false)) == texts::reason_input);
  CHECK(std::string(failure_reason(calc_fault::bad_input, false, false)) == texts::reason_internal);
}

TEST_CASE("failure reason: anything else is internal") {
  CHECK(std::string(failure_reason(calc_fault::internal, true, false)) == texts::reason_internal);
  CHECK(std::string(failure_reason(calc_fault::internal, false, false)) == texts::reason_internal);
}
