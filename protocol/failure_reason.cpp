#include "protocol/failure_reason.hpp"

#include "protocol/texts.hpp"

namespace nocturna::bot {

const char* failure_reason(calc_fault fault, bool personal, bool past_deadline) {
  if (past_deadline) return texts::reason_timeout;
  switch (fault) {
    case calc_fault::unavailable:
      return texts::reason_unavailable;
    case calc_fault::bad_input:
      return personal ? texts::reason_input : texts::reason_internal;
    case calc_fault::internal:
      break;
  }
  return texts::reason_internal;
}

}  // namespace nocturna::bot
