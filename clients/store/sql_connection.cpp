#include "clients/store/sql_connection.hpp"

#include <charconv>

#include "clients/store/store.hpp"

namespace nocturna::store::sql {

const value& row::at(std::size_t i) const {
  if (i >= cells_.size()) throw store_error("store: result column out of range");
  return cells_[i];
}

bool row::is_null(std::size_t i) const {
  return std::holds_alternative<std::monostate>(at(i));
}

// Text cells are parsed with from_chars: locale-independent, so a process running under a locale
// with a decimal comma still reads 55.7558 correctly.
std::int64_t row::integer(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    std::int64_t out = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
    if (ec == std::errc() && end == p->data() + p->size()) return out;
    throw store_error("store: not an integer in column " + std::to_string(i));
  }
  return 0;
}

double row::real(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) {
    double out = 0;
    auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), out);
    if (ec == std::errc() && end == p->data() + p->size()) return out;
    throw store_error("store: not a number in column " + std::to_string(i));
  }
  return 0;
}

std::string row::text(std::size_t i) const {
  const auto& v = at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (std::holds_alternative<double>(v))
    throw store_error("store: a number where text was expected in column " + std::to_string(i));
  return {};
}

std::optional<std::int64_t> row::opt_integer(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

std::optional<double> row::opt_real(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return real(i);
}

std::optional<std::string> row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

void check_text(const std::string& s) {
  if (s.find('\0') != std::string::npos)
    throw store_error("store: text contains a NUL byte and cannot be stored");
}

}  // namespace nocturna::store::sql
