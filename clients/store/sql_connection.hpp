// The few things the store needs from a database connection. The store's statements are written
// once, with `?` placeholders, in the SQL subset SQLite and PostgreSQL share (ON CONFLICT,
// RETURNING, excluded.*); each backend prepares them its own way and caches the prepared form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nocturna::store::sql {

// A parameter or a result cell. PostgreSQL returns every cell as text; the getters of `row`
// convert, so the store code reads both backends the same way.
using value = std::variant<std::monostate, std::int64_t, double, std::string>;
using params = std::vector<value>;

inline value null() {
  return std::monostate{};
}
template <class T>
value opt(const std::optional<T>& v) {
  return v ? value(*v) : null();
}

class row {
 public:
  explicit row(std::vector<value> cells) : cells_(std::move(cells)) {}
  bool is_null(std::size_t i) const;
  std::int64_t integer(std::size_t i) const;
  double real(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_integer(std::size_t i) const;
  std::optional<double> opt_real(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;

 private:
  const value& at(std::size_t i) const;
  std::vector<value> cells_;
};

class connection {
 public:
  virtual ~connection() = default;
  // Runs one statement with `?` placeholders and returns all its rows. Throws store_error.
  virtual std::vector<row> query(const std::string& sql, const params& p = {}) = 0;
  // Runs a fixed script without parameters (the migrations' DDL).
  virtual void script(const char* sql) = 0;
  // A write transaction. SQLite takes the write lock at once, so two connections never deadlock
  // upgrading read locks.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
  // Inside a transaction: makes concurrent migrations of other connections wait.
  virtual void lock_schema() = 0;
};

// Rolls back unless committed, so an exception never leaves half a change behind.
class transaction {
 public:
  explicit transaction(connection& c) : c_(c) { c_.begin(); }
  ~transaction() {
    if (!done_) c_.rollback();
  }
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit() {
    c_.commit();
    done_ = true;
  }

 private:
  connection& c_;
  bool done_ = false;
};

// Throws store_error when a text parameter holds a NUL byte: PostgreSQL cannot store one, and both
// backends must behave the same. Both connections call it on every text they bind; callers strip
// U+0000 from user input before storing it.
void check_text(const std::string& s);

}  // namespace nocturna::store::sql
