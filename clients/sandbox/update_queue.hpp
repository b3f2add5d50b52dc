// Updates waiting for the bot: long polling with Telegram's offset semantics, the
// allowed_updates filter, getUpdates conflicts, and the bookkeeping of webhook delivery.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nocturna::sandbox {

struct poll_request {
  std::optional<std::int64_t> offset;
  int limit = 100;
  int timeout_s = 0;
  std::optional<std::vector<std::string>> allowed_updates;  // nothing = keep the previous setting
};

struct poll_result {
  enum class status { ok, webhook_active, terminated, stopped };
  status st = status::ok;
  std::vector<std::string> updates;  // each element's JSON text, verbatim
};

struct webhook_config {
  std::string url;
  std::string secret_token;
  int max_connections = 40;
};

struct webhook_info {
  std::string url;
  std::int64_t pending_update_count = 0;
  std::int64_t last_error_date = 0;  // 0 = none
  std::string last_error_message;
  int max_connections = 40;
  std::vector<std::string> allowed_updates;
};

struct delivery {
  std::int64_t update_id = 0;
  std::string json;
  webhook_config webhook;
};

class update_queue {
 public:
  using clock = std::chrono::steady_clock;

  // Queues an update of `type` ("message", "callback_query", …) built by make_json(update_id).
  // An update whose type is not allowed is dropped, as Telegram does. Returns its update_id.
  std::int64_t push(const std::function<std::string(std::int64_t)>& make_json,
                    const std::string& type, std::optional<std::int64_t> chat_id);
  // Queues any text verbatim; its update_id is read from it when it has an integer one.
  std::int64_t push_raw(std::string text);

  poll_result poll(const poll_request& request);
  // Grows with every getUpdates: a call delayed by a fault checks it to see whether a newer call
  // came meanwhile (then it was terminated, as on Telegram).
  std::uint64_t poll_generation() const;

  void set_webhook(webhook_config config, std::optional<std::vector<std::string>> allowed,
                   bool drop_pending);
  // Returns whether a webhook was set.
  bool delete_webhook(bool drop_pending);
  webhook_info info() const;
  bool webhook_active() const;

  // For the webhook pusher: the next update to deliver (the oldest of a chat with nothing in
  // flight), waiting up to `max_wait`.
  std::optional<delivery> next_delivery(std::chrono::milliseconds max_wait);
  void delivery_done(std::int64_t update_id, bool ok, const std::string& error);

  std::size_t pending() const;
  void reset();
  void stop();

 private:
  struct entry {
    std::int64_t id = 0;
    std::string json;
    std::optional<std::int64_t> chat_id;
    bool in_delivery = false;
    int attempts = 0;
    clock::time_point not_before{};
  };

  bool allowed(const std::string& type) const;
  void confirm(std::int64_t offset);
  std::int64_t enqueue(std::int64_t id, std::string json, std::optional<std::int64_t> chat_id);
  entry* find_deliverable(clock::time_point now);
  std::vector<std::string> take_batch(int limit) const;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<entry> queue_;
  std::int64_t next_id_ = 731000001;
  std::set<std::string> allowed_;  // empty = Telegram's default set
  std::uint64_t poll_generation_ = 0;
  std::optional<webhook_config> webhook_;
  std::int64_t last_error_date_ = 0;
  std::string last_error_message_;
  int deliveries_in_flight_ = 0;
  bool stopping_ = false;
};

// What can be read from one update element (all optional: raw elements may be anything).
struct update_facts {
  std::string type;  // first key other than update_id; "" when unknown
  std::optional<std::int64_t> update_id;
  std::optional<std::int64_t> chat_id;
  std::string chat_type;
  std::string chat_first_name;
  std::string chat_title;
};
update_facts inspect_update(const std::string& json);

}  // namespace nocturna::sandbox
