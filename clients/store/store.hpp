// The store: the inbox, the polling offset and the sent-log (telegram.md §3), behind one interface
// so a PostgreSQL implementation can stand beside SQLite. Every call blocks: call it only from a
// detached actor. Each instance owns one connection; use one per thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nocturna::store {

struct store_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class inbox_state { pending, done, dead };

struct inbox_row {
  std::int64_t update_id = 0;
  std::optional<std::int64_t> chat_id;
  std::string json;
  inbox_state state = inbox_state::pending;
  int attempts = 0;
};

class store {
 public:
  virtual ~store() = default;

  // The offset of the next getUpdates call, when one was ever stored.
  virtual std::optional<std::int64_t> next_offset() = 0;

  // Inserts the rows (a duplicate update_id is ignored: a re-delivery) and stores `next_offset`,
  // in one durable transaction.
  virtual void insert_batch(const std::vector<inbox_row>& rows, std::int64_t next_offset) = 0;

  // Pending rows in update_id order.
  virtual std::vector<inbox_row> pending() = 0;

  // Counts one more attempt of a pending row and returns the new count.
  virtual int add_attempt(std::int64_t update_id) = 0;

  virtual void mark_done(const std::vector<std::int64_t>& update_ids) = 0;
  virtual void mark_dead(std::int64_t update_id, const std::string& reason) = 0;
  virtual std::optional<inbox_row> find(std::int64_t update_id) = 0;

  // The sent-log: the result of call `seq` of the handler of `update_id`.
  struct sent_entry {
    std::int64_t update_id;
    int seq;
    std::string result_json;
  };
  virtual void record_sent(const std::vector<sent_entry>& entries) = 0;
  virtual std::map<int, std::string> sent_for(std::int64_t update_id) = 0;

  // Deletes done/dead rows and sent-log entries older than `age_s` seconds.
  virtual void purge(std::int64_t age_s) = 0;
};

// SQLite in `data_dir/nocturna.db`: directory 0700, file 0600, WAL, synchronous=FULL, schema
// versioned by migrations. Throws store_error.
std::unique_ptr<store> open_sqlite(const std::string& data_dir);

}  // namespace nocturna::store
