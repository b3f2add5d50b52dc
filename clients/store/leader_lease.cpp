#include "clients/store/leader_lease.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <string>

#include "clients/store/database_url.hpp"

namespace nocturna::store {

leader_lease::leader_lease(std::string database_url, std::int64_t key, int lease_s)
    : url_(std::move(database_url)), key_(key), lease_s_(std::max(3, lease_s)) {}

leader_lease::~leader_lease() {
  drop();
}

void leader_lease::drop() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
  held_ = false;
}

bool leader_lease::connect() {
  // Client side: a silent peer is given up after a third of the lease, so a leader cut off from
  // the database notices before the server hands the lock to another instance.
  const std::string idle = std::to_string(std::max(1, lease_s_ / 3));
  const std::string interval = std::to_string(std::max(1, lease_s_ / 9));
  const std::string user_timeout = std::to_string(lease_s_ * 1000 / 3);
  const char* keys[] = {"connect_timeout",
                        "fallback_application_name",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        "tcp_user_timeout",
                        "dbname",
                        nullptr};
  const char* values[] = {"5", "nocturna-bot lease", "1",          idle.c_str(), interval.c_str(),
                          "2", user_timeout.c_str(), url_.c_str(), nullptr};
  conn_ = PQconnectdbParams(keys, values, 1);
  if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
    last_error_ = "cannot connect to " + redact_database_url(url_) + ": " +
                  clean_pg_message(conn_ ? PQerrorMessage(conn_) : "out of memory",
                                   database_url_secrets(url_));
    drop();
    return false;
  }
  // Server side: the session of a holder that vanished without closing ends within about one
  // lease (idle + 3 probes), which releases the lock for the standby.
  const std::string server =
      "SET tcp_keepalives_idle = " + std::to_string(std::max(1, lease_s_ / 3)) +
      "; SET tcp_keepalives_interval = " + std::to_string(std::max(1, lease_s_ / 6)) +
      "; SET tcp_keepalives_count = 3; SET tcp_user_timeout = " + std::to_string(lease_s_ * 1000) +
      "; SET statement_timeout = " + std::to_string(lease_s_ * 1000 / 3);
  return run(server);
}

bool leader_lease::run(const std::string& sql,
                       std::vector<std::pair<std::string, std::string>>* rows,
                       const std::vector<std::string>& params) {
  std::vector<const char*> values;
  for (const auto& p : params) values.push_back(p.c_str());
  PGresult* res = params.empty() ? PQexec(conn_, sql.c_str())
                                 : PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0);
  const auto status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  if (ok && rows) {
    const int columns = PQnfields(res);
    for (int r = 0; r < PQntuples(res); ++r)
      rows->emplace_back(columns > 0 ? PQgetvalue(res, r, 0) : "",
                         columns > 1 ? PQgetvalue(res, r, 1) : "");
  }
  if (!ok) {
    last_error_ = clean_pg_message(res ? PQresultErrorMessage(res) : PQerrorMessage(conn_),
                                   database_url_secrets(url_));
  }
  PQclear(res);
  // A statement that failed on a live connection leaves the lock where it was; a broken
  // connection took it along.
  if (!ok && PQstatus(conn_) != CONNECTION_OK) drop();
  return ok;
}

bool leader_lease::try_acquire() {
  if (held_) return still_held();
  if (!conn_ && !connect()) return false;
  std::vector<std::pair<std::string, std::string>> got;
  if (!run("SELECT pg_try_advisory_lock(" + std::to_string(key_) + ")", &got)) return false;
  held_ = !got.empty() && got[0].first == "t";
  if (!held_) last_error_ = "held by another instance";
  return held_;
}

bool leader_lease::still_held() {
  if (!held_ || !conn_) return false;
  // The lock lives as long as the session: a session that answers still holds it (nothing in
  // this process unlocks it).
  return run("SELECT 1");
}

std::vector<std::pair<std::string, std::string>> leader_lease::beat(const std::string& instance_id,
                                                                    const std::string& role) {
  std::vector<std::pair<std::string, std::string>> live;
  if (!conn_ && !connect()) return live;
  // The database's clock for every instance, so skewed hosts still agree on who is alive.
  const std::string now = "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)";
  if (!run("INSERT INTO instances (instance_id, mode, role, heartbeat_at) VALUES ($1, 'polling', "
           "$2, " +
               now +
               ") ON CONFLICT (instance_id) DO UPDATE SET role = excluded.role, "
               "heartbeat_at = excluded.heartbeat_at",
           nullptr, {instance_id, role}))
    return live;
  // Instances killed without a goodbye leave a row; a day later it goes.
  run("DELETE FROM instances WHERE heartbeat_at < " + now + " - 86400");
  run("SELECT instance_id, role FROM instances WHERE heartbeat_at >= " + now +
          " - $1 "
          "ORDER BY instance_id",
      &live, {std::to_string(lease_s_)});
  return live;
}

void leader_lease::forget(const std::string& instance_id) {
  if (conn_) run("DELETE FROM instances WHERE instance_id = $1", nullptr, {instance_id});
}

std::int64_t polling_lease_key(const std::string& token) {
  const std::string bot_id = token.substr(0, token.find(':'));
  // FNV-1a over a fixed prefix and the bot id: stable across versions and builds.
  std::uint64_t h = 1469598103934665603ull;
  for (char c : "nocturna polling " + bot_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}

}  // namespace nocturna::store
