// Typed calculation errors (docs/calculations.md §2, §6, §7.6): what a session turns into
// docs/behaviour.md §1.6.
#pragma once

#include <optional>
#include <string>
#include <variant>

namespace nocturna::astro {

enum class calc_error_kind {
  date_out_of_range,  // UT outside 1800-01-01 … 2399-12-31
  bad_zone,           // unknown IANA zone
  bad_place,          // latitude/longitude out of range
  unavailable,        // backend down, timed out, circuit open, auth rejected
  input_rejected,     // remote backend rejected the input (4xx)
  internal,           // negative libswe return, malformed answer, bug
};

struct calc_error {
  calc_error_kind kind = calc_error_kind::internal;
  std::string detail;  // for the log only, never shown to users
};

// A value or a typed error.
template <class T>
class calc_result {
 public:
  calc_result(T value) : v_(std::move(value)) {}
  calc_result(calc_error e) : v_(std::move(e)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const calc_error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, calc_error> v_;
};

}  // namespace nocturna::astro
