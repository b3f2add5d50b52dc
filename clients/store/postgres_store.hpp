// PostgreSQL with an explicit statement_timeout. open_postgres (store.hpp) uses the default: a
// statement running longer is cancelled by the server, so a hung query cannot block the store
// actor for ever; it fails like any store error and the caller's retry rules apply.
#pragma once

#include <memory>
#include <string>

#include "clients/store/store.hpp"

namespace nocturna::store {

constexpr int default_statement_timeout_s = 30;

std::unique_ptr<store> open_postgres(const std::string& url, int statement_timeout_s);

}  // namespace nocturna::store
