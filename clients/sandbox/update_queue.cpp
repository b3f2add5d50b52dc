#include "clients/sandbox/update_queue.hpp"

#include <algorithm>
#include <map>

#include "clients/sandbox/json_util.hpp"

namespace nocturna::sandbox {
namespace {

// Telegram's default: every type except these three.
bool allowed_by_default(const std::string& type) {
  return type != "chat_member" && type != "message_reaction" && type != "message_reaction_count";
}

std::optional<jsonu::element> chat_of(jsonu::element body) {
  if (auto chat = jsonu::get(body, "chat")) return chat;
  if (auto message = jsonu::get(body, "message")) return jsonu::get(*message, "chat");
  return std::nullopt;
}

std::chrono::milliseconds retry_backoff(int attempts) {
  const int exp = std::min(attempts - 1, 5);
  return std::min(std::chrono::milliseconds(100 << exp), std::chrono::milliseconds(2000));
}

}  // namespace

update_facts inspect_update(const std::string& json) {
  update_facts facts;
  simdjson::dom::parser parser;
  jsonu::element doc;
  simdjson::dom::object obj;
  if (!jsonu::parse(parser, json, doc) || doc.get_object().get(obj)) return facts;
  facts.update_id = jsonu::get_int(doc, "update_id");
  for (auto field : obj) {
    if (field.key == "update_id") continue;
    facts.type = std::string(field.key);
    if (auto chat = chat_of(field.value)) {
      facts.chat_id = jsonu::get_int(*chat, "id");
      facts.chat_type = jsonu::get_string(*chat, "type").value_or("");
      facts.chat_first_name = jsonu::get_string(*chat, "first_name").value_or("");
      facts.chat_title = jsonu::get_string(*chat, "title").value_or("");
    }
    break;
  }
  return facts;
}

bool update_queue::allowed(const std::string& type) const {
  if (type.empty()) return true;  // unreadable elements are always delivered
  return allowed_.empty() ? allowed_by_default(type) : allowed_.count(type) > 0;
}

std::int64_t update_queue::enqueue(std::int64_t id, std::string json,
                                   std::optional<std::int64_t> chat_id) {
  entry e;
  e.id = id;
  e.json = std::move(json);
  e.chat_id = chat_id;
  queue_.push_back(std::move(e));
  cv_.notify_all();
  return id;
}

std::int64_t update_queue::push(const std::function<std::string(std::int64_t)>& make_json,
                                const std::string& type, std::optional<std::int64_t> chat_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t id = next_id_++;
  if (!allowed(type)) return id;
  return enqueue(id, make_json(id), chat_id);
}

std::int64_t update_queue::push_raw(std::string text) {
  const update_facts facts = inspect_update(text);
  std::lock_guard<std::mutex> lock(mu_);
  std::int64_t id = facts.update_id.value_or(next_id_);
  next_id_ = std::max(next_id_, id + 1);
  if (!allowed(facts.type)) return id;
  return enqueue(id, std::move(text), facts.chat_id);
}

void update_queue::confirm(std::int64_t offset) {
  if (offset < 0) {
    const std::size_t keep = static_cast<std::size_t>(-offset);
    while (queue_.size() > keep) queue_.pop_front();
    return;
  }
  queue_.erase(
      std::remove_if(queue_.begin(), queue_.end(), [&](const entry& e) { return e.id < offset; }),
      queue_.end());
}

std::vector<std::string> update_queue::take_batch(int limit) const {
  std::vector<std::string> out;
  for (const auto& e : queue_) {
    if (static_cast<int>(out.size()) >= limit) break;
    out.push_back(e.json);
  }
  return out;
}

poll_result update_queue::poll(const poll_request& request) {
  std::unique_lock<std::mutex> lock(mu_);
  if (webhook_) return {poll_result::status::webhook_active, {}};
  const std::uint64_t generation = ++poll_generation_;
  cv_.notify_all();  // an older poll still waiting is terminated
  if (request.offset) confirm(*request.offset);
  if (request.allowed_updates) {
    allowed_ =
        std::set<std::string>(request.allowed_updates->begin(), request.allowed_updates->end());
  }
  const int limit = std::clamp(request.limit, 1, 100);
  const auto deadline = clock::now() + std::chrono::seconds(std::clamp(request.timeout_s, 0, 50));
  while (true) {
    if (stopping_) return {poll_result::status::stopped, {}};
    if (generation != poll_generation_) return {poll_result::status::terminated, {}};
    if (webhook_) return {poll_result::status::webhook_active, {}};
    auto batch = take_batch(limit);
    if (!batch.empty() || clock::now() >= deadline) return {poll_result::status::ok, batch};
    cv_.wait_until(lock, deadline);
  }
}

std::uint64_t update_queue::poll_generation() const {
  std::lock_guard<std::mutex> lock(mu_);
  return poll_generation_;
}

void update_queue::set_webhook(webhook_config config,
                               std::optional<std::vector<std::string>> allowed, bool drop_pending) {
  std::lock_guard<std::mutex> lock(mu_);
  if (drop_pending) {
    queue_.erase(
        std::remove_if(queue_.begin(), queue_.end(), [](const entry& e) { return !e.in_delivery; }),
        queue_.end());
  }
  if (allowed) allowed_ = std::set<std::string>(allowed->begin(), allowed->end());
  if (!webhook_ || webhook_->url != config.url) {
    last_error_date_ = 0;
    last_error_message_.clear();
  }
  webhook_ = std::move(config);
  for (auto& e : queue_) e.not_before = {};
  cv_.notify_all();
}

bool update_queue::delete_webhook(bool drop_pending) {
  std::lock_guard<std::mutex> lock(mu_);
  if (drop_pending) queue_.clear();
  const bool was_set = webhook_.has_value();
  webhook_.reset();
  last_error_date_ = 0;
  last_error_message_.clear();
  cv_.notify_all();
  return was_set;
}

webhook_info update_queue::info() const {
  std::lock_guard<std::mutex> lock(mu_);
  webhook_info out;
  out.pending_update_count = static_cast<std::int64_t>(queue_.size());
  out.allowed_updates.assign(allowed_.begin(), allowed_.end());
  if (webhook_) {
    out.url = webhook_->url;
    out.max_connections = webhook_->max_connections;
    out.last_error_date = last_error_date_;
    out.last_error_message = last_error_message_;
  }
  return out;
}

bool update_queue::webhook_active() const {
  std::lock_guard<std::mutex> lock(mu_);
  return webhook_.has_value();
}

update_queue::entry* update_queue::find_deliverable(clock::time_point now) {
  if (!webhook_ || deliveries_in_flight_ >= webhook_->max_connections) return nullptr;
  std::set<std::int64_t> chats_seen;
  for (auto& e : queue_) {
    if (e.chat_id && !chats_seen.insert(*e.chat_id).second) continue;  // not the chat's oldest
    if (!e.in_delivery && e.not_before <= now) return &e;
  }
  return nullptr;
}

std::optional<delivery> update_queue::next_delivery(std::chrono::milliseconds max_wait) {
  std::unique_lock<std::mutex> lock(mu_);
  const auto deadline = clock::now() + max_wait;
  while (!stopping_) {
    const auto now = clock::now();
    if (entry* e = find_deliverable(now)) {
      e->in_delivery = true;
      ++deliveries_in_flight_;
      return delivery{e->id, e->json, *webhook_};
    }
    if (now >= deadline) break;
    // Wake early for a retry whose backoff ends before the deadline.
    auto wake = deadline;
    for (const auto& e : queue_) {
      if (!e.in_delivery && e.not_before > now) wake = std::min(wake, e.not_before);
    }
    cv_.wait_until(lock, wake);
  }
  return std::nullopt;
}

void update_queue::delivery_done(std::int64_t update_id, bool ok, const std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  --deliveries_in_flight_;
  auto it = std::find_if(queue_.begin(), queue_.end(),
                         [&](const entry& e) { return e.id == update_id && e.in_delivery; });
  if (it != queue_.end()) {
    if (ok) {
      queue_.erase(it);
    } else {
      it->in_delivery = false;
      it->attempts += 1;
      it->not_before = clock::now() + retry_backoff(it->attempts);
    }
  }
  if (!ok && webhook_) {
    last_error_date_ = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
    last_error_message_ = error;
  }
  cv_.notify_all();
}

std::size_t update_queue::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void update_queue::reset() {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.clear();  // a delivery in flight finds nothing to finish
  cv_.notify_all();
}

void update_queue::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  cv_.notify_all();
}

}  // namespace nocturna::sandbox
