// The schema, as migrations: entry i moves a database from version i to i+1. Append, never edit:
// a deployed database has already run the old entries.
#pragma once

#include <vector>

namespace nocturna::store {

// Version 1 differs between the backends (it was written for SQLite, whose INTEGER is 64-bit;
// PostgreSQL needs BIGINT); every later entry is shared, written in types both accept.
const std::vector<const char*>& sqlite_migrations();
const std::vector<const char*>& postgres_migrations();

}  // namespace nocturna::store
